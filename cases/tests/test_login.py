"""Residents sign in with a phone number and a one-time code."""

import re

import pytest

from grid.models import LoginCode, Person

pytestmark = pytest.mark.django_db


def code_from(sms) -> str:
    return re.search(r"\d{6}", sms[-1][1]).group()


def test_phone_and_code_sign_in_creates_the_resident(client, sms):
    client.post("/login/", {"phone": "139 1234 5678"})
    assert sms[-1][0] == "13912345678"
    response = client.post("/login/code/", {"code": code_from(sms)})
    assert response.status_code == 302
    assert Person.objects.get(phone="13912345678").user.is_authenticated
    assert client.get("/cases/mine/").status_code == 200


def test_wrong_code_then_too_many_attempts(client, sms):
    client.post("/login/", {"phone": "13912345678"})
    page = client.post("/login/code/", {"code": "000000" if code_from(sms) != "000000" else "111111"}).content.decode()
    assert "验证码不对" in page
    for _ in range(5):
        client.post("/login/code/", {"code": "999999x"})
    assert "输错次数太多" in client.post("/login/code/", {"code": code_from(sms)}).content.decode()


def test_codes_are_rate_limited_and_stored_hashed(client, sms):
    for _ in range(5):
        client.post("/login/", {"phone": "13912345678"})
    assert "太频繁" in client.post("/login/", {"phone": "13912345678"}).content.decode()
    assert not LoginCode.objects.filter(code_hash__in=[code_from(sms)]).exists()


def test_bad_phone_is_refused(client, sms):
    assert "11 位手机号" in client.post("/login/", {"phone": "12345"}).content.decode()
    assert sms == []
