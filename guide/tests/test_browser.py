"""A resident on a phone: home → matter → answers → checklist → change an answer → print → elder mode.

Drives Debian's Chromium (/usr/bin/chromium, installed by scripts/system-deps.sh)
through Playwright; no browser is downloaded.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make system-deps)"),
]
# Playwright's sync API runs an event loop in this thread; the Django test client code is not async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def phone():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def test_resident_reaches_checklist_changes_an_answer_prints_and_switches_elder_mode(live_server, test_catalog, phone):
    page = phone
    page.goto(live_server.url + "/")
    page.locator(".list").get_by_role("link", name="测试局").click()  # not the popular tiles
    page.get_by_role("link", name="测试证件办理").click()
    assert page.get_by_role("heading", name="测试证件办理").is_visible()

    page.get_by_test_id("start").click()
    assert page.get_by_role("heading", name="是第一次办吗？").is_visible()
    page.get_by_role("radio", name="第一次办", exact=True).check()
    page.get_by_test_id("next").click()
    page.get_by_role("radio", name="请人代办", exact=True).check()
    page.get_by_test_id("next").click()

    assert page.get_by_test_id("situation").inner_text() == "首次办理，他人代办"
    assert "《授权委托书》" in page.get_by_test_id("materials").inner_text()

    # Change "谁来办" only; the first answer is kept.
    page.get_by_test_id("change").nth(1).click()
    assert page.get_by_role("heading", name="谁来办？").is_visible()
    page.get_by_role("radio", name="本人来办", exact=True).check()
    page.get_by_test_id("next").click()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，本人办"
    assert "《授权委托书》" not in page.get_by_test_id("materials").inner_text()

    # The browser's back button returns to the previous checklist.
    page.go_back()
    page.go_back()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，他人代办"
    page.go_forward()
    page.go_forward()

    page.get_by_test_id("print").click()
    assert page.get_by_test_id("qr").locator("svg").is_visible()
    page.go_back()

    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_test_id("elder-switch").click()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，本人办"  # same page, larger
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > body_size
    page.goto(live_server.url + "/")
    assert page.get_by_test_id("elder-switch").inner_text().strip() == "切换标准版"  # remembered
