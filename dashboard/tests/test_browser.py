"""The cockpit in Debian's Chromium: on the district's 1920×1080 screen and on a leader's phone, every
chart is drawn, the map shows the grid with its open cases, and the page refreshes itself.

Drives /usr/bin/chromium through Playwright, as guide/tests/test_browser.py does; no browser is downloaded.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from dashboard.rollup import refresh
from dashboard.tests.conftest import H, lay_case
from grid.geo import rectangle
from grid.models import Region

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make system-deps)"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
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
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


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


@contextmanager
def chromium():
    """Playwright's sync API runs the code inside this block in its own context, where Django opens a
    database connection of its own: it is closed here, or PostgreSQL could not drop the test database."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


def open_cockpit(browser, live_server, client, user, device: dict):
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **device)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/dashboard/cockpit/")
    page.wait_for_function("document.body.dataset.loaded")
    return page, errors


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


def kpi(page, key: str) -> str:
    return page.locator(f'[data-kpi="{key}"] b').inner_text()


def test_the_cockpit_fills_a_1920_by_1080_screen_and_refreshes_itself(live_server, client, people, district):
    with override_settings(COCKPIT_REFRESH_SECONDS=1), chromium() as browser:
        screen(browser, live_server, client, people, district)


def screen(browser, live_server, client, people, district):
    page, errors = open_cockpit(browser, live_server, client, people["leader"], SCREEN)
    for chart_id in CHARTS:
        state = drawn(page, chart_id)
        assert state["chart"] and state["series"] >= 1 and state["canvas"], (chart_id, state)
        assert state["width"] > 200 and state["height"] > 100, (chart_id, state)
    assert (kpi(page, "intake_today"), kpi(page, "open"), kpi(page, "overdue")) == ("2", "2", "1")
    assert page.get_by_test_id("chart-map").get_attribute("data-points") == "2"  # two compounds with open cases
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= 1920 and size[1] <= 1080  # one screen, no scrolling
    assert "数据刷新于" in page.get_by_test_id("updated").inner_text()

    lay_case(timezone.now(), region=district.compound_a, status="new")  # a new case comes in
    page.wait_for_function("""document.querySelector('[data-kpi="intake_today"] b').textContent === "3" """)
    assert errors == []


def test_the_cockpit_on_a_leaders_phone_stacks_every_chart(live_server, client, people, district):
    with chromium() as browser:
        phone(browser, live_server, client, people)


def phone(browser, live_server, client, people):
    page, errors = open_cockpit(browser, live_server, client, people["dispatcher"], PHONE)
    lefts = set()
    for chart_id in CHARTS:
        page.get_by_test_id(chart_id).scroll_into_view_if_needed()
        state = drawn(page, chart_id)
        assert state["chart"] and state["canvas"] and state["width"] > 300, (chart_id, state)
        lefts.add(round(state["left"]))
    assert len(lefts) == 1  # one column
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    assert errors == []


def test_the_yardstick_page_draws_its_trend(live_server, client, people, district):
    client.force_login(people["unit_leader"])
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", **PHONE)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        page = context.new_page()
        page.goto(live_server.url + "/dashboard/")
        page.wait_for_function("document.querySelector('#trend canvas')")
        assert drawn(page, "trend")["series"] == 4
        assert "区城市管理和综合执法局" in page.get_by_test_id("table").inner_text()
