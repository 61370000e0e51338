"""A resident on a phone walks one bundle: home → 新生儿出生一件事 → questions → merged checklist → one form.

axe-core checks every page on the way (minsheng/tests/browser.py).
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY_SIZE = "parseFloat(getComputedStyle(document.body).fontSize)"


def answer(page, axe, label):
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_test_id("next").click()
    axe(page)


def test_a_resident_walks_the_newborn_bundle_on_a_phone(live_server, shipped, phone, axe):
    page = phone
    page.goto(live_server.url + "/")
    axe(page)
    page.get_by_role("link", name="一件事一次办").click()
    axe(page)
    page.get_by_role("link", name="新生儿出生一件事").click()
    axe(page)
    assert page.get_by_role("heading", name="新生儿出生一件事").is_visible()
    assert page.get_by_test_id("stage-3").is_visible()
    page.get_by_test_id("start").click()
    axe(page)

    assert page.get_by_role("heading", name="孩子在哪里出生？").is_visible()
    answer(page, axe, "在国内的医院")
    assert page.get_by_test_id("for-matter").inner_text() == "关于「出生医学证明首次签发」"
    answer(page, axe, "父母都有内地居民身份证")
    answer(page, axe, "妈妈本人（或父母一起）")
    assert page.get_by_test_id("for-matter").inner_text() == "关于「预防接种证首次办理」"
    answer(page, axe, "出院前在出生医院办")
    assert page.get_by_role("heading", name="孩子的爸爸妈妈领了结婚证吗？").is_visible()
    answer(page, axe, "领了")
    answer(page, axe, "第一个、第二个或第三个")
    answer(page, axe, "夫妻至少一方户口在本区")
    answer(page, axe, "用手机办")
    # Back one question and forward again: the earlier answers are kept.
    page.get_by_test_id("back").click()
    axe(page)
    assert page.get_by_role("heading", name="能在手机上办的，您想用手机办吗？").is_visible()
    answer(page, axe, "用手机办")
    answer(page, axe, "孩子的爸爸或妈妈")

    assert page.get_by_test_id("situation-GA01").inner_text() == "父母已婚，孩子在国内出生，随父或随母在本区落户"
    shared = page.get_by_test_id("shared-materials")
    assert shared.locator("h3", has_text="《居民身份证》").count() == 1
    assert "城乡居民基本医疗保险参保登记" in shared.inner_text()
    assert page.get_by_test_id("produced-by").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    # Change one answer from the checklist: the others stay.
    page.get_by_role("link", name=re.compile(r"^更改\s*：孩子的爸爸妈妈领了结婚证吗？$")).click()
    axe(page)
    assert page.get_by_role("radio", name="领了", exact=True).is_checked()
    answer(page, axe, "没有领")
    answer(page, axe, "跟妈妈")
    assert page.get_by_test_id("situation-GA01").inner_text() == "父母未登记结婚，孩子随母落户"

    page.get_by_test_id("form").click()
    axe(page)
    assert page.get_by_test_id("form-title").inner_text() == "新生儿出生一件事 · 一表申请"
    assert page.get_by_test_id("form-section").first.is_visible()
    page.get_by_test_id("back").click()
    axe(page)

    body = page.evaluate(BODY_SIZE)
    page.get_by_test_id("elder-switch").click()
    axe(page)
    assert page.evaluate(BODY_SIZE) > body
    assert page.get_by_test_id("shared-materials").is_visible()
