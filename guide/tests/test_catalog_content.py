"""The shipped catalog: the district's scope, sound flows, and the checklists residents reach."""

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from guide.flow import MatterFlow
from guide.models import Department, Matter, ReviewPoint, Situation

pytestmark = pytest.mark.django_db

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "matters.tsv"
PATHS = yaml.safe_load((Path(__file__).parent / "data" / "demo_paths.yaml").read_text(encoding="utf-8"))


def shipped():
    return Matter.objects.exclude(department__code="TS")


def test_catalog_has_the_districts_scale():
    """The district's 115 matters of 19 departments, plus the matters life-event bundles add (counted apart)."""
    assert Department.objects.filter(matters__isnull=False).distinct().count() == 19
    assert shipped().count() >= 115
    assert Situation.objects.filter(matter__in=shipped()).count() >= 360
    assert ReviewPoint.objects.filter(situation__matter__in=shipped()).count() >= 590


@pytest.mark.skipif(not SPEC.exists(), reason="the district spec is not beside the repository")
def test_every_matter_of_the_spec_with_its_exact_code_name_and_department():
    rows = [line.split("\t") for line in SPEC.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    spec = {code: (dept, name) for code, dept, name in rows}
    stored = {m.code: (m.department.name, m.name) for m in shipped().filter(code__in=spec).select_related("department")}
    assert stored == spec
    assert shipped().filter(code__in=spec).count() == len(spec) == 115


def all_paths(matter):
    """Every answer path through a matter's questions, each with the situation it reaches."""
    flow = MatterFlow(matter)
    questions = flow.questions

    def walk(question, answers):
        for option in flow.options_of(question):
            chosen = {**answers, question.key: option.key}
            if option.situation_id:
                yield chosen, option.situation_id
            else:
                yield from walk(questions[option.next_question_id], chosen)

    if matter.first_question_id is None:
        return [({}, flow.situations[0].pk)]
    return list(walk(questions[matter.first_question_id], {}))


def test_every_path_of_every_flow_ends_at_a_situation_with_materials_and_review_points():
    checked = 0
    for matter in shipped():
        reached = set()
        for answers, situation_id in all_paths(matter):
            state = MatterFlow(matter).walk(answers)
            assert state.complete and state.situation.pk == situation_id, (matter.code, answers)
            assert state.situation.materials.exists() and state.situation.review_points.exists()
            reached.add(situation_id)
            checked += 1
        assert reached == set(matter.situations.values_list("pk", flat=True)), matter.code
    assert checked >= 360


@pytest.mark.parametrize("path", PATHS, ids=[f"{p['matter']}-{'-'.join(p['answers'].values())}" for p in PATHS])
def test_answer_path_reaches_the_expected_checklist(client, path):
    query = "&".join(f"{q}={o}" for q, o in path["answers"].items())
    response = client.get(f"/guide/{path['matter']}/ask/?{query}")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'data-testid="situation">{path["situation"]}<' in page
    for material in path["materials"]:
        assert f'<span class="mat-name">{material}</span>' in page, material


def test_guide_audit_passes_on_the_shipped_catalog(capsys):
    call_command("guide_audit")
    assert "errors=0" in capsys.readouterr().out


def test_loading_the_shipped_catalog_again_changes_nothing(capsys):
    call_command("catalog_stats", "--json")
    before = json.loads(capsys.readouterr().out)
    call_command("load_catalog")
    out = capsys.readouterr().out
    assert f"新增 0，更新 0，未变 {shipped().count()}" in out
    call_command("catalog_stats", "--json")
    assert json.loads(capsys.readouterr().out) == before


def test_xlsx_round_trip_of_the_whole_catalog_changes_nothing(tmp_path, capsys):
    workbook = tmp_path / "catalog.xlsx"
    call_command("export_catalog", str(workbook))
    call_command("import_catalog", str(workbook), commit=True)
    assert f"未变 {shipped().count()}" in capsys.readouterr().out


def test_every_matter_has_a_plain_guide_and_phones_that_differ():
    for matter in shipped():
        assert len(matter.plain_guide) >= 80, matter.code
        assert matter.consult_phone != matter.complaint_phone
