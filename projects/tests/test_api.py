"""The JSON API: list with filters, one project by code, its rating summary; structured errors."""

import pytest

from projects.models import Rating

pytestmark = pytest.mark.django_db


def test_list_filters_by_category_status_and_unit(client, project, planning_project, other_project):
    data = client.get("/api/projects/").json()
    assert {p["code"] for p in data} == {project.code, planning_project.code, other_project.code}
    assert [p["name"] for p in client.get("/api/projects/?category=market").json()] == ["测试农贸市场新建"]
    assert {p["name"] for p in client.get("/api/projects/?status=building").json()} == {
        project.name,
        other_project.name,
    }
    only = client.get("/api/projects/?unit=TPB").json()
    assert [p["code"] for p in only] == [other_project.code]
    assert only[0]["category_label"] == "背街小巷提质" and only[0]["url"] == f"/p/{other_project.code}/"


def test_list_pages_with_limit_and_offset(client, project, planning_project, other_project):
    first = client.get("/api/projects/?limit=2").json()
    rest = client.get("/api/projects/?limit=2&offset=2").json()
    assert len(first) == 2 and len(rest) == 1


@pytest.mark.parametrize("query", ["category=nonsense", "status=done", "limit=0", "limit=501", "offset=-1"])
def test_bad_filters_are_a_422_naming_the_field(client, query):
    response = client.get(f"/api/projects/?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == query.split("=")[0]


def test_detail_by_code_has_facts_updates_and_the_summary(client, project, people):
    from projects import actions

    actions.post_update(project, people["handler"], date=project.actual_start, percent=40, text="主体施工。")
    Rating.objects.create(project=project, phone="13900000101", satisfaction="满意", ip_hash="a" * 32)
    data = client.get(f"/api/projects/{project.code}").json()
    assert data["name"] == project.name and data["status"] == "building" and data["progress"] == 40
    assert data["budget"] == "860.50" and data["funding_source"] == "中央预算内资金"
    assert data["supervision_phone"] == "0730-1234567" and data["unit"] == "测试住建局"
    assert data["updates"][0]["text"] == "主体施工。" and data["updates"][0]["author"] == "测试住建局"
    assert data["ratings"] == {
        "total": 1,
        "very_satisfied": 0,
        "satisfied": 1,
        "basic": 0,
        "dissatisfied": 0,
        "very_dissatisfied": 0,
        "rate": 100.0,
    }


def test_unknown_code_is_a_json_404_in_chinese(client):
    for url in ["/api/projects/zzzzzzzz", "/api/projects/zzzzzzzz/ratings", "/api/projects/..%2F"]:
        response = client.get(url)
        assert response.status_code == 404, url
        if response["Content-Type"].startswith("application/json"):
            assert response.json() == {"detail": "没有这个项目"}


def test_ratings_summary_leaves_out_hidden_ratings_and_unpublished_comments(client, project, people):
    from projects import actions

    Rating.objects.create(
        project=project, phone="13900000101", satisfaction="满意", comment="好", review="published", ip_hash="a" * 32
    )
    Rating.objects.create(
        project=project,
        phone="13900000102",
        satisfaction="不满意",
        comment="加微信",
        review="pending",
        ip_hash="a" * 32,
    )
    hidden = Rating.objects.create(project=project, phone="13900000103", satisfaction="不满意", ip_hash="a" * 32)
    actions.moderate(hidden, people["moderator"], "hide", "刷评")
    data = client.get(f"/api/projects/{project.code}/ratings").json()
    assert (data["total"], data["satisfied"], data["dissatisfied"], data["rate"]) == (2, 1, 1, 50.0)
    assert [c["comment"] for c in data["comments"]] == ["好"]
    assert data["comments"][0]["phone"] == "139****0101"
