"""/api/dashboard/…: the same figures and the same rules as the pages, as JSON."""

from __future__ import annotations

import pytest

from dashboard.tests.conftest import lay_case, local
from grid.geo import rectangle

pytestmark = pytest.mark.django_db
PERIOD = "from=2026-03-01&to=2026-03-31"
ENDPOINTS = [
    f"/api/dashboard/yardstick?{PERIOD}",
    f"/api/dashboard/cases?{PERIOD}&measure=late",
    "/api/dashboard/cockpit",
    "/api/dashboard/grid",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_callers_get_401(client, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("persona", ["resident", "handler", "volunteer"])
def test_people_without_access_to_figures_get_403(client, people, url, persona):
    client.force_login(people[persona])
    response = client.get(url)
    assert response.status_code == 403 and response.json() == {"detail": "没有查看考评数据的权限"}


def test_the_yardstick_in_percent_as_computed_by_hand(client, people, march):
    client.force_login(people["leader"])
    body = client.get(f"/api/dashboard/yardstick?{PERIOD}").json()
    assert (body["by"], body["from"], body["to"], body["ranked"]) == ("unit", "2026-03-01", "2026-03-31", 2)
    cg = next(r for r in body["rows"] if r["key"] == "U08")
    assert cg["rank"] == 2 and cg["counts"]["counted"] == 8 and cg["counts"]["late"] == 3
    assert cg["rates"] == {"response": 62.5, "resolution": 66.67, "satisfaction": 60.0, "composite": 63.58}
    assert body["total"]["counts"]["counted"] == 12 and body["district"] is None


def test_a_unit_leader_gets_their_row_rank_and_the_district_total(client, people, march):
    client.force_login(people["unit_leader"])
    body = client.get(f"/api/dashboard/yardstick?{PERIOD}").json()
    assert [(r["key"], r["rank"]) for r in body["rows"]] == [("U08", 2)]
    assert body["total"]["counts"]["counted"] == 8 and body["district"]["counts"]["counted"] == 12
    months = client.get("/api/dashboard/yardstick?from=2026-02-01&to=2026-04-30&by=month").json()
    assert [(r["key"], r["counts"]["counted"]) for r in months["rows"]] == [
        ("2026-02", 1),
        ("2026-03", 8),
        ("2026-04", 1),
    ]


@pytest.mark.parametrize(
    "url", [f"/api/dashboard/yardstick?{PERIOD}&unit=U06", f"/api/dashboard/cases?{PERIOD}&unit=U06"]
)
def test_a_unit_leader_asking_for_another_unit_gets_404(client, people, march, url):
    client.force_login(people["unit_leader"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/dashboard/cockpit", "/api/dashboard/grid"])
def test_the_cockpit_is_the_districts(client, people, url):
    client.force_login(people["unit_leader"])
    assert client.get(url).status_code == 403
    client.force_login(people["dispatcher"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=03/01/2026", "开始日期格式应为 2026-03-01"),
        ("from=2026-03-02&to=2026-03-01", "开始日期不能晚于结束日期"),
        ("by=week", "分组方式应为"),
        ("street=99999", "没有这个街道"),
    ],
)
def test_bad_input_gets_422_with_the_reason(client, people, query, message):
    client.force_login(people["leader"])
    response = client.get(f"/api/dashboard/yardstick?{query}")
    assert response.status_code == 422 and message in response.json()["detail"]


def test_the_cases_behind_a_figure_match_its_count(client, people, march):
    client.force_login(people["leader"])
    body = client.get(f"/api/dashboard/cases?{PERIOD}&unit=U08&measure=late&limit=2").json()
    assert (body["measure"], body["label"], body["count"], len(body["items"])) == ("late", "未按时响应", 3, 2)
    rest = client.get(f"/api/dashboard/cases?{PERIOD}&unit=U08&measure=late&limit=2&offset=2").json()["items"]
    numbers = {i["number"] for i in body["items"]} | {i["number"] for i in rest}
    assert len(numbers) == 3 and all(i["unit"] == "U08" for i in body["items"] + rest)
    assert client.get(f"/api/dashboard/cases?{PERIOD}&measure=bogus").status_code == 422
    assert client.get(f"/api/dashboard/cases?{PERIOD}&limit=0").status_code == 422


def test_the_grid_as_geojson(client, people, grid):
    grid.compound_a.boundary = rectangle(113.0, 29.0, 0.002, 0.002)
    grid.compound_a.save()
    client.force_login(people["leader"])
    body = client.get("/api/dashboard/grid").json()
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]
    assert feature["properties"]["label"] == "甲一小区" and feature["properties"]["center"] == [113.0, 29.0]
    assert feature["geometry"]["type"] == "Polygon"


def test_the_cockpit_as_json(client, people, grid):
    lay_case(local(2026, 3, 2, 9), status="dispatched")
    client.force_login(people["leader"])
    body = client.get("/api/dashboard/cockpit").json()
    assert body["live"]["open"] == 1 and {"ranking", "hotspots", "neighbours", "projects", "guide"} <= set(body)
