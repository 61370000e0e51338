"""load_catalog: idempotent, updates only what changed, and a bad file writes nothing."""

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from conftest import TEST_CATALOG
from guide.catalog_check import read_department_file
from guide.models import Matter, ServiceTally, Situation

pytestmark = pytest.mark.django_db


def stats(capsys) -> str:
    call_command("catalog_stats")
    return capsys.readouterr().out


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "TS.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def source() -> dict:
    return yaml.safe_load(TEST_CATALOG.read_text(encoding="utf-8"))


def test_loading_twice_changes_nothing(test_catalog, capsys):
    before = stats(capsys)
    ids = sorted(Situation.objects.values_list("pk", flat=True))
    call_command("load_catalog", str(TEST_CATALOG))
    assert "新增 0，更新 0，未变 2" in capsys.readouterr().out
    assert stats(capsys) == before
    assert sorted(Situation.objects.values_list("pk", flat=True)) == ids


def test_a_changed_file_updates_only_the_changed_matter(test_catalog, tmp_path, capsys):
    ServiceTally.record(Situation.objects.get(matter__code="TS01", key="lost"))
    data = source()
    data["matters"][0]["situations"][2]["materials"][0]["tip"] = "新的提示"
    call_command("load_catalog", str(write(tmp_path, data)))
    assert "新增 0，更新 1，未变 1" in capsys.readouterr().out
    lost = Situation.objects.get(matter__code="TS01", key="lost")
    assert lost.materials.get().tip == "新的提示"
    assert ServiceTally.objects.get(situation=lost).count == 1  # statistics survive the update


def test_a_broken_file_changes_nothing(test_catalog, tmp_path, capsys):
    data = source()
    data["matters"][0]["name"] = "改过的名字"
    data["matters"][1]["situations"][0]["materials"] = []  # error in the other matter
    with pytest.raises(CommandError, match="未写入任何内容"):
        call_command("load_catalog", str(write(tmp_path, data)))
    assert "TS02 › situations[0] › materials: 情形没有材料" in capsys.readouterr().err
    assert Matter.objects.get(code="TS01").name == "测试证件办理"


def test_checker_reports_yaml_booleans_as_keys():
    data = source()
    data["matters"][0]["questions"][0]["options"][0]["key"] = True
    from guide.catalog_check import check_department

    _, problems = check_department(data, "TS.yaml", spec={})
    assert any("yes/no/on/off" in str(p) for p in problems)


def test_checker_reports_names_that_differ_from_the_district_spec():
    _, problems = read_department_file(TEST_CATALOG, spec={"TS01": ("测试局", "正式名称")})
    assert [str(p) for p in problems] == ["TS01 › name: 名称应为「正式名称」（matters.tsv）"]


def test_stats_json_lists_matter_codes(test_catalog, capsys):
    import json

    call_command("catalog_stats", "--json")
    data = json.loads(capsys.readouterr().out)
    assert {"TS01", "TS02"} <= set(data["matter_codes"])
    assert data["situations"] >= 4
