"""Browser tests: one Debian Chromium per test session, a phone or a desktop page per test, axe-core on every page.

Loaded as a pytest plugin by the root conftest. Playwright drives /usr/bin/chromium (installed by
scripts/system-deps.sh); no browser is downloaded. axe-core is vendored in vendor/axe-core/.

Every page a test visits must be checked: `axe(page)` after each navigation. The fixture records
each URL the page navigates to and fails the test if one was never checked, so a new step in a
journey cannot slip past the accessibility check.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Playwright's sync API runs an event loop in this thread; the Django test code is not async.
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
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def pytest_collection_modifyitems(config, items):
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(reason="Debian chromium is not installed (make system-deps)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: starting it takes longer than most tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Axe:
    """Runs axe-core in a page and fails on serious or critical violations."""

    def __init__(self):
        self.source = AXE_JS.read_text()
        self.visited: dict[str, str] = {}  # url key → url, every main-frame navigation
        self.checked: set[str] = set()

    @staticmethod
    def key(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}"

    def watch(self, page) -> None:
        def navigated(frame):
            if frame == page.main_frame and frame.url.startswith("http"):
                self.visited.setdefault(self.key(frame.url), frame.url)

        page.on("framenavigated", navigated)

    def __call__(self, page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.source)
        violations = page.evaluate(
            """async (impacts) => (await axe.run(document, {resultTypes: ["violations"]})).violations
                .filter(v => impacts.includes(v.impact))
                .map(v => `${v.impact} ${v.id}: ${v.help}\\n` + v.nodes.slice(0, 5)
                    .map(n => `    ${n.target.join(" ")}: ${(n.failureSummary || "").replace(/\\s+/g, " ")}`).join("\\n"))""",
            list(BLOCKING_IMPACTS),
        )
        self.checked.add(self.key(page.url))
        assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)

    def unchecked(self) -> list[str]:
        return [url for key, url in self.visited.items() if key not in self.checked]


def _screen(browser, axe, options: dict):
    """A fresh browser context (its own cookies) with one page, checked for unchecked pages at the end."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    axe.watch(page)
    yield page
    context.close()
    assert not axe.unchecked(), f"pages visited without an axe check: {axe.unchecked()}"


@pytest.fixture
def axe():
    return Axe()


@pytest.fixture
def phone(browser, axe):
    """A page on a phone-sized screen (390×844), as residents use the site."""
    yield from _screen(browser, axe, PHONE)


@pytest.fixture
def desktop(browser, axe):
    """A page on a desktop screen (1280×800), as staff work."""
    yield from _screen(browser, axe, DESKTOP)


@pytest.fixture
def outbox(settings):
    """Text messages sent during the test (the live server runs in this process)."""
    from core.sms import MemoryBackend

    settings.SMS_BACKEND = "core.sms.MemoryBackend"
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


def sign_in_by_code(page, axe, outbox, phone: str) -> None:
    """On the sign-in page: the phone, then the code from the text message, as a resident does."""
    axe(page)
    phone_form(page).get_by_label("手机号").fill(phone)
    page.get_by_test_id("send-code").click()
    axe(page)
    page.get_by_label("验证码").fill(re.search(r"\d{6}", outbox[-1][1]).group())
    page.get_by_test_id("login").click()


def sign_in_by_password(page, axe, live_server, username: str, password: str) -> None:
    """Staff: the account and password form on /login/."""
    page.goto(live_server.url + "/login/")
    axe(page)
    password_form(page).get_by_label("账号").fill(username)
    password_form(page).get_by_label("密码").fill(password)
    page.get_by_test_id("password-login").click()


def phone_form(page):
    return page.get_by_role("region", name="手机号 + 短信验证码")


def password_form(page):
    return page.get_by_role("region", name="工作人员：账号 + 密码")


def focused_testid(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.dataset.testid || null")
