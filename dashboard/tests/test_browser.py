"""The cockpit in Debian's Chromium: on the district's 1920×1080 screen and on a leader's phone, every
chart is drawn, the map shows the grid with its open cases, and the page refreshes itself.

Uses the session's Chromium and axe-core from minsheng/tests/browser.py (every page visited is checked),
under the site's Content-Security-Policy: anything it refuses shows as a console error and fails the test.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from dashboard.rollup import refresh
from dashboard.tests.conftest import H, lay_case
from grid.geo import rectangle
from grid.models import Region
from minsheng.tests.browser import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARTS = [
    "chart-ranking",
    "chart-map",
    "chart-hotspots",
    "chart-intake",
    "chart-rates",
    "chart-projects",
    "chart-guide",
]
SCREEN = {"viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(autouse=True)
def close_connections():
    """Database work done while Playwright's sync API runs gets a connection of its own; close it before the
    test database is emptied (or PostgreSQL could not drop it at the end)."""
    yield
    connections.close_all()


@pytest.fixture
def district(grid, people):
    """Outlines for the grid, a week of cases with answers, two of today's still open (one overdue)."""
    for i, community in enumerate(Region.objects.filter(kind="community").order_by("name")):
        community.boundary = rectangle(113.0 + 0.02 * i, 29.0, 0.01, 0.01)
        community.save()
    for region in (grid.compound_a, grid.compound_a2, grid.compound_b):
        region.boundary = rectangle(region.longitude, region.latitude, 0.002, 0.002)
        region.save()
    now = timezone.now()
    for days in range(1, 8):
        lay_case(
            now - dt.timedelta(days=days), region=grid.compound_a, responded_after=H, solved=True, satisfaction="满意"
        )
        lay_case(now - dt.timedelta(days=days), category="C09", unit="U08", region=grid.compound_b, responded_after=30 * H,
                 solved=days % 2 == 0, satisfaction="基本满意")  # fmt: skip
    lay_case(now, region=grid.compound_a, status="dispatched")
    lay_case(now, category="C09", unit="U08", region=grid.compound_b, status="accepted", resolve_overdue=True)
    refresh()
    return grid


@pytest.fixture
def signed_in(browser, axe, live_server, client):
    """open(user, device, path): a page signed in as this user, on this screen, checked by axe-core."""
    contexts = []

    def open_page(user, device: dict, path: str):
        client.force_login(user)
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **device)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.errors = []  # script errors, and anything the Content-Security-Policy refused
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
        axe.watch(page)
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not axe.unchecked(), f"pages visited without an axe check: {axe.unchecked()}"


def loaded(page, axe) -> None:
    page.locator("body[data-loaded]").wait_for(state="attached")
    axe(page)


def drawn(page, chart_id: str) -> dict:
    return page.evaluate(
        """(id) => {
            const el = document.getElementById(id);
            const chart = echarts.getInstanceByDom(el);
            const canvas = el.querySelector("canvas");
            const box = el.getBoundingClientRect();
            return {chart: !!chart, series: chart ? chart.getOption().series.length : 0,
                    canvas: !!canvas && canvas.width > 0 && canvas.height > 0, width: box.width, height: box.height, left: box.left};
        }""",
        chart_id,
    )


def kpi(page, key: str):
    return page.locator(f'[data-kpi="{key}"] b')


def test_the_cockpit_fills_a_1920_by_1080_screen_and_refreshes_itself(signed_in, axe, people, district):
    with override_settings(COCKPIT_REFRESH_SECONDS=1):
        page = signed_in(people["leader"], SCREEN, "/dashboard/cockpit/")
        loaded(page, axe)
        for chart_id in CHARTS:
            state = drawn(page, chart_id)
            assert state["chart"] and state["series"] >= 1 and state["canvas"], (chart_id, state)
            assert state["width"] > 200 and state["height"] > 100, (chart_id, state)
        assert [kpi(page, k).inner_text() for k in ("intake_today", "open", "overdue")] == ["2", "2", "1"]
        assert page.get_by_test_id("chart-map").get_attribute("data-points") == "2"  # two compounds with open cases
        size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert size[0] <= 1920 and size[1] <= 1080  # one screen, no scrolling
        assert "数据刷新于" in page.get_by_test_id("updated").inner_text()

        lay_case(timezone.now(), region=district.compound_a, status="new")  # a new case comes in
        kpi(page, "intake_today").filter(has_text=re.compile(r"^3$")).wait_for()
        assert page.errors == []


def test_the_cockpit_on_a_leaders_phone_stacks_every_chart(signed_in, axe, people, district):
    page = signed_in(people["dispatcher"], PHONE, "/dashboard/cockpit/")
    loaded(page, axe)
    lefts = set()
    for chart_id in CHARTS:
        page.get_by_test_id(chart_id).scroll_into_view_if_needed()
        state = drawn(page, chart_id)
        assert state["chart"] and state["canvas"] and state["width"] > 300, (chart_id, state)
        lefts.add(round(state["left"]))
    assert len(lefts) == 1  # one column
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    assert page.errors == []


def test_the_yardstick_page_draws_its_trend(signed_in, axe, people, district):
    page = signed_in(people["unit_leader"], PHONE, "/dashboard/")
    page.locator("#trend canvas").wait_for()
    axe(page)
    assert drawn(page, "trend")["series"] == 4
    assert "区城市管理和综合执法局" in page.get_by_test_id("table").inner_text()
    assert page.errors == []


def test_the_drill_down_and_the_reports_page_pass_the_accessibility_check(signed_in, axe, people, district):
    from minsheng.tests.browser import DESKTOP

    page = signed_in(people["leader"], DESKTOP, "/dashboard/?by=category")
    axe(page)
    page.get_by_test_id("table").get_by_role("link", name=re.compile(r"^\d+$")).first.click()
    page.get_by_test_id("cases").wait_for()
    axe(page)
    page.goto(page.url.split("/dashboard/")[0] + "/dashboard/reports/")
    axe(page)
    assert page.get_by_test_id("on-demand").is_visible()
    assert page.errors == []
