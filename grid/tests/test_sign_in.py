"""One sign-in page for everyone at /login/: phone + code, or (staff) account + password."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from demo.accounts import DEMO_PASSWORD
from grid.models import Person, Role, Unit

pytestmark = pytest.mark.django_db


RIGHT = "pw-right-one"


def make_user(username: str, *, phone: str | None = None, role: str | None = None, unit: str | None = None, **extra):
    user = User.objects.create_user(username, password=RIGHT, **extra)
    person = Person.objects.create(user=user, phone=phone, name=username)
    if role:
        Role.objects.create(person=person, kind=role, unit=Unit.objects.get(code=unit) if unit else None)
    return user


def sign_in(client, username, password=RIGHT, next_url=None, address="10.0.0.1"):
    data = {"pw-username": username, "pw-password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login/", data, REMOTE_ADDR=address)


def test_staff_sign_in_with_a_password_and_land_on_their_work_queue(client):
    make_user("dispatcher-s", role=Role.Kind.DISPATCHER, unit="U01")
    response = sign_in(client, "dispatcher-s")
    assert response.status_code == 302 and response["Location"] == "/work/"
    assert client.get("/work/").status_code == 200


def test_admin_staff_without_a_queue_land_in_the_admin(client):
    make_user("editor-s", is_staff=True, is_superuser=True)
    response = sign_in(client, "editor-s")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_page_sends_everyone_to_the_one_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/guide/matter/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Fguide%2Fmatter%2F"
    final = client.get("/admin/", follow=True)
    assert final.redirect_chain[-1][0].startswith("/login/?next=%2Fadmin%2F")
    assert "账号 + 密码" in final.content.decode()


def test_after_signing_in_staff_go_where_they_were_going_but_never_off_site(client):
    make_user("editor-n", is_staff=True, is_superuser=True)
    assert sign_in(client, "editor-n", next_url="/admin/guide/matter/")["Location"] == "/admin/guide/matter/"
    client.logout()
    assert sign_in(client, "editor-n", next_url="https://evil.example/")["Location"] == "/admin/"


def test_someone_without_admin_rights_is_not_sent_back_into_the_admin(client):
    make_user("handler-s", role=Role.Kind.HANDLER, unit="U08")
    assert sign_in(client, "handler-s", next_url="/admin/")["Location"] == "/work/"
    page = client.get("/login/?next=/admin/").content.decode()
    assert "这个账号不能进入管理后台" in page


def test_a_wrong_password_is_refused_with_an_error_summary_linking_to_the_account_field(client):
    make_user("dispatcher-w", role=Role.Kind.DISPATCHER, unit="U01")
    response = sign_in(client, "dispatcher-w", password="wrong")
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>错误：" in page
    assert re.search(r'data-error-summary.*<a href="#id_pw-username">账号或密码不对', page, re.S)
    assert "_auth_user_id" not in client.session


def test_an_empty_form_names_each_missing_field(client):
    page = client.post("/login/", {"pw-username": "", "pw-password": ""}).content.decode()
    assert '<a href="#id_pw-username">请输入账号</a>' in page
    assert '<a href="#id_pw-password">请输入密码</a>' in page


def test_password_guesses_are_limited_per_account_from_any_address(client, settings):
    settings.RATE_LIMITS = {"staff_login": "3/h"}
    make_user("leader-r", role=Role.Kind.DISTRICT_LEADER)
    for i in range(3):
        assert sign_in(client, "leader-r", password="guess", address=f"10.0.1.{i}").status_code == 400
    response = sign_in(client, "LEADER-R", address="10.0.2.1")  # the right password, too late, any case
    assert response.status_code == 429
    assert "太频繁" in response.content.decode() and "手机号和验证码" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_guesses_are_limited_per_address_across_accounts(client, settings):
    settings.RATE_LIMITS = {"staff_login": "3/h"}
    make_user("victim-r", role=Role.Kind.DISTRICT_LEADER)
    for name in ("a-r", "b-r", "c-r"):
        sign_in(client, name, password="guess", address="10.0.3.3")
    assert sign_in(client, "victim-r", address="10.0.3.3").status_code == 429
    assert sign_in(client, "victim-r", address="10.0.3.4").status_code == 302


def test_a_resident_can_sign_out(client):
    resident = make_user("p13900000077", phone="13900000077")
    client.force_login(resident)
    page = client.get("/").content.decode()
    assert 'data-testid="logout"' in page
    response = client.post("/logout/", follow=True)
    assert "您已退出登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert 'data-testid="logout"' not in client.get("/").content.decode()


def test_the_phone_field_asks_for_digits_and_a_bad_number_is_named_in_the_summary(client, sms):
    page = client.get("/login/").content.decode()
    assert re.search(r'<input type="tel" name="phone" inputmode="numeric"', page)
    response = client.post("/login/", {"phone": "12345"})
    assert response.status_code == 400
    assert '<a href="#id_phone">请输入 11 位手机号</a>' in response.content.decode()
    assert sms == []


def test_signing_in_with_a_code_goes_where_the_resident_was_going(client, sms):
    response = client.post("/login/", {"phone": "139 0000 0088", "next": "/p/"})
    assert response["Location"] == "/login/code/?next=%2Fp%2F"
    code = re.search(r"\d{6}", sms[-1][1]).group()
    assert client.post("/login/code/", {"code": code, "next": "/p/"})["Location"] == "/p/"


def test_staff_signing_in_with_their_phone_land_on_their_work_queue(client, sms):
    make_user("volunteer-c", phone="13900000099", role=Role.Kind.VOLUNTEER)
    client.post("/login/", {"phone": "13900000099"})
    code = re.search(r"\d{6}", sms[-1][1]).group()
    assert client.post("/login/code/", {"code": code})["Location"] == "/work/"


def test_a_wrong_code_is_named_in_the_summary(client, sms):
    client.post("/login/", {"phone": "13900000066"})
    wrong = "000000" if re.search(r"\d{6}", sms[-1][1]).group() != "000000" else "111111"
    response = client.post("/login/code/", {"code": wrong})
    assert response.status_code == 400
    assert '<a href="#id_code">验证码不对，请再看一下短信</a>' in response.content.decode()


def test_every_demo_login_in_the_readme_signs_in_and_lands_on_a_page_that_opens(client):
    """The README's demo-logins table, row by row: password sign-in, then wherever the role lands."""
    call_command("load_demo", verbosity=0)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    usernames = re.findall(r"`([a-z_]+)`", "".join(rows))
    assert {"admin", "dispatcher", "leader", "community", "volunteer", "resident"} <= set(usernames)
    for username in usernames:
        client.logout()
        response = sign_in(client, username, password=DEMO_PASSWORD, address=f"10.9.{len(username)}.1")
        assert response.status_code == 302, username
        landing = client.get(response["Location"])
        assert landing.status_code == 200, (username, response["Location"])
