"""A resident scans a project's code on a phone, signs in and rates it on the five-level 好差评 scale."""

import pytest

from minsheng.tests.browser import focused_testid, sign_in_by_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]


def test_resident_scans_a_project_signs_in_and_rates_it(live_server, project, phone, axe, outbox):
    page = phone
    page.goto(live_server.url + "/")
    axe(page)
    page.get_by_role("link", name="民生实事").click()
    axe(page)
    page.goto(live_server.url + project.get_absolute_url())  # what the QR code on the site board opens
    assert page.get_by_role("heading", name=project.name).is_visible()
    axe(page)

    page.get_by_test_id("rate").click()
    sign_in_by_code(page, axe, outbox, "13700000099")
    assert page.url == live_server.url + f"/p/{project.code}/rate/"
    axe(page)
    assert [page.get_by_role("radio", name=level, exact=True).count() for level in LEVELS] == [1] * 5

    page.get_by_label("想说的话").fill("施工围挡很规整")
    page.get_by_test_id("submit-rating").click()
    assert focused_testid(page) == "error-summary"
    axe(page)
    page.get_by_test_id("error-summary").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.name") == "satisfaction"
    assert page.get_by_label("想说的话").input_value() == "施工围挡很规整"  # kept

    page.get_by_role("radio", name="基本满意", exact=True).check()
    page.get_by_test_id("submit-rating").click()
    assert page.url == live_server.url + project.get_absolute_url()
    assert page.get_by_text("感谢您的评价").is_visible()
    assert "共 1 条评价" in page.get_by_test_id("summary").inner_text()
    axe(page)
