"""A resident on a phone: home → matter → answers → checklist → change an answer → print → elder mode.

Drives Debian's Chromium through Playwright (minsheng/tests/browser.py); axe-core checks every page.
"""

import re

import pytest

from guide.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY_SIZE = "parseFloat(getComputedStyle(document.body).fontSize)"
CHANGE_WHO = re.compile(r"^更改\s*：谁来办？$")  # the question is visually hidden text of the link


def size_of(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def test_resident_reaches_checklist_changes_an_answer_prints_and_switches_elder_mode(
    live_server, test_catalog, phone, axe
):
    page = phone
    page.goto(live_server.url + "/")
    axe(page)
    page.get_by_role("link", name=re.compile("^测试局")).click()  # the department, not a popular matter under it
    axe(page)
    page.get_by_role("link", name="测试证件办理").click()
    assert page.get_by_role("heading", name="测试证件办理").is_visible()
    axe(page)

    page.get_by_test_id("start").click()
    assert page.get_by_role("heading", name="是第一次办吗？").is_visible()
    axe(page)
    page.get_by_role("radio", name="第一次办", exact=True).check()
    page.get_by_test_id("next").click()
    axe(page)

    # The back link returns to the first question with its answer still chosen.
    page.get_by_test_id("back").click()
    assert page.get_by_role("heading", name="是第一次办吗？").is_visible()
    assert page.get_by_role("radio", name="第一次办", exact=True).is_checked()
    axe(page)
    page.get_by_test_id("next").click()
    page.get_by_role("radio", name="请人代办", exact=True).check()
    page.get_by_test_id("next").click()
    axe(page)

    assert page.get_by_test_id("situation").inner_text() == "首次办理，他人代办"
    assert "《授权委托书》" in page.get_by_test_id("materials").inner_text()
    # The page title comes before the answers; each 更改 link names its question and fits a thumb.
    assert page.evaluate(
        "document.querySelector('h1').compareDocumentPosition(document.querySelector('[data-testid=answers]'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    change_who = page.get_by_role("link", name=CHANGE_WHO)
    box = change_who.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44

    # Change "谁来办" only; the first answer is kept, and back from there is the checklist as it was.
    change_who.click()
    assert page.get_by_role("heading", name="谁来办？").is_visible()
    axe(page)
    page.get_by_test_id("back").click()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，他人代办"
    page.get_by_role("link", name=CHANGE_WHO).click()
    page.get_by_role("radio", name="本人来办", exact=True).check()
    page.get_by_test_id("next").click()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，本人办"
    assert "《授权委托书》" not in page.get_by_test_id("materials").inner_text()
    axe(page)

    # The browser's back button returns to the previous checklist.
    page.go_back()
    page.go_back()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，他人代办"
    page.go_forward()
    page.go_forward()

    # The print view is readable on the phone (no sideways scrolling) and its back link keeps the answers.
    page.get_by_test_id("print").click()
    assert page.get_by_test_id("qr").locator("svg").is_visible()
    assert page.evaluate(BODY_SIZE) >= 16
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert "本人来办" in page.get_by_test_id("answers").inner_text()
    axe(page)
    page.get_by_test_id("back").click()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，本人办"
    assert "本人来办" in page.get_by_test_id("answers").inner_text()

    body_size = page.evaluate(BODY_SIZE)
    page.get_by_test_id("elder-switch").click()
    assert page.get_by_test_id("situation").inner_text() == "首次办理，本人办"  # same page, larger
    assert page.evaluate(BODY_SIZE) > body_size
    axe(page)
    page.goto(live_server.url + "/")
    assert page.get_by_test_id("elder-switch").inner_text().strip() == "切换标准版"  # remembered
    axe(page)


TEXTS = {
    "heading": "h1",
    "section heading": "main h2",
    "material name": ".mat-name",
    "colloquial name": ".mat-short",
    "original, copies, necessity": ".mat-meta",
    "can-be-later tag": ".tag",
    "plain review point": ".review-points strong",
}


def test_elder_mode_enlarges_every_text_and_hides_no_material_detail(live_server, test_catalog, phone, axe):
    Question.objects.filter(matter=test_catalog, key="first_time").update(help_text="换过证的也算第一次")
    page = phone
    department = live_server.url + "/guide/departments/TS/"
    ask = live_server.url + "/guide/TS01/ask/"
    checklist = live_server.url + "/guide/TS01/checklist/lost/?first_time=lost"

    def measure():
        page.goto(department)
        axe(page)
        sizes = {"matter name": size_of(page, ".list a"), "time limit": size_of(page, ".list .count")}
        page.goto(ask)
        axe(page)
        sizes |= {
            "help text": size_of(page, ".help"),
            "question": size_of(page, "h1"),
            "option": size_of(page, ".option"),
        }
        page.goto(checklist)
        axe(page)
        sizes |= {name: size_of(page, selector) for name, selector in TEXTS.items()}
        sizes["body text"] = size_of(page, ".material p:not(.mat-meta)")
        return sizes

    standard = measure()
    page.get_by_test_id("elder-switch").click()
    elder = measure()

    smaller = {name: (standard[name], elder[name]) for name in standard if elder[name] <= standard[name]}
    assert not smaller, f"not larger in 长辈版 (standard, elder): {smaller}"
    assert elder["body text"] >= 20
    for heading in ("heading", "section heading", "material name", "question"):
        assert elder[heading] > elder["body text"], heading
    assert elder["colloquial name"] >= elder["body text"]
    # Nothing a resident needs at the window is hidden: original/copy, count, necessity.
    meta = page.locator(".mat-meta").first
    assert meta.is_visible() and "原件" in meta.inner_text() and "1 份" in meta.inner_text()
    assert page.get_by_role("heading", name="要带的材料（共 1 项）").is_visible()
    assert page.locator(".tag").first.is_visible() and page.locator(".tag").first.inner_text() == "可后补"
