"""The yardstick's pages: who sees what, every figure drills down to exactly its cases, bad input is refused."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from dashboard import figures
from dashboard.definitions import LABELS
from dashboard.tests.test_yardstick import MARCH

pytestmark = pytest.mark.django_db
PERIOD = "from=2026-03-01&to=2026-03-31"
PAGES = [
    f"/dashboard/?{PERIOD}",
    f"/dashboard/export.xlsx?{PERIOD}",
    f"/dashboard/cases/?{PERIOD}&measure=late",
    "/dashboard/cockpit/",
    "/dashboard/reports/",
    "/dashboard/reports/2026-03/district.xlsx",
    "/dashboard/reports/2026-03/U08.xlsx",
]


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["resident", "handler", "community", "volunteer", "grid_member"])
def test_people_without_a_say_over_figures_find_nothing(client, people, url, persona):
    assert client_for(client, people[persona]).get(url).status_code == 404


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["leader", "dispatcher"])
def test_district_leaders_and_dispatchers_open_every_page(client, people, url, persona):
    assert client_for(client, people[persona]).get(url).status_code == 200


def test_the_leader_sees_every_unit_ranked(client, people, march):
    page = client_for(client, people["leader"]).get(f"/dashboard/?{PERIOD}").content.decode()
    assert page.index("区城市运行管理中心") < page.index("区城市管理和综合执法局")  # U06 ranks first
    assert "（未派单）" in page
    assert "63.58" in page  # 城管's composite, hand-computed in test_yardstick


def test_a_unit_leader_sees_their_unit_and_its_rank_but_not_other_units(client, people, march):
    page = client_for(client, people["unit_leader"]).get(f"/dashboard/?{PERIOD}").content.decode()
    assert "区城市管理和综合执法局" in page and "全区第 2 名 / 2" in page
    assert "区城市运行管理中心" not in page and "（未派单）" not in page
    assert 'data-testid="district-compare"' in page  # the district's figures to compare with
    assert "驾驶舱" not in page  # the cockpit is the district's


@pytest.mark.parametrize(
    "url",
    [
        f"/dashboard/?{PERIOD}&unit=U06",
        f"/dashboard/export.xlsx?{PERIOD}&unit=U06",
        f"/dashboard/cases/?{PERIOD}&unit=U06&measure=counted",
        f"/dashboard/cases/?{PERIOD}&unit=none&measure=counted",
        f"/dashboard/cases/?{PERIOD}&unit=NOPE&measure=counted",
        "/dashboard/reports/2026-03/U06.pdf",
        "/dashboard/reports/2026-03/district.pdf",
        "/dashboard/cockpit/",
    ],
)
def test_a_unit_leader_finds_nothing_of_other_units(client, people, url):
    assert client_for(client, people["unit_leader"]).get(url).status_code == 404


def test_a_unit_leaders_other_dimensions_stay_within_their_unit(client, people, march):
    c = client_for(client, people["unit_leader"])
    page = c.get(f"/dashboard/?{PERIOD}&by=category").content.decode()
    assert "施工噪音扰民" in page and "路灯故障" not in page  # C08 is 城管's; C13 is U06's
    listed = c.get(f"/dashboard/cases/?{PERIOD}&measure=counted").content.decode()
    assert re.search(r'data-testid="count">8<', listed)


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=2026-13-01", "开始日期格式应为"),
        ("from=2026-03-10&to=2026-03-01", "开始日期不能晚于结束日期"),
        ("from=2020-01-01&to=2026-03-01", "一次最多查询 3 年"),
        ("by=year", "分组方式应为"),
        ("category=C99", "没有这个类别"),
        ("community=abc", "没有这个社区"),
    ],
)
def test_bad_requests_get_a_chinese_reason_and_a_400(client, people, march, query, message):
    response = client_for(client, people["leader"]).get(f"/dashboard/?{query}")
    assert response.status_code == 400 and message in response.content.decode()


def test_a_bad_measure_is_refused(client, people, march):
    response = client_for(client, people["leader"]).get(f"/dashboard/cases/?{PERIOD}&measure=everything")
    assert response.status_code == 400 and "没有这个统计项" in response.content.decode()


def _listed(c, query: str) -> int:
    page = c.get(f"/dashboard/cases/?{query}").content.decode()
    return int(re.search(r'data-testid="count">(\d+)<', page).group(1))


@pytest.mark.parametrize("key", list(LABELS))
def test_every_figure_lists_exactly_the_cases_behind_it(client, people, march, key):
    c = client_for(client, people["leader"])
    by_unit = figures.table(*MARCH, by="unit")
    for row in by_unit.rows:
        unit = row.key or "none"
        assert _listed(c, f"{PERIOD}&unit={unit}&measure={key}") == row.counts.measure(key), (unit, key)
    community = march.compound_a.parent
    row = figures.table(*MARCH, by="community").row(str(community.pk))
    assert _listed(c, f"{PERIOD}&community={community.pk}&measure={key}") == row.counts.measure(key)
    assert _listed(c, f"{PERIOD}&measure={key}") == by_unit.total.counts.measure(key)


def test_the_page_links_each_count_to_its_cases(client, people, march):
    page = client_for(client, people["leader"]).get(f"/dashboard/?{PERIOD}").content.decode()
    assert "/dashboard/cases/?from=2026-03-01&amp;to=2026-03-31&amp;unit=U08&amp;measure=responded" in page
    assert "/dashboard/cases/?from=2026-03-01&amp;to=2026-03-31&amp;unit=none&amp;measure=counted" in page
    months = client_for(client, people["leader"]).get("/dashboard/?from=2026-02-01&to=2026-04-30&by=month")
    assert "/dashboard/cases/?from=2026-03-01&amp;to=2026-03-31&amp;measure=counted" in months.content.decode()


def test_the_drill_down_links_to_the_case_pages(client, people, march):
    page = client_for(client, people["leader"]).get(f"/dashboard/cases/?{PERIOD}&unit=U08&measure=unsolved")
    numbers = re.findall(r'href="/cases/(T\d+)/"', page.content.decode())
    assert len(numbers) == 2


def test_the_export_holds_the_table_as_shown(client, people, march):
    response = client_for(client, people["leader"]).get(f"/dashboard/export.xlsx?{PERIOD}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("排名", "单位", "受理")
    cg = next(r for r in rows if r[1] == "区城市管理和综合执法局")
    assert cg[0] == 2 and cg[2:5] == (9, 1, 8) and cg[6] == 62.5
    assert rows[-1][1] == "合计"


def test_the_trend_covers_twelve_months_back(client, people, march):
    response = client_for(client, people["leader"]).get("/dashboard/?from=2026-04-01&to=2026-04-30")
    trend = response.context["trend"]
    assert trend.start == dt.date(2025, 5, 1) and trend.end == dt.date(2026, 4, 30)
    assert [r.key for r in trend.rows] == ["2026-02", "2026-03", "2026-04"]
