"""Every bad input gets a clear 4xx and stores nothing — never a 500 (run on SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import actions
from cases.models import ApiKey, Case, ExtensionRequest
from grid.models import Person

pytestmark = pytest.mark.django_db
NUL = "\x00"


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/search/", {"q": f"身份证{NUL}"}),
        ("get", "/api/guide/search", {"q": f"社保{NUL}"}),
        ("get", "/open311/v2/requests.json", {"service_code": f"C13{NUL}"}),
        ("post", "/cases/new/", {"description": f"路灯{NUL}坏了", "phone": "13800000099", "idempotency_key": "a"}),
        ("post", "/cases/track/", {"number": f"261203-00001{NUL}", "phone": "13800000099"}),
        ("post", "/login/", {"phone": f"1380000{NUL}0099"}),
    ],
)
def test_control_characters_in_pages_and_queries_are_refused(client, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert not Case.objects.exists()


def test_control_characters_in_json_and_open311_bodies_are_refused(client):
    api = client.post(
        "/api/cases/", {"description": f"井盖{NUL}", "phone": "13800000099"}, content_type="application/json"
    )
    assert api.status_code == 400 and "控制字符" in api.json()["detail"]
    ApiKey.objects.create(name="热线", key="k")
    body = {"api_key": "k", "service_code": "C13", "description": "路灯\x1b坏了", "lat": "29", "long": "113"}
    assert client.post("/open311/v2/requests.json", body).status_code == 400
    header = client.post(
        "/api/cases/", {"description": "井盖", "phone": "13800000099"}, content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"k{NUL}",
    )  # fmt: skip
    assert header.status_code == 400
    assert not Case.objects.exists()


def test_over_long_idempotency_keys_are_refused(client):
    body = {"description": "井盖丢了", "phone": "13800000099"}
    response = client.post("/api/cases/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k" * 65)
    assert response.status_code == 422 and "idempotency_key" in response.json()["detail"]
    ApiKey.objects.create(name="热线", key="k")
    o311 = {"api_key": "k", "service_code": "C13", "description": "路灯", "lat": "29", "long": "113"}
    assert client.post("/open311/v2/requests.json", o311, HTTP_IDEMPOTENCY_KEY="x" * 65).status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("query", ["offset=100000000000000000000", "limit=100000", "offset=-1", "status=" + "x" * 40])
def test_huge_or_wrong_paging_is_422(client, people, query):
    client.force_login(people["dispatcher"])
    assert client.get(f"/api/cases/?{query}").status_code == 422
    assert client.get(f"/api/projects/?{query}").status_code in (200, 422)  # status is not a parameter there
    assert client.get("/api/projects/?offset=100000000000000000000").status_code == 422


def test_impossible_dates_are_refused(client, new_case, people):
    assert client.get("/open311/v2/requests.json", {"start_date": "2026-13-01T00:00:00"}).status_code == 400
    case = actions.accept(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"), people["handler"])
    client.force_login(people["handler"])
    response = client.post(
        f"/api/cases/{case.number}/actions/extend",
        {"new_due": "2026-13-01", "text": "等材料"},
        content_type="application/json",
    )
    assert response.status_code == 422 and not ExtensionRequest.objects.exists()
    page = client.post(f"/cases/{case.number}/act/", {"action": "extend", "new_due": "2026-02-30", "text": "等材料"})
    assert page.status_code == 400 and "请填写延期到哪一天" in page.content.decode()


def test_dispatch_to_an_unknown_unit_is_refused_not_sent_to_the_default(client, new_case, people):
    case = new_case(code="C09")
    client.force_login(people["dispatcher"])
    url = f"/api/cases/{case.number}/actions/dispatch"
    response = client.post(url, {"level": "部门", "unit": "U99"}, content_type="application/json")
    assert response.status_code == 422 and "U99" in response.json()["detail"]
    case.refresh_from_db()
    assert case.status == "new" and case.unit is None


def test_an_extension_decision_needs_a_yes_or_no(client, new_case, people):
    case = actions.accept(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"), people["handler"])
    actions.request_extension(case, people["handler"], new_due=timezone.now() + dt.timedelta(days=20), reason="等材料")
    client.force_login(people["dispatcher"])
    url = f"/api/cases/{case.number}/actions/decide_extension"
    response = client.post(url, {"approve": None}, content_type="application/json")
    assert response.status_code == 422 and "approve" in response.json()["detail"]
    assert ExtensionRequest.objects.get().status == "pending"
    with pytest.raises(actions.ActionError, match="同意或不同意"):
        actions.decide_extension(ExtensionRequest.objects.get(), people["dispatcher"], approve=None)


def test_whitespace_only_descriptions_are_refused_everywhere(client, grid):
    api = client.post(
        "/api/cases/", {"description": " \n\u3000 ", "phone": "13800000099"}, content_type="application/json"
    )
    assert api.status_code == 422 and "description" in api.json()["detail"]
    page = client.post("/cases/new/", {"description": "   ", "phone": "13800000099", "idempotency_key": "k"})
    assert page.status_code == 400
    ApiKey.objects.create(name="热线", key="k")
    o311 = {"api_key": "k", "service_code": "C13", "description": "  ", "lat": "29", "long": "113"}
    assert client.post("/open311/v2/requests.json", o311).status_code == 400
    with pytest.raises(actions.ActionError):
        actions.submit_case(description="\t \n")
    assert not Case.objects.exists()


def test_full_width_digits_are_the_same_phone_and_the_same_person(client, sms, grid):
    client.post("/cases/new/", {"description": "路灯坏了", "phone": "13９００００１２３４", "idempotency_key": "k"})
    assert Case.objects.get().reporter_phone == "13900001234"
    client.post("/login/", {"phone": "１３９ ０００ ０１２３４"})
    assert sms[-1][0] == "13900001234"
    code = sms[-1][1].split("验证码是 ")[1][:6]
    client.post("/login/code/", {"code": code})
    client.post("/login/", {"phone": "13900001234"})  # the ASCII form later: the same account
    assert Person.objects.filter(phone="13900001234").count() == 1


def test_the_loser_of_a_claim_race_gets_409_with_the_reason(client, new_case, people):
    from cases.tests.conftest import make_person
    from grid.models import Role

    case = actions.publish_to_pool(new_case(text="帮老人换灯泡", code="C37"), people["dispatcher"])
    other = make_person("v2", "13700000002", (Role.Kind.VOLUNTEER, None, case.unit.region))
    client.force_login(people["volunteer"])
    url = f"/api/cases/{case.number}/actions/claim"
    page_before = client.get(f"/api/cases/{case.number}").json()  # the volunteer sees "claim" offered
    assert "claim" in page_before["allowed_actions"]
    actions.claim(case, other)  # someone else is quicker
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 409 and response.json()["detail"] == "这件事已经被别人认领了"


def test_api_bodies_must_be_json(client):
    response = client.post("/api/cases/", {"description": "路灯坏了", "phone": "13800000099"})  # a form post
    assert response.status_code == 415 and not Case.objects.exists()


def test_signed_in_api_posts_need_the_csrf_token(people):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["resident"])
    response = browser.post("/api/cases/", {"description": "路灯坏了"}, content_type="application/json")
    assert response.status_code == 403 and not Case.objects.exists()
