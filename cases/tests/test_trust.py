"""Correctness of the hub: local days, 回访 after "not solved", parties for mediation, numbers that never
collide, one transition table, and idempotency keys that belong to the client that sent them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from cases import actions, transitions
from cases.choices import Status
from cases.models import Case, Category, Notification, Party
from cases.workdays import add_workdays
from grid.models import Unit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


# ---- local time ----------------------------------------------------------------------------


@pytest.mark.parametrize("utc_hour", [16, 18, 20, 23])  # 00:00–07:59 on the next day in Changsha
def test_working_days_count_from_the_districts_date_not_utcs(utc_hour):
    friday_early = dt.datetime(2026, 12, 3, utc_hour, 30, tzinfo=UTC)  # Friday 2026-12-04 local
    assert friday_early.astimezone(SH).date() == dt.date(2026, 12, 4)
    due = add_workdays(friday_early, 1).astimezone(SH)
    assert due.date() == dt.date(2026, 12, 7)  # Monday; counting on the UTC Thursday gave Saturday
    assert (due.hour, due.minute) == ((utc_hour + 8) % 24, 30)


def test_texts_show_deadlines_on_the_districts_clock(new_case, people, monkeypatch):
    early = dt.datetime(2026, 12, 3, 23, 10, tzinfo=UTC)  # 07:10 on Friday in Changsha
    monkeypatch.setattr(actions, "_now", lambda: early)
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")  # respond within 24 h
    text = Notification.objects.filter(case=case, text__startswith="新诉求").first().text
    assert "12-05 07:10" in text  # in UTC it would have said 12-04 23:10


# ---- 回访 ------------------------------------------------------------------------------------


@pytest.fixture
def resolved(new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    return actions.resolve(case, people["handler"], text="已清理")


def test_not_solved_does_not_close_the_case_it_waits_for_a_callback(client, resolved, people):
    case = actions.rate(resolved, people["resident"], solved=False, satisfaction="不满意", comment="还是很脏")
    assert case.status == Status.REVISIT and case.is_open and case.closed_at is None
    client.force_login(people["dispatcher"])
    assert case.number in client.get("/work/").content.decode()  # in the 待回访 queue
    assert "callback" in transitions.allowed_actions(people["dispatcher"], case)


def test_callback_confirming_not_solved_sends_the_case_back_to_the_unit(resolved, people):
    actions.rate(resolved, people["resident"], solved=False, satisfaction="非常不满意")
    case = actions.callback(resolved, people["dispatcher"], solved=False, satisfaction="不满意", comment="电话核实")
    assert case.status == Status.DISPATCHED and case.unit.code == "U08"
    assert case.resolve_due > timezone.now() and case.solved is None
    assert list(case.events.values_list("action", flat=True))[-3:] == ["rate", "callback", "reopen"]


def test_callback_finding_it_solved_closes_with_the_answer(resolved, people):
    actions.rate(resolved, people["resident"], solved=False, satisfaction="不满意")
    case = actions.callback(resolved, people["dispatcher"], solved=True, satisfaction="基本满意")
    assert case.status == Status.CLOSED and case.solved is True and case.satisfaction == "基本满意"


def test_cases_nobody_rated_online_reach_the_callback_queue(client, resolved, people, settings):
    client.force_login(people["dispatcher"])
    settings.CASE_CALLBACK_AFTER_DAYS = 3
    assert resolved.number not in client.get("/work/").content.decode()
    Case.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - dt.timedelta(days=4))
    assert resolved.number in client.get("/work/").content.decode()


# ---- mediation: parties --------------------------------------------------------------------


@pytest.fixture
def dispute(new_case, people):
    u08 = Unit.objects.get(code="U08")
    return actions.dispatch(new_case(text="楼上漏水协商不成", code="C01"), people["dispatcher"], level="部门", unit=u08)


def test_the_mediator_adds_parties_on_the_case_page_and_reaches_the_agreement(client, dispute, people):
    client.force_login(people["handler"])
    url = f"/cases/{dispute.number}/act/"
    for role, name in (("applicant", "张三"), ("respondent", "李四")):
        response = client.post(url, {"action": "party", "role": role, "name": name, "phone": "139 0000 1234"})
        assert response.status_code == 302
    settle = {"action": "mediate", "step": "settle", "facts": "漏水", "terms": "赔偿 500 元"}
    assert client.post(url, {**settle, "performance": "现金", "deadline": "2026-12-31"}).status_code == 302
    agreement = client.get(f"/cases/{dispute.number}/agreement/").content.decode()
    assert "张三" in agreement and "李四" in agreement and "赔偿 500 元" in agreement
    assert dispute.events.filter(action="party").count() == 2
    assert Party.objects.get(name="张三").phone == "13900001234"


def test_parties_through_the_api_with_bad_input_named(client, dispute, people):
    client.force_login(people["handler"])
    url = f"/api/cases/{dispute.number}/actions/party"
    bad = client.post(
        url, {"party": {"role": "applicant", "name": "王五", "id_number": "123"}}, content_type="application/json"
    )
    assert bad.status_code == 422 and "身份证号" in bad.json()["detail"]
    ok = client.post(url, {"party": {"role": "respondent", "name": "王五"}}, content_type="application/json")
    assert ok.status_code == 200 and Party.objects.filter(name="王五").count() == 1


def test_parties_added_in_the_admin_write_history(admin_client, dispute):
    url = f"/admin/cases/dispute/{dispute.dispute.pk}/change/"
    form = {
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-role": "applicant",
        "parties-0-name": "赵六",
    }
    assert admin_client.post(url, form).status_code == 302
    assert Party.objects.filter(name="赵六").exists()
    assert dispute.events.filter(action="party", note__contains="赵六").exists()


def test_a_request_that_is_not_a_dispute_takes_no_parties(client, new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    client.force_login(people["handler"])
    response = client.post(
        f"/api/cases/{case.number}/actions/party",
        {"party": {"role": "applicant", "name": "甲"}},
        content_type="application/json",
    )
    assert response.status_code == 403 and not Party.objects.exists()


# ---- case numbers --------------------------------------------------------------------------


def test_case_numbers_do_not_wrap_after_a_hundred_thousand(new_case):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval('cases_case_number_seq', 99999)")
        else:
            new_case()  # makes the counter row
            cursor.execute("UPDATE cases_numbercounter SET value = 99999 WHERE key = 'case'")
    first, second = new_case(), new_case()
    assert first.number.endswith("-100000") and second.number.endswith("-100001")


# ---- one transition table ------------------------------------------------------------------


def test_what_the_page_offers_is_what_the_actions_accept(new_case, people):
    """Walk a case through its life; at every step every offered action passes the state check, and every
    action not in the table's sources for that state is refused by it."""
    case = new_case(code="C09")
    steps = [
        lambda c: actions.dispatch(c, people["dispatcher"], level="部门"),
        lambda c: actions.accept(c, people["handler"]),
        lambda c: actions.resolve(c, people["handler"], text="好了"),
        lambda c: actions.rate(c, people["resident"], solved=True, satisfaction="满意"),
    ]
    for step in [None, *steps]:
        if step:
            case = step(case)
        for user in people.values():
            for action in transitions.allowed_actions(user, case):
                transitions.check(case, action)  # never raises for an offered action
        for action, t in transitions.TRANSITIONS.items():
            if case.status not in t.sources:
                with pytest.raises(actions.ActionError):
                    transitions.check(case, action)


