"""Time limits in working days, and the worker that supervises and escalates without double-acting."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from cases import actions, worker
from cases.models import Case, Holiday, Notification, Supervision
from cases.workdays import add_workdays, is_workday

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_weekends_holidays_and_make_up_workdays():
    assert not is_workday(dt.date(2026, 10, 1))  # 国庆
    assert is_workday(dt.date(2026, 10, 10))  # Saturday, 调休上班
    assert not is_workday(dt.date(2026, 11, 28))  # ordinary Saturday
    assert is_workday(dt.date(2026, 11, 27))


def test_deadline_skips_the_national_day_holiday():
    start = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SH)  # Wednesday before 国庆
    # 1 working day later: 10-01..10-07 off, 10-08 is Thursday
    assert add_workdays(start, 1) == dt.datetime(2026, 10, 8, 10, 0, tzinfo=SH)
    assert add_workdays(start, 3) == dt.datetime(2026, 10, 10, 10, 0, tzinfo=SH)  # Saturday 调休 counts


def test_holiday_edited_in_the_admin_applies_at_once():
    day = dt.date(2026, 12, 1)
    assert is_workday(day)
    Holiday.objects.create(date=day, is_workday=False, note="测试放假")
    assert not is_workday(day)


def overdue(case: Case) -> Case:
    past = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(respond_due=past, resolve_due=past)
    return case


def test_worker_marks_overdue_opens_supervision_and_tells_the_unit_leader(new_case, people):
    case = overdue(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"))
    counts = worker.sweep_overdue()
    assert counts["respond"] == 1 and counts["resolve"] == 1
    case.refresh_from_db()
    assert case.respond_overdue and case.resolve_overdue
    assert set(Supervision.objects.filter(case=case).values_list("kind", flat=True)) == {"response", "resolution"}
    leader_texts = Notification.objects.filter(case=case, phone="13800000004").values_list("text", flat=True)
    assert any("督办" in t for t in leader_texts)


def test_a_second_sweep_or_a_second_worker_does_not_act_again(new_case, people):
    overdue(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"))
    worker.sweep_overdue()
    before = (Supervision.objects.count(), Notification.objects.count())
    assert worker.sweep_overdue() == {"respond": 0, "resolve": 0, "escalate": 0, "pool": 0}
    assert (Supervision.objects.count(), Notification.objects.count()) == before


def test_still_open_a_working_day_later_escalates_to_centre_and_leaders(new_case, people):
    case = overdue(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"))
    worker.sweep_overdue()
    later = timezone.now() + dt.timedelta(days=5)
    assert worker.sweep_overdue(now=later)["escalate"] == 1
    case.refresh_from_db()
    assert case.escalation == 2
    phones = set(Notification.objects.filter(case=case, text__contains="督办上报").values_list("phone", flat=True))
    assert {"13800000001", "13800000002"} <= phones


def test_notifications_are_delivered_once_through_the_backend(new_case, people, sms):
    case = actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门")
    actions.accept(case, people["handler"])
    assert worker.deliver_notifications() >= 2
    assert worker.deliver_notifications() == 0
    assert ("13800000011", f"您的诉求 {case.number} 已由区城市管理和综合执法局受理。") in sms
    assert any(phone == "13800000003" and "新诉求" in text for phone, text in sms)


def test_deadline_columns_are_indexed():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "cases_case")
    indexed = {tuple(c["columns"]) for c in indexes.values() if c["index"]}
    assert ("respond_due",) in indexed and ("resolve_due",) in indexed and ("pool_until",) in indexed
