"""The worker survives bad cases, re-checks under the lock, never sends a text twice, and says it is alive."""

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

from cases import actions, worker
from cases.models import Case, Notification, Supervision
from core.models import Heartbeat

pytestmark = pytest.mark.django_db


def make_overdue(case: Case) -> Case:
    past = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(respond_due=past, resolve_due=past)
    return case


def test_one_failing_case_is_logged_and_the_others_still_get_supervised(new_case, people, monkeypatch, caplog):
    bad = make_overdue(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"))
    good = make_overdue(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"))
    real = worker._supervise

    def flaky(case, *args):
        if case.pk == bad.pk:
            raise RuntimeError("broken row")
        return real(case, *args)

    monkeypatch.setattr(worker, "_supervise", flaky)
    counts = worker.run_round()  # does not raise
    assert counts["respond"] == 1
    assert Supervision.objects.filter(case=good).exists() and not Supervision.objects.filter(case=bad).exists()
    bad.refresh_from_db()
    assert not bad.respond_overdue  # rolled back with its supervision: tried again next round
    assert "broken row" in caplog.text


def test_a_case_that_moved_on_since_it_was_listed_is_left_alone(new_case, people):
    case = make_overdue(actions.dispatch(new_case(code="C09"), people["dispatcher"], level="部门"))
    listed = Case.objects.filter(pk=case.pk)  # what the sweep saw a moment ago
    actions.accept(case, people["handler"])  # then the unit accepted
    late_response = worker.Q(status="dispatched", respond_overdue=False)
    changed = worker._each(listed, late_response, lambda c: pytest.fail("acted on a case that moved on"))
    assert changed == 0


def test_lost_connections_are_retried(monkeypatch):
    calls = []

    def once_broken():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return "done"

    monkeypatch.setattr(worker.time, "sleep", lambda s: None)
    assert worker.with_retries(once_broken) == "done" and len(calls) == 2


def test_a_leased_message_is_not_sent_by_another_worker_until_the_lease_ends(sms):
    note = Notification.objects.create(phone="13800000001", text="测试")
    assert [n.pk for n in worker._claim_notifications(10)] == [note.pk]  # worker A took it, then stalled
    assert worker.deliver_notifications() == 0  # worker B skips it
    Notification.objects.filter(pk=note.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert worker.deliver_notifications() == 1 and sms == [("13800000001", "测试")]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_every_text_exactly_once(sms):
    Notification.objects.bulk_create(Notification(phone="13800000001", text=f"第{i}条") for i in range(60))
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            worker.deliver_notifications(limit=40)
            worker.deliver_notifications(limit=40)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    texts = [text for _, text in sms]
    assert sorted(texts) == sorted(f"第{i}条" for i in range(60))  # all sent, none twice
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_every_round_writes_a_heartbeat():
    before = timezone.now()
    worker.run_round()
    assert Heartbeat.objects.get(name="worker").beat_at >= before


def test_a_failing_gateway_is_retried_and_gives_up_after_five_attempts(settings, monkeypatch):
    note = Notification.objects.create(phone="13800000001", text="x")

    def down(phone, text):
        raise ConnectionError("网关超时")

    monkeypatch.setattr("core.sms.send_sms", down)
    for _ in range(7):
        worker.deliver_notifications()
    note.refresh_from_db()
    assert note.attempts == 5 and note.sent_at is None and "网关超时" in note.last_error
