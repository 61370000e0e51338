"""Signing in and out in a real browser: residents by phone and code, staff by account and password."""

import pytest
from django.contrib.auth.models import User

from grid.models import Person, Role, Unit
from minsheng.tests.browser import focused_testid, password_form, phone_form, sign_in_by_code, sign_in_by_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_corrects_a_wrong_number_signs_in_with_a_code_and_signs_out(live_server, phone, axe, outbox):
    page = phone
    page.goto(live_server.url + "/")
    axe(page)
    page.keyboard.press("Tab")  # the first stop skips the header and search box
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="登录").click()
    axe(page)
    phone_form(page).get_by_label("手机号").fill("1390000")
    page.get_by_test_id("send-code").click()
    # The error summary is announced first and links to the field.
    assert focused_testid(page) == "error-summary"
    assert page.title().startswith("错误：")
    axe(page)
    page.get_by_test_id("error-summary").get_by_role("link", name="请输入 11 位手机号").click()
    assert page.evaluate("document.activeElement.id") == "id_phone"

    sign_in_by_code(page, axe, outbox, "139 0000 0123")
    assert page.url == live_server.url + "/"
    axe(page)
    assert Person.objects.filter(phone="13900000123").exists()

    page.get_by_test_id("logout").click()
    assert page.get_by_text("您已退出登录").is_visible()
    assert page.get_by_role("navigation", name="主菜单").get_by_role("link", name="登录").is_visible()
    axe(page)


def test_staff_reach_the_one_sign_in_page_from_the_admin_and_land_where_their_role_works(live_server, desktop, axe):
    from cases.reference import load_reference

    load_reference()
    page = desktop
    User.objects.create_user("editor-b", password="pw-editor-b", is_staff=True, is_superuser=True)
    dispatcher = User.objects.create_user("dispatcher-b", password="pw-dispatcher-b")
    Role.objects.create(
        person=Person.objects.create(user=dispatcher, name="调度员"),
        kind=Role.Kind.DISPATCHER,
        unit=Unit.objects.get(code="U01"),
    )

    page.goto(live_server.url + "/admin/")
    assert page.url.startswith(live_server.url + "/login/?next=")
    axe(page)
    password_form(page).get_by_label("账号").fill("editor-b")
    password_form(page).get_by_label("密码").fill("wrong")
    page.get_by_test_id("password-login").click()
    assert focused_testid(page) == "error-summary"
    assert "账号或密码不对" in page.get_by_test_id("error-summary").inner_text()
    axe(page)
    password_form(page).get_by_label("密码").fill("pw-editor-b")
    page.get_by_test_id("password-login").click()
    assert page.url == live_server.url + "/admin/"
    axe(page)

    page.context.clear_cookies()
    sign_in_by_password(page, axe, live_server, "dispatcher-b", "pw-dispatcher-b")
    assert page.url == live_server.url + "/work/"
    axe(page)
