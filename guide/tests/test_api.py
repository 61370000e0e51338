"""The guide's JSON API: every endpoint, its 404s and its validation errors."""

import pytest

pytestmark = pytest.mark.django_db


def test_departments_with_matter_counts(client, test_catalog):
    data = client.get("/api/guide/departments").json()
    assert {"code": "TS", "name": "测试局", "matter_count": 2} in data


def test_matters_filtered_by_department(client, test_catalog):
    data = client.get("/api/guide/matters?department=ts").json()
    assert [m["code"] for m in data] == ["TS01", "TS02"]
    assert data[1]["promised_limit"] == "即办"


def test_matter_detail_has_the_guide_fields(client, test_catalog):
    data = client.get("/api/guide/matters/TS01").json()
    assert data["fee"] == "不收费" and data["visits"] == 1 and data["online_depth"] == "III"
    assert [s["key"] for s in data["situations"]] == ["first_self", "first_agent", "lost"]
    assert data["steps"][1] == {"name": "审核", "description": "", "time_limit": "5 个工作日"}


def test_unknown_matter_is_a_json_404(client, test_catalog):
    response = client.get("/api/guide/matters/NOPE")
    assert response.status_code == 404 and "detail" in response.json()


def flow(client, code, answers):
    return client.post(f"/api/guide/matters/{code}/flow", {"answers": answers}, content_type="application/json")


def test_flow_returns_the_next_question(client, test_catalog):
    data = flow(client, "TS01", {"first_time": "first"}).json()
    assert data["status"] == "question"
    assert data["question"]["key"] == "who"
    assert [o["key"] for o in data["question"]["options"]] == ["self", "agent"]
    assert data["answered"][0]["option_label"] == "第一次办"


def test_flow_returns_the_situation_when_complete(client, test_catalog):
    data = flow(client, "TS01", {"first_time": "first", "who": "self"}).json()
    assert data["status"] == "situation"
    assert data["situation"]["key"] == "first_self"
    assert data["checklist_url"] == "/guide/TS01/checklist/first_self/"


def test_flow_names_the_stale_answer(client, test_catalog):
    data = flow(client, "TS01", {"first_time": "first", "who": "robot"}).json()
    assert data["status"] == "question" and data["stale"] == "who"


def test_flow_validation_error_is_422_with_the_field(client, test_catalog):
    response = client.post("/api/guide/matters/TS01/flow", {"answers": ["x"]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "answers"


def test_flow_of_unknown_matter_is_404(client, test_catalog):
    assert flow(client, "NOPE", {}).status_code == 404


def test_checklist_json(client, test_catalog):
    data = client.get("/api/guide/matters/TS01/situations/first_agent/checklist").json()
    assert data["situation"]["name"] == "首次办理，他人代办"
    assert [m["name"] for m in data["materials"]] == ["《居民身份证》", "《授权委托书》"]
    assert data["review_points"][0]["material"] == "《授权委托书》"
    assert data["fee"] == "不收费"


def test_checklist_of_unknown_situation_is_404(client, test_catalog):
    assert client.get("/api/guide/matters/TS01/situations/nope/checklist").status_code == 404


def test_openapi_docs(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/guide/matters/{code}/flow" in schema["paths"]
