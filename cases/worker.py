"""The background worker's rounds: deadlines (督办, escalation), the claim pool, and the outbox.

Safe with many workers on one database. Each change re-reads its case under a
row lock inside the transaction that also writes the supervision, the event and
the notifications, and checks the whole condition again there: a case another
worker handled a moment ago no longer matches and is skipped. A case that fails
is logged and skipped; the round goes on. Notifications are claimed with a lease
(SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises writers), so
two workers never send the same text.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from cases.actions import notify, notify_unit, record
from cases.choices import HANDLING_STATUSES, Action, Level, Status
from cases.models import Case, Notification, Supervision
from cases.workdays import add_workdays, local
from grid.models import Role

log = logging.getLogger("minsheng.worker")
BATCH = 500
LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 5
RETRIES = 3


def with_retries(fn: Callable, *args):
    """Run fn; a lost connection or a lock timeout is retried a few times before it counts as a failure."""
    for attempt in range(RETRIES):
        try:
            return fn(*args)
        except (OperationalError, InterfaceError):
            if attempt == RETRIES - 1:
                raise
            close_old_connections()
            time.sleep(0.5 * (attempt + 1))
    return None


def _each(candidates, condition: Q, change: Callable[[Case], None]) -> int:
    """Apply `change` to every candidate that still meets `condition` under its row lock; count the changed."""
    done = 0
    for pk in list(candidates.values_list("pk", flat=True)[:BATCH]):

        def one(pk=pk) -> bool:
            with transaction.atomic():
                case = (
                    Case.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("unit", "category")
                    .filter(condition, pk=pk)
                    .first()
                )
                if case is None:
                    return False  # another worker got there first, or the case moved on
                change(case)
                return True

        try:
            done += bool(with_retries(one))
        except Exception:
            log.exception("worker: case %s failed; it will be tried again next round", pk)
    return done


def sweep_overdue(now: dt.datetime | None = None) -> dict[str, int]:
    """Mark overdue cases, open supervision (督办), notify and escalate; pool timeouts go to the community."""
    now = now or timezone.now()
    counts = {}

    # DISPATCHED means this dispatch is not accepted yet (responded_at keeps the case's first contact).
    late_response = Q(status=Status.DISPATCHED, respond_due__lt=now, respond_overdue=False)

    def respond_overdue(case: Case) -> None:
        case.respond_overdue = True
        case.save(update_fields=["respond_overdue"])
        _supervise(
            case, Supervision.Kind.RESPONSE, 1, f"超过响应期限（{local(case.respond_due):%m-%d %H:%M}）未联系居民"
        )

    counts["respond"] = _each(Case.objects.filter(late_response), late_response, respond_overdue)

    late_resolution = Q(status__in=HANDLING_STATUSES, resolve_due__lt=now, resolve_overdue=False)

    def resolve_overdue(case: Case) -> None:
        case.resolve_overdue, case.escalation = True, 1
        case.save(update_fields=["resolve_overdue", "escalation"])
        _supervise(case, Supervision.Kind.RESOLUTION, 1, f"超过办结期限（{local(case.resolve_due):%m-%d %H:%M}）未办结")

    counts["resolve"] = _each(Case.objects.filter(late_resolution), late_resolution, resolve_overdue)

    # Still open a full working day after the deadline: up the grid, to the centre and the leaders.
    still_late = Q(status__in=HANDLING_STATUSES, resolve_overdue=True, escalation=1, resolve_due__isnull=False)
    due = [
        c.pk
        for c in Case.objects.filter(still_late).only("pk", "resolve_due")[:BATCH]
        if add_workdays(c.resolve_due, 1) <= now
    ]

    def escalate(case: Case) -> None:
        case.escalation = 2
        case.save(update_fields=["escalation"])
        _supervise(case, Supervision.Kind.RESOLUTION, 2, "超期一个工作日仍未办结，上报区综治中心和区领导")
        _escalate(case)

    counts["escalate"] = _each(Case.objects.filter(pk__in=due), still_late, escalate)

    pool_expired = Q(status=Status.POOL, pool_until__lt=now, claimed_by__isnull=True)

    def pool_timeout(case: Case) -> None:
        case.status, case.level = Status.DISPATCHED, Level.COMMUNITY
        case.save(update_fields=["status", "level"])
        record(case, None, Action.POOL_TIMEOUT, before=Status.POOL, note="认领时限内无人认领，转社区办理")
        notify_unit(case.unit, f"小事 {case.number} 无人认领，已转社区办理。", case)

    counts["pool"] = _each(Case.objects.filter(pool_expired), pool_expired, pool_timeout)
    return counts


def _supervise(case: Case, kind: str, level: int, note: str) -> None:
    Supervision.objects.get_or_create(case=case, kind=kind, level=level, defaults={"note": note})
    record(case, None, Action.OVERDUE if level == 1 else Action.ESCALATE, before=case.status, note=note, public=False)
    notify_unit(case.unit, f"【督办】诉求 {case.number}：{note}", case, leaders_only=True)


def _escalate(case: Case) -> None:
    """Up the grid: the dispatch centre and the district leaders hear of it."""
    kinds = (Role.Kind.DISPATCHER, Role.Kind.DISTRICT_LEADER)
    phones = set(
        Role.objects.filter(kind__in=kinds, person__phone__isnull=False).values_list("person__phone", flat=True)
    )
    unit = case.unit.name if case.unit else "未派单"
    for phone in sorted(phones):
        notify(phone, f"【督办上报】诉求 {case.number}（{unit}）超期未办结。", case)


def _claim_notifications(limit: int) -> list[Notification]:
    """Take up to `limit` unsent messages for this worker for LEASE; others skip them meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("id")[:limit]
        )
        for note in batch:
            note.attempts += 1
            note.lease_until = now + LEASE
            note.save(update_fields=["attempts", "lease_until"])
    return batch


def deliver_notifications(limit: int = 200) -> int:
    """Send what the outbox holds; a failure is retried on a later round, up to MAX_ATTEMPTS times."""
    from core.sms import send_sms

    sent = 0
    for note in with_retries(_claim_notifications, limit):
        try:
            send_sms(note.phone, note.text)
        except Exception as exc:
            log.warning("短信发送失败（第 %s 次）：%s", note.attempts, exc)
            Notification.objects.filter(pk=note.pk).update(last_error=str(exc)[:255], lease_until=None)
            continue
        Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now(), lease_until=None)
        sent += 1
    return sent


def guarded(logger: logging.Logger, failure: str, fn: Callable, *args):
    """One step of a worker round: a failure is logged as `failure` and tried again next round, never raised."""
    try:
        return fn(*args)
    except Exception:
        logger.exception(failure)
        return None


def beat(logger: logging.Logger, name: str, counts: dict[str, int]) -> None:
    """The heartbeat /healthz reads, carrying what the round did."""
    from core.models import Heartbeat

    summary = " ".join(f"{k}={v}" for k, v in counts.items())
    guarded(logger, f"{name}: heartbeat failed", with_retries, Heartbeat.beat, name, summary)


def run_round() -> dict[str, int]:
    """One round of the worker; what fails is logged, and the heartbeat says the worker is alive."""
    counts: dict[str, int] = {}
    counts.update(guarded(log, "worker: deadline sweep failed", sweep_overdue) or {})
    sent = guarded(log, "worker: sending notifications failed", deliver_notifications)
    if sent is not None:
        counts["sent"] = sent
    beat(log, "worker", counts)
    return counts
