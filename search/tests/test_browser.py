"""The search box is a combobox: suggestions by keyboard (↓ ↑, Enter, Esc) with the ARIA a screen reader follows.

axe-core checks every page on the way (minsheng/tests/browser.py).
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(db):
    from django.core.management import call_command

    from cases.models import Category
    from guide.models import Matter

    if not Matter.objects.filter(code="RS02").exists():
        call_command("load_catalog", verbosity=0)
    if not Category.objects.filter(code="C13").exists():
        call_command("load_reference", verbosity=0)


def test_suggestions_are_reached_and_opened_with_the_keyboard(live_server, catalog, fresh_search, phone, axe):
    page = phone
    page.goto(live_server.url + "/")
    axe(page)
    box = page.get_by_role("combobox", name="搜索办事事项")
    assert box.get_attribute("aria-expanded") == "false"
    box.fill("社保卡弄丢了")
    listbox = page.get_by_role("listbox", name="搜索建议")
    listbox.wait_for()
    axe(page)  # the open list too
    options = listbox.get_by_role("option")
    assert options.count() >= 2
    assert box.get_attribute("aria-expanded") == "true"
    assert "条建议" in page.locator("#suggestion-status").inner_text()

    box.press("ArrowDown")
    first = options.nth(0)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    second = options.nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert first.get_attribute("aria-selected") == "false"
    box.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")

    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and listbox.count() == 0
    assert box.input_value() == "社保卡弄丢了"  # Esc closes the list, the words stay

    box.fill("社保卡弄丢了 ")
    listbox.wait_for()
    target = options.nth(0).get_attribute("data-href")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(live_server.url + target)
    axe(page)


def test_enter_without_a_chosen_suggestion_searches_and_offers_a_report(live_server, catalog, fresh_search, phone, axe):
    page = phone
    page.goto(live_server.url + "/")
    axe(page)
    box = page.get_by_role("combobox", name="搜索办事事项")
    box.fill("路灯坏了")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    axe(page)
    assert page.get_by_test_id("no-match").is_visible()
    page.get_by_role("link", name="反映问题：路灯故障").click()
    page.wait_for_url("**/cases/new/?category=C13")
    axe(page)
    assert page.get_by_label("问题类别", exact=False).input_value() != ""
