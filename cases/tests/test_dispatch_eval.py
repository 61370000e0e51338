"""The category suggestion, measured the way the district measures it."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "eval" / "complaints-dev.tsv"


def test_dispatch_eval_prints_misses_and_accuracy(tmp_path, capsys):
    tsv = tmp_path / "c.tsv"
    tsv.write_text("text\texpected\n楼道里一股煤气味\tC18\n今天天气不错\tC01\n", encoding="utf-8")
    call_command("dispatch_eval", str(tsv))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "accuracy=0.500 n=2"
    assert lines[0].startswith("MISS 今天天气不错")


@pytest.mark.skipif(not DEV_SET.exists(), reason="the district's development set is not beside the repository")
def test_dev_set_accuracy_meets_the_target(capsys):
    call_command("dispatch_eval", str(DEV_SET), "--json")
    assert json.loads(capsys.readouterr().out)["accuracy"] >= 0.90
