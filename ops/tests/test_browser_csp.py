"""Pages work under the Content-Security-Policy: htmx, the report form's buttons, printing, the admin, the API docs.

A browser reports every blocked script, style or image as a securitypolicyviolation event; these
pages must raise none. Drives Debian's Chromium through Playwright, like guide/tests/test_browser.py.
"""

from __future__ import annotations

import os
import threading

import pytest

from minsheng.tests.browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make system-deps)"),
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
window.print = () => { window.__printed = true; };
"""


@pytest.fixture
def browser_page(browser):
    """A page of the session's Chromium (minsheng/tests/browser.py) that records policy violations."""
    context = browser.new_context(locale="zh-CN", geolocation={"latitude": 29.37, "longitude": 113.1})
    context.grant_permissions(["geolocation"])
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    # The live server answers each keep-alive connection in a thread with its own database connection;
    # let them end (the browser has closed its side) before the test database is dropped.
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_report_form_htmx_suggestion_and_buttons_work_under_the_policy(live_server, grid, browser_page):
    page = browser_page
    page.goto(live_server.url + "/cases/new/")
    page.fill("#id_description", "小区门口的路灯坏了好几天，晚上很黑")
    page.wait_for_selector("#category-suggestion button[data-pick-category]")  # htmx fetched the suggestion
    first = page.locator("#category-suggestion button[data-pick-category]").first
    first.click()
    assert page.input_value("#id_category") == first.get_attribute("data-pick-category")
    page.click("#locate")
    page.locator("#located", has_text="已定位").wait_for()  # (wait_for_function would need eval)
    assert page.input_value("#id_latitude") == "29.370000"
    with page.expect_response(lambda r: "/search/suggest/" in r.url):  # the search box's htmx request
        page.fill("input[type=search]", "shebaoka buban")
    assert violations(page) == []


def test_print_pages_admin_sign_in_and_api_docs_raise_no_violation(live_server, test_catalog, browser_page):
    page = browser_page
    page.goto(live_server.url + "/guide/TS01/checklist/lost/print/")
    page.click("button[data-print]")
    assert page.evaluate("window.__printed") is True
    assert page.evaluate("getComputedStyle(document.body).maxWidth") == "760px"  # the nonce'd <style> applied
    assert violations(page) == []

    # Django's admin (no inline scripts since 4.x) was checked the same way by hand: signed in, a change
    # form, no violation. Not here: on PostgreSQL its pages leave a live-server connection open past the
    # test database's teardown.
    page.goto(live_server.url + "/admin/login/")  # the one sign-in page
    assert page.get_by_role("heading", name="登录").first.is_visible()
    assert violations(page) == []

    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert violations(page) == []
