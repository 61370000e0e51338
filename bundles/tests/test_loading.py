"""Bundle files load idempotently, and the audit fails loudly on anything that does not fit the catalog."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from bundles.loading import audit_all
from bundles.models import Bundle, PlannedMatter, SharedQuestion
from guide.catalog_check import SPEC_MATTERS, spec_matters
from guide.models import Matter, Option

pytestmark = pytest.mark.django_db

NEWBORN = Path(settings.BUNDLES_DIR) / "newborn.yaml"


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / f"{data['code']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def newborn() -> dict:
    return yaml.safe_load(NEWBORN.read_text(encoding="utf-8"))


def load(path: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_bundles", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_loading_twice_changes_nothing(shipped, capsys):
    shipped_files = len(list(Path(settings.BUNDLES_DIR).glob("*.yaml")))
    call_command("load_bundles")
    assert f"未变 {shipped_files}" in capsys.readouterr().out or Bundle.objects.count() == shipped_files
    call_command("load_bundles")
    assert "新增 0，更新 0" in capsys.readouterr().out


def test_a_changed_file_updates_its_bundle(tmp_path, shipped):
    data = newborn()
    data["name"] = "新生儿出生一件事（试）"
    assert "更新 1" in load(write(tmp_path, data))
    assert Bundle.objects.get(code="newborn").name == "新生儿出生一件事（试）"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["components"].append({"matter": "GA99", "stage": 3, "waits_for": "等"}),
            "事项 GA99 不在办事指南里",
        ),
        (
            lambda d: d["questions"][0]["options"][0]["answers"]["WJ01"].update(born_where="spaceship"),
            "没有选项「spaceship」",
        ),
        (lambda d: d["questions"][0]["options"][0]["answers"]["WJ01"].update(no_such=1), "没有问题「no_such」"),
        (lambda d: d["questions"][0]["options"][1]["answers"].pop("WJ01"), "居民会被问第二遍"),
        (lambda d: next(c for c in d["components"] if c["matter"] == "GA01").update(waits_for=""), "要写明为什么要等"),
        (lambda d: [c.update(stage=3) for c in d["components"] if c["stage"] == 1], "步骤应从第 1 步起连续编号"),
        (
            lambda d: d.setdefault("planned", []).append(
                {"code": "GA01", "name": "出生登记", "department": "公安分局"}
            ),
            "已在办事指南里",
        ),
        (lambda d: d["questions"][1]["options"][0]["answers"].update(GA01={"born_place": "domestic"}), "被回答了两次"),
        (
            lambda d: d["questions"][0]["options"][2].update(
                answers={}, skip=["WJ01", "WJ08", "GA01", "WJ03", "YB01", "RS01", "WJ04"]
            ),
            "跳过了所有事项",
        ),
        (lambda d: d.update(form=[]), "缺少一表申请"),
    ],
)
def test_a_file_that_does_not_fit_the_catalog_writes_nothing(tmp_path, shipped, change, message, capsys):
    data = newborn()
    data["name"] = "不该写进去的名字"
    change(data)
    with pytest.raises(CommandError, match="未写入任何内容"):
        call_command("load_bundles", str(write(tmp_path, data)))
    assert message in capsys.readouterr().err
    assert Bundle.objects.get(code="newborn").name == "新生儿出生一件事"


def test_a_planned_matter_that_now_exists_fails_the_audit_until_it_moves(tmp_path, shipped):
    from guide.models import Matter

    bundle = Bundle.objects.get(code="newborn")
    planned = PlannedMatter.objects.create(bundle=bundle, code="WJ99", name="待收录的示例事项", department="卫生健康局")
    Matter.objects.filter(code="GA09").update(code=planned.code)  # as if the catalog gained it
    problems = audit_all()["newborn"]
    assert any(f"待收录的事项 {planned.code} 已在办事指南里" in p for p in problems)


def test_the_audit_fails_loudly_when_the_catalog_drops_an_option(shipped):
    call_command("bundle_audit")
    Option.objects.filter(question__matter__code="GA01", question__key="born_place", key="abroad").delete()
    with pytest.raises(CommandError, match="处问题"):
        call_command("bundle_audit")
    assert any("没有选项「abroad」" in p for p in audit_all()["newborn"])


def test_every_shipped_bundle_passes_the_audit(shipped):
    assert audit_all() == {}
    assert set(Bundle.objects.values_list("code", flat=True)) == {
        p.stem for p in Path(settings.BUNDLES_DIR).glob("*.yaml")
    }


@pytest.mark.skipif(not SPEC_MATTERS.exists(), reason="the district spec is not beside the repository")
def test_every_matter_beyond_the_districts_list_is_there_for_a_bundle(shipped):
    """Matters outside matters.tsv are components life events need; none is added for its own sake."""
    extra = set(
        Matter.objects.exclude(department__code="TS").exclude(code__in=spec_matters()).values_list("code", flat=True)
    )
    used = set(Bundle.objects.values_list("components__matter__code", flat=True))
    assert extra <= used, sorted(extra - used)


def test_admin_edits_are_audited_on_save(admin_client, shipped):
    question = SharedQuestion.objects.get(bundle__code="newborn", key="married")
    option = question.options.get(key="not_married")
    response = admin_client.post(
        f"/admin/bundles/sharedoption/{option.pk}/change/",
        {
            "question": question.pk,
            "key": "not_married",
            "order": 1,
            "label": "没有领",
            "skips": "",
            "answers-TOTAL_FORMS": "1",
            "answers-INITIAL_FORMS": "1",
            "answers-MIN_NUM_FORMS": "0",
            "answers-MAX_NUM_FORMS": "1000",
            "answers-0-id": option.answers.get().pk,
            "answers-0-option": option.pk,
            "answers-0-component": option.answers.get().component_id,
            "answers-0-question_key": "parents_status",
            "answers-0-option_key": "nonsense",
            "answers-0-DELETE": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "没有选项「nonsense」" in response.content.decode()
