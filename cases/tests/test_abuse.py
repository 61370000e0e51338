"""Abuse limits: codes, tracking, anonymous reports and ratings are rate-limited per phone and address."""

import hashlib
import hmac
import re

import pytest

from cases import actions
from cases.models import Case
from grid.models import LoginCode

pytestmark = pytest.mark.django_db


def test_one_address_cannot_send_codes_to_many_phones(client, sms, settings):
    settings.RATE_LIMITS = {"login_code_ip": "3/h"}
    for i in range(3):
        assert client.post("/login/", {"phone": f"1391234000{i}"}).status_code == 302
    refused = client.post("/login/", {"phone": "13912340009"})
    assert refused.status_code == 429 and "太频繁" in refused.content.decode()
    assert len(sms) == 3
    other = client.post("/login/", {"phone": "13912340009"}, REMOTE_ADDR="198.51.100.3")
    assert other.status_code == 302


def test_guessing_codes_from_one_address_is_slowed_down(client, sms, settings):
    settings.RATE_LIMITS = {"login_verify_ip": "3/h"}
    client.post("/login/", {"phone": "13912345678"})
    for _ in range(3):
        assert client.post("/login/code/", {"code": "000001"}).status_code == 400
    assert client.post("/login/code/", {"code": "000001"}).status_code == 429


def test_codes_are_stored_as_keyed_hashes(client, sms, settings):
    client.post("/login/", {"phone": "13912345678"})
    code = re.search(r"\d{6}", sms[-1][1]).group()
    stored = LoginCode.objects.get().code_hash
    expected = hmac.new(settings.SECRET_KEY.encode(), f"login-code\x1f13912345678\x1f{code}".encode(), hashlib.sha256)
    assert stored == expected.hexdigest() and "$" not in stored and code not in stored


def test_tracking_by_number_is_limited_per_address(client, settings, new_case):
    settings.RATE_LIMITS = {"track": "3/h"}
    case = new_case()
    for _ in range(3):
        assert client.post("/cases/track/", {"number": "261203-99999", "phone": "13800000011"}).status_code == 400
    blocked = client.post("/cases/track/", {"number": case.number, "phone": "13800000011"})
    assert blocked.status_code == 429 and "太频繁" in blocked.content.decode()


def test_tracking_accepts_spaces_and_a_missing_dash(client, new_case):
    case = new_case()
    typed = " ".join(case.number.replace("-", ""))  # "2 6 1 2 0 3 0 0 0 0 1"
    response = client.post("/cases/track/", {"number": typed, "phone": "138 0000 0011"})
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/public/{case.number}/")


def test_anonymous_reports_are_limited_per_address_signed_in_ones_are_not(client, people, grid, settings):
    settings.RATE_LIMITS = {"intake_anon": "2/h"}
    for i in range(2):
        body = {"description": f"路灯坏了{i}", "phone": "13800000099", "idempotency_key": f"a{i}"}
        assert client.post("/api/cases/", body, content_type="application/json").status_code == 201
    body = {"description": "路灯又坏了", "phone": "13800000099", "idempotency_key": "a9"}
    refused = client.post("/api/cases/", body, content_type="application/json")
    assert refused.status_code == 429 and refused["Retry-After"] and "太频繁" in refused.json()["detail"]
    page = client.post("/cases/new/", {"description": "井盖丢了", "phone": "13800000099", "idempotency_key": "p1"})
    assert page.status_code == 429
    client.force_login(people["resident"])
    assert client.post("/cases/new/", {"description": "井盖丢了", "idempotency_key": "p2"}).status_code == 302
    assert Case.objects.count() == 3


def test_ratings_are_limited_per_address(client, new_case, people, settings):
    settings.RATE_LIMITS = {"rating": "1/h"}
    cases = []
    for _ in range(2):
        case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
        actions.accept(case, people["handler"])
        cases.append(actions.resolve(case, people["handler"], text="好了"))
    client.force_login(people["resident"])
    rate = {"action": "rate", "solved": "1", "satisfaction": "满意"}
    assert client.post(f"/cases/public/{cases[0].number}/act/", rate).status_code == 302
    refused = client.post(f"/cases/public/{cases[1].number}/act/", rate)
    assert refused.status_code == 429
    cases[1].refresh_from_db()
    assert cases[1].status == "resolved"