def test_an_extension_cannot_be_asked_before_the_unit_accepts(new_case, people):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    assert "extend" not in transitions.allowed_actions(people["handler"], case)
    with pytest.raises(actions.ActionError, match="不能申请延期"):
        actions.request_extension(case, people["handler"], new_due=timezone.now() + dt.timedelta(days=9), reason="x")


# ---- idempotency keys belong to their client -----------------------------------------------


def test_a_known_key_from_another_browser_makes_a_new_case_and_opens_nothing(client, grid):
    from django.test import Client

    data = {"description": "楼道灯坏了", "phone": "13800000099", "idempotency_key": "same-key"}
    client.post("/cases/new/", data)
    victim = Case.objects.get()
    stranger = Client()
    response = stranger.post("/cases/new/", {**data, "phone": "13800000088", "description": "别的事"})
    assert response.status_code == 302
    assert Case.objects.count() == 2 and victim.number not in response["Location"]
    assert stranger.get(f"/cases/public/{victim.number}/").status_code == 404
    rate = {"action": "rate", "solved": "1", "satisfaction": "满意"}
    assert stranger.post(f"/cases/public/{victim.number}/act/", rate).status_code == 404


def test_api_keys_count_per_phone_for_anonymous_clients(client):
    body = {"description": "路灯坏了", "idempotency_key": "k-1"}
    a = client.post("/api/cases/", {**body, "phone": "13800000001"}, content_type="application/json")
    b = client.post("/api/cases/", {**body, "phone": "13800000002"}, content_type="application/json")
    assert a.status_code == b.status_code == 201 and a.json()["number"] != b.json()["number"]
    again = client.post("/api/cases/", {**body, "phone": "13800000001"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["number"] == a.json()["number"]


def test_open311_device_id_is_not_an_idempotency_key(client):
    from cases.models import ApiKey

    ApiKey.objects.create(name="App", key="app-key")
    report = {"api_key": "app-key", "service_code": "C13", "lat": "29.1", "long": "113.1", "device_id": "phone-1"}
    first = client.post("/open311/v2/requests.json", {**report, "description": "路灯坏了"})
    second = client.post("/open311/v2/requests.json", {**report, "description": "井盖丢了"})
    assert first.status_code == second.status_code == 201
    assert Case.objects.count() == 2
    retry = client.post("/open311/v2/requests.json", {**report, "description": "树倒了"}, HTTP_IDEMPOTENCY_KEY="r1")
    again = client.post("/open311/v2/requests.json", {**report, "description": "树倒了"}, HTTP_IDEMPOTENCY_KEY="r1")
    assert retry.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Case.objects.count() == 3


def test_categories_keep_their_unit_after_the_change(db):
    assert Category.objects.get(code="C09").default_unit.code == "U08"


def test_handling_again_keeps_the_first_contact_and_the_new_dispatch_is_still_supervised(resolved, people):
    first_contact = resolved.responded_at
    actions.rate(resolved, people["resident"], solved=False, satisfaction="不满意")
    case = actions.callback(resolved, people["dispatcher"], solved=False, satisfaction="不满意")
    assert case.status == Status.DISPATCHED and case.responded_at == first_contact  # 响应率 counts the first
    Case.objects.filter(pk=case.pk).update(respond_due=timezone.now() - dt.timedelta(minutes=1))
    from cases import worker

    assert worker.sweep_overdue()["respond"] == 1  # the unit must still answer this new dispatch in time
    case = actions.accept(Case.objects.get(pk=case.pk), people["handler"])
    assert case.responded_at == first_contact
