"""`/api/guide/bundles`: the list, one bundle, its question flow and the merged checklist for a set of answers."""

import pytest

from bundles.models import Bundle, PlannedMatter
from bundles.tests.test_flow_rules import NEWBORN

pytestmark = pytest.mark.django_db


def test_list_names_every_bundle(client, shipped):
    data = client.get("/api/guide/bundles").json()
    assert {b["code"] for b in data} >= {"newborn", "restaurant", "after_death"}
    newborn = next(b for b in data if b["code"] == "newborn")
    assert newborn["matter_count"] == 7 and newborn["url"] == "/guide/bundles/newborn/"


def test_detail_gives_stages_components_and_shared_questions(client, shipped):
    # planned matters move into components as the catalog gains them: the test brings its own
    PlannedMatter.objects.create(
        bundle=Bundle.objects.get(code="newborn"), code="WJ99", name="待收录的示例事项", department="卫生健康局"
    )
    data = client.get("/api/guide/bundles/newborn").json()
    assert data["stages"][0] == ["WJ01", "WJ08"] and "GA01" in data["stages"][1]
    ga01 = next(c for c in data["components"] if c["code"] == "GA01")
    assert ga01["department"] == "公安分局" and ga01["waits_for"]
    assert [q["key"] for q in data["questions"]] == ["born_where", "married", "channel"]
    assert data["planned"][0]["code"] == "WJ99"


def test_unknown_bundle_is_404_in_chinese(client):
    response = client.get("/api/guide/bundles/nothing")
    assert response.status_code == 404 and response.json()["detail"] == "没有这件事"


def test_flow_asks_the_next_question_then_reports_every_situation(client, shipped):
    first = client.post("/api/guide/bundles/newborn/flow", {"answers": {}}, content_type="application/json").json()
    assert first["status"] == "question" and first["question"]["param"] == "born_where"
    assert first["question"]["matter"] is None
    second = client.post(
        "/api/guide/bundles/newborn/flow", {"answers": {"born_where": "hospital"}}, content_type="application/json"
    ).json()
    assert second["question"] == {
        "param": "WJ01.parent_info",
        "text": "出生证上的父母信息是哪种情况？",
        "help_text": "",
        "matter": "WJ01",
        "options": second["question"]["options"],
    }
    done = client.post("/api/guide/bundles/newborn/flow", {"answers": NEWBORN}, content_type="application/json").json()
    assert done["status"] == "complete" and done["progress"] == 100
    assert {s["code"]: s["situation"] for s in done["steps"]}["GA01"] == "married_domestic"
    assert done["checklist_url"].startswith("/guide/bundles/newborn/checklist/?born_where=hospital")


def test_checklist_merges_materials_for_a_set_of_answers(client, shipped):
    data = client.post(
        "/api/guide/bundles/newborn/checklist", {"answers": NEWBORN}, content_type="application/json"
    ).json()
    ids = next(m for m in data["materials"] if m["name"] == "《居民身份证》")
    assert ids["shared"] and {u["matter"] for u in ids["uses"]} >= {"GA01", "YB01", "WJ01"}
    birth = next(m for m in data["materials"] if m["name"] == "《出生医学证明》")
    assert birth["produced_by"] == "WJ01"
    assert [s["stage"] for s in data["steps"]] == sorted(s["stage"] for s in data["steps"])
    assert data["form_url"].startswith("/guide/bundles/newborn/form/?")
    assert len({m["name"] for m in data["materials"]}) == len(data["materials"])


def test_checklist_with_questions_open_is_422_with_the_next_question(client, shipped):
    response = client.post(
        "/api/guide/bundles/newborn/checklist", {"answers": {"born_where": "hospital"}}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "还有问题没有回答"
    assert response.json()["question"]["param"] == "WJ01.parent_info"


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"born_where": 5}},
        {"answers": ["born_where"]},
        {"answers": {"x" * 5000: "y"}},
        {"answers": {"born_where": "hospital" * 1000}},
        "not json",
    ],
)
def test_bad_answers_are_4xx_or_ignored_never_500(client, shipped, body):
    response = client.post("/api/guide/bundles/newborn/flow", body, content_type="application/json")
    assert response.status_code in (200, 400, 422)


def test_the_bundle_and_search_endpoints_are_documented(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/guide/search",
        "/api/guide/bundles",
        "/api/guide/bundles/{code}",
        "/api/guide/bundles/{code}/flow",
        "/api/guide/bundles/{code}/checklist",
    ]:
        assert path in paths
