"""Every change to a case: one function, one transaction, one history event.

Functions take the acting user (None for the system worker) and raise
ActionError with a message in Chinese when the change is not allowed now.
Notifications are written to the outbox in the same transaction, so a message
is never promised for a change that did not happen, nor lost for one that did.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.choices import HANDLING_STATUSES, OPEN_STATUSES, Action, Channel, Kind, Level, Satisfaction, Status
from cases.models import Case, CaseEvent, Category, Dispute, ExtensionRequest, Notification, Photo, Supervision
from cases.workdays import add_workdays
from grid.access import public_label
from grid.models import Region, Role, Unit


class ActionError(Exception):
    """A change that is not allowed now; the message says why, for the person who tried."""


# ---- helpers -------------------------------------------------------------------------------


def record(
    case: Case, user, action: str, *, before: str = "", note: str = "", public: bool = True, **data
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=user,
        actor_label=public_label(user, case.unit_id),
        action=action,
        from_status=before,
        to_status=case.status,
        note=note,
        public=public,
        data=data,
    )


def notify(phone: str, text: str, case: Case | None = None) -> None:
    if phone:
        Notification.objects.create(phone=phone, text=text[:255], case=case)


def notify_unit(unit: Unit | None, text: str, case: Case, leaders_only: bool = False) -> None:
    if unit is None:
        return
    kinds = (Role.Kind.UNIT_LEADER,) if leaders_only else tuple(Role.UNIT_STAFF)
    phones = set(
        Role.objects.filter(unit=unit, kind__in=kinds, person__phone__isnull=False).values_list(
            "person__phone", flat=True
        )
    )
    for phone in sorted(phones):
        notify(phone, text, case)


def reporters_of(case: Case) -> set[str]:
    """The phones of everyone this case answers: its reporter and those of cases merged into it."""
    phones = {case.reporter_phone} | set(case.merged.values_list("reporter_phone", flat=True))
    return {p for p in phones if p}


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock (PostgreSQL); SQLite already serialises writers."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _require(case: Case, *statuses: str) -> None:
    if case.status not in statuses:
        raise ActionError(f"诉求当前状态为“{case.get_status_display()}”，不能进行此操作")


def _now() -> dt.datetime:
    return timezone.now()


# ---- intake --------------------------------------------------------------------------------


def next_number() -> str:
    """A case number a person can read out on the phone: the date and five digits, 261124-38215.

    On PostgreSQL the digits come from a sequence, which takes no lock and
    needs no commit of its own, so concurrent submissions never queue on a
    counter row. SQLite serialises writers anyway and uses a counter row in
    the submission's own transaction. Five digits cannot repeat within a day
    below 100,000 cases a day; the unique index would refuse it if they did.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval('cases_case_number_seq')")
            value = cursor.fetchone()[0]
        else:
            cursor.execute("UPDATE cases_numbercounter SET value = value + 1 WHERE key = 'case' RETURNING value")
            row = cursor.fetchone()
            if row is None:
                cursor.execute("INSERT INTO cases_numbercounter (key, value) VALUES ('case', 1)")
            value = row[0] if row else 1
    return f"{timezone.localdate():%y%m%d}-{value % 100_000:05d}"


def submit_case(
    *,
    description: str,
    channel: str = Channel.WEB,
    category: Category | None = None,
    region: Region | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    address: str = "",
    reporter=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    entered_by=None,
    idempotency_key: str | None = None,
    photos: list = (),
) -> tuple[Case, bool]:
    """Create a case (or return the one this idempotency key already made). Returns (case, created)."""
    if category is None:
        from cases.suggest import suggest_category

        category = suggest_category(description)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=next_number(),
                kind=Kind.DISPUTE if category and category.is_dispute else Kind.REQUEST,
                description=description,
                category=category,
                level=category.default_level if category else "",
                channel=channel,
                region=region,
                latitude=latitude,
                longitude=longitude,
                address=address,
                reporter=reporter,
                reporter_name=reporter_name,
                reporter_phone=reporter_phone,
                entered_by=entered_by,
                idempotency_key=idempotency_key or None,
            )
            event = record(case, entered_by or reporter, Action.SUBMIT, note=f"渠道：{case.get_channel_display()}")
            for image in photos:
                Photo.objects.create(case=case, event=event, image=image)
            if case.kind == Kind.DISPUTE:
                Dispute.objects.create(case=case)
            # No text message here: the number is on the resident's screen; messages follow progress.
    except IntegrityError:
        # The unique key answers retries (no look-up first: that would cost every first submission a query).
        if idempotency_key:
            return Case.objects.get(idempotency_key=idempotency_key), False
        raise
    return case, True


# ---- dispatcher ----------------------------------------------------------------------------


def unit_for_level(case: Case, level: str, unit: Unit | None = None) -> Unit | None:
    """The unit a level means for this case: the community or property company of its compound."""
    if level == Level.DEPARTMENT:
        return unit or (case.category.default_unit if case.category else None)
    compound = case.region.ancestor(Region.Kind.COMPOUND) if case.region else None
    community = case.region.ancestor(Region.Kind.COMMUNITY) if case.region else None
    if level == Level.PROPERTY and compound is not None:
        return unit or Unit.objects.filter(kind=Unit.Kind.PROPERTY, compounds=compound).first()
    if level in (Level.COMMUNITY, Level.RESIDENT) and community is not None:
        return unit or Unit.objects.filter(kind=Unit.Kind.COMMUNITY, region=community).first()
    return unit


@transaction.atomic
def dispatch(
    case: Case, user, *, level: str, unit: Unit | None = None, category: Category | None = None, note: str = ""
) -> Case:
    """Send a case to a unit or down the grid; the deadlines start now."""
    case = _locked(case)
    _require(case, Status.NEW, Status.RETURNED)
    if category is not None:
        case.category = category
        case.kind = Kind.DISPUTE if category.is_dispute else Kind.REQUEST
    if case.category is None:
        raise ActionError("请先选择诉求类别")
    if level == Level.RESIDENT:
        raise ActionError("居民层级的小事请发布到认领池")
    target = unit_for_level(case, level, unit)
    if target is None:
        raise ActionError("找不到对应的处置单位：请选择单位，或先为诉求补充所在小区")
    before = case.status
    now = _now()
    case.level, case.unit, case.status, case.dispatched_at = level, target, Status.DISPATCHED, now
    _start_deadlines(case, now)
    case.save()
    if case.kind == Kind.DISPUTE and not hasattr(case, "dispute"):
        Dispute.objects.create(case=case)
    record(case, user, Action.DISPATCH, before=before, note=note, unit=target.code, level=level)
    notify_unit(
        target, f"新诉求 {case.number}（{case.category.name}），请在 {case.respond_due:%m-%d %H:%M} 前联系居民。", case
    )
    return case


def _start_deadlines(case: Case, start: dt.datetime) -> None:
    case.respond_due = start + dt.timedelta(hours=case.category.respond_hours)
    case.resolve_due = add_workdays(start, case.category.resolve_workdays)
    case.responded_at = case.resolved_at = None
    case.respond_overdue = case.resolve_overdue = False
    case.escalation = 0


@transaction.atomic
def answer(case: Case, user, *, reply: str) -> Case:
    """The dispatcher answers directly (a question, a policy): the case is resolved at once."""
    case = _locked(case)
    _require(case, Status.NEW, Status.RETURNED)
    if not reply.strip():
        raise ActionError("请填写答复内容")
    before = case.status
    case.status, case.resolved_at, case.responded_at = Status.RESOLVED, _now(), _now()
    case.save()
    record(case, user, Action.ANSWER, before=before, note=reply)
    for phone in reporters_of(case):
        notify(phone, f"您的诉求 {case.number} 已答复，请查看并评价。", case)
    return case


@transaction.atomic
def reject(case: Case, user, *, reason: str) -> Case:
    case = _locked(case)
    _require(case, Status.NEW, Status.RETURNED)
    if not reason.strip():
        raise ActionError("不予受理必须说明理由")
    before = case.status
    case.status, case.closed_at = Status.REJECTED, _now()
    case.save()
    record(case, user, Action.REJECT, before=before, note=reason)
    for phone in reporters_of(case):
        notify(phone, f"您的诉求 {case.number} 不予受理：{reason[:60]}", case)
    return case


@transaction.atomic
def merge(case: Case, into: Case, user, *, note: str = "") -> Case:
    """Many residents, one case: `case` joins `into`, whose updates then reach all of them."""
    case, into = _locked(case), _locked(into)
    if case.pk == into.pk:
        raise ActionError("不能合并到自己")
    _require(case, *OPEN_STATUSES)
    if not into.is_open:
        raise ActionError("只能合并到仍在办理的诉求")
    if into.parent_id:
        raise ActionError("目标诉求已并入其他诉求")
    before = case.status
    case.status, case.parent = Status.MERGED, into
    case.save()
    case.merged.update(parent=into)  # cases merged earlier follow
    record(case, user, Action.MERGED_INTO, before=before, note=note, into=into.number)
    record(into, user, Action.MERGE, before=into.status, note=note, merged=case.number, public=False)
    notify(
        case.reporter_phone, f"您的诉求 {case.number} 与 {into.number} 是同一件事，已合并办理，进展会一并通知您。", case
    )
    return into


@transaction.atomic
def publish_to_pool(case: Case, user, *, note: str = "") -> Case:
    """居民下单、党员接单: a small need goes to the volunteers of its community."""
    case = _locked(case)
    _require(case, Status.NEW, Status.RETURNED)
    community = case.region.ancestor(Region.Kind.COMMUNITY) if case.region else None
    if community is None:
        raise ActionError("请先为诉求补充所在小区，才能发给该社区的志愿者")
    before = case.status
    now = _now()
    case.level, case.status = Level.RESIDENT, Status.POOL
    case.unit = unit_for_level(case, Level.COMMUNITY)  # the community supervises (社区督单)
    case.pool_until = now + dt.timedelta(hours=settings.CASE_POOL_HOURS)
    case.dispatched_at = now
    if case.category:
        _start_deadlines(case, now)
    case.save()
    record(case, user, Action.PUBLISH, before=before, note=note)
    return case


def claim(case: Case, user) -> Case:
    """Take a small need from the pool. Atomic: of many simultaneous claims exactly one wins."""
    from cases.access import can_claim

    case = Case.objects.select_related("unit").get(pk=case.pk)
    if case.status != Status.POOL:
        raise ActionError("这件事已经被别人认领了" if case.claimed_by_id else "这件事现在不在认领池里")
    if not can_claim(user, case):
        raise ActionError("您不是该社区的志愿者，不能认领")
    with transaction.atomic():
        won = Case.objects.filter(pk=case.pk, status=Status.POOL, claimed_by__isnull=True).update(
            status=Status.CLAIMED, claimed_by=user, responded_at=_now()
        )
        if won != 1:
            raise ActionError("这件事已经被别人认领了")
        case.refresh_from_db()
        record(case, user, Action.CLAIM, before=Status.POOL)
        notify(case.reporter_phone, f"您的诉求 {case.number} 已有志愿者认领，会尽快联系您。", case)
    return case


# ---- handling unit -------------------------------------------------------------------------


@transaction.atomic
def accept(case: Case, user, *, note: str = "") -> Case:
    """The unit takes the case and has contacted the resident: this is the response time."""
    case = _locked(case)
    _require(case, Status.DISPATCHED)
    case.status, case.responded_at = Status.ACCEPTED, _now()
    case.save()
    record(case, user, Action.ACCEPT, before=Status.DISPATCHED, note=note)
    for phone in reporters_of(case):
        notify(phone, f"您的诉求 {case.number} 已由{case.unit.name}受理。", case)
    return case


@transaction.atomic
def return_to_dispatch(case: Case, user, *, reason: str) -> Case:
    case = _locked(case)
    _require(case, Status.DISPATCHED, Status.ACCEPTED)
    if not reason.strip():
        raise ActionError("退回必须说明理由")
    before, unit = case.status, case.unit
    case.status, case.unit = Status.RETURNED, None
    case.respond_due = case.resolve_due = None
    case.save()
    record(case, user, Action.RETURN, before=before, note=reason, unit=unit.code if unit else "")
    return case


@transaction.atomic
def request_extension(case: Case, user, *, new_due: dt.datetime, reason: str) -> ExtensionRequest:
    case = _locked(case)
    _require(case, Status.DISPATCHED, Status.ACCEPTED)
    if not reason.strip():
        raise ActionError("申请延期必须说明理由")
    if case.resolve_due and new_due <= case.resolve_due:
        raise ActionError("延期后的期限应晚于现在的办结期限")
    if case.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise ActionError("已有一个延期申请在等待审批")
    request = ExtensionRequest.objects.create(case=case, requested_by=user, new_due=new_due, reason=reason)
    record(
        case, user, Action.EXTEND_REQUEST, before=case.status, note=reason, public=False, new_due=new_due.isoformat()
    )
    return request


@transaction.atomic
def decide_extension(request: ExtensionRequest, user, *, approve: bool, note: str = "") -> ExtensionRequest:
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionRequest.Status.PENDING:
        raise ActionError("这个延期申请已经处理过了")
    case = _locked(request.case)
    request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
    request.decided_by, request.decided_at = user, _now()
    request.save()
    if approve:
        case.resolve_due, case.resolve_overdue = request.new_due, False
        case.save(update_fields=["resolve_due", "resolve_overdue"])
    action = Action.EXTEND_APPROVE if approve else Action.EXTEND_REJECT
    record(case, user, action, before=case.status, note=note, public=approve, new_due=request.new_due.isoformat())
    return request


@transaction.atomic
def reply(case: Case, user, *, text: str, photos: list = ()) -> CaseEvent:
    case = _locked(case)
    _require(case, *HANDLING_STATUSES)
    if not text.strip():
        raise ActionError("请填写回复内容")
    event = record(case, user, Action.REPLY, before=case.status, note=text)
    for image in photos:
        Photo.objects.create(case=case, event=event, image=image)
    return event


@transaction.atomic
def resolve(case: Case, user, *, text: str, photos: list = ()) -> Case:
    case = _locked(case)
    _require(case, Status.ACCEPTED, Status.CLAIMED)
    if not text.strip():
        raise ActionError("办结时请说明处理结果")
    before = case.status
    case.status, case.resolved_at = Status.RESOLVED, _now()
    case.save()
    event = record(case, user, Action.RESOLVE, before=before, note=text)
    for image in photos:
        Photo.objects.create(case=case, event=event, image=image)
    for phone in reporters_of(case):
        notify(phone, f"您的诉求 {case.number} 已办结，请评价处理结果（解决了没有、满意吗）。", case)
    return case


@transaction.atomic
def confirm(case: Case, user, *, note: str = "") -> Case:
    """社区督单: the community checks a volunteer's result."""
    case = _locked(case)
    if case.claimed_by_id is None or case.status not in (Status.RESOLVED, Status.CLOSED):
        raise ActionError("只有志愿者办结的小事需要社区确认")
    if case.confirmed_at:
        raise ActionError("社区已经确认过了")
    case.confirmed_at = _now()
    case.save(update_fields=["confirmed_at"])
    record(case, user, Action.CONFIRM, before=case.status, note=note)
    return case


# ---- resident ------------------------------------------------------------------------------


@transaction.atomic
def rate(case: Case, user, *, solved: bool, satisfaction: str, comment: str = "", callback: bool = False) -> Case:
    """The resident's verdict (or the dispatcher's record of a phone callback)."""
    case = _locked(case)
    _require(case, Status.RESOLVED)
    if satisfaction not in Satisfaction.values:
        raise ActionError("请选择满意、基本满意或不满意")
    case.solved, case.satisfaction, case.rating_comment = solved, satisfaction, comment
    case.rated_at = case.closed_at = _now()
    case.status = Status.CLOSED
    case.save()
    action = Action.CALLBACK if callback else Action.RATE
    record(
        case,
        user,
        action,
        before=Status.RESOLVED,
        note=f"{'已解决' if solved else '未解决'}，{satisfaction}。{comment}",
    )
    return case


@transaction.atomic
def reopen(case: Case, user, *, reason: str) -> Case:
    """Within CASE_REOPEN_DAYS of being resolved, the resident sends the case back to be handled again."""
    case = _locked(case)
    _require(case, Status.RESOLVED, Status.CLOSED)
    if case.resolved_at is None or _now() - case.resolved_at > dt.timedelta(days=settings.CASE_REOPEN_DAYS):
        raise ActionError(f"办结超过 {settings.CASE_REOPEN_DAYS} 天的诉求不能重新打开，请重新提交")
    if not reason.strip():
        raise ActionError("请说明哪里还没解决")
    before = case.status
    case.solved = None
    case.satisfaction = case.rating_comment = ""
    case.rated_at = case.closed_at = None
    if case.unit and case.category and case.claimed_by_id is None:
        case.status = Status.DISPATCHED
        _start_deadlines(case, _now())
        notify_unit(case.unit, f"诉求 {case.number} 被居民退回重新办理：{reason[:40]}", case)
    else:
        case.status, case.unit, case.claimed_by = Status.RETURNED, None, None
    case.save()
    record(case, user, Action.REOPEN, before=before, note=reason)
    return case


# ---- worker (system) -----------------------------------------------------------------------


def sweep_overdue(now: dt.datetime | None = None) -> dict[str, int]:
    """Mark overdue cases, open supervision (督办), notify and escalate. Safe with many workers:
    each change is a compare-and-set update, so only one worker acts on a case."""
    now = now or _now()
    counts = {"respond": 0, "resolve": 0, "escalate": 0, "pool": 0}
    for case in Case.objects.filter(
        status=Status.DISPATCHED, respond_due__lt=now, responded_at__isnull=True, respond_overdue=False
    ).select_related("unit")[:500]:
        if Case.objects.filter(pk=case.pk, respond_overdue=False).update(respond_overdue=True) != 1:
            continue  # another worker got there first
        with transaction.atomic():
            _supervise(case, Supervision.Kind.RESPONSE, 1, f"超过响应期限（{case.respond_due:%m-%d %H:%M}）未联系居民")
        counts["respond"] += 1
    for case in Case.objects.filter(
        status__in=HANDLING_STATUSES, resolve_due__lt=now, resolve_overdue=False
    ).select_related("unit")[:500]:
        if Case.objects.filter(pk=case.pk, resolve_overdue=False).update(resolve_overdue=True, escalation=1) != 1:
            continue
        with transaction.atomic():
            _supervise(case, Supervision.Kind.RESOLUTION, 1, f"超过办结期限（{case.resolve_due:%m-%d %H:%M}）未办结")
        counts["resolve"] += 1
    # Still open a full working day after the deadline: up the grid, to the centre and the leaders.
    for case in Case.objects.filter(
        status__in=HANDLING_STATUSES, resolve_overdue=True, escalation=1, resolve_due__isnull=False
    ).select_related("unit")[:500]:
        if add_workdays(case.resolve_due, 1) > now:
            continue
        if Case.objects.filter(pk=case.pk, escalation=1).update(escalation=2) != 1:
            continue
        with transaction.atomic():
            _supervise(case, Supervision.Kind.RESOLUTION, 2, "超期一个工作日仍未办结，上报区综治中心和区领导")
            _escalate(case)
        counts["escalate"] += 1
    for case in Case.objects.filter(status=Status.POOL, pool_until__lt=now)[:500]:
        with transaction.atomic():
            moved = Case.objects.filter(pk=case.pk, status=Status.POOL, claimed_by__isnull=True).update(
                status=Status.DISPATCHED, level=Level.COMMUNITY
            )
            if moved != 1:
                continue
            case.refresh_from_db()
            record(case, None, Action.POOL_TIMEOUT, before=Status.POOL, note="认领时限内无人认领，转社区办理")
            notify_unit(case.unit, f"小事 {case.number} 无人认领，已转社区办理。", case)
        counts["pool"] += 1
    return counts


def _supervise(case: Case, kind: str, level: int, note: str) -> None:
    Supervision.objects.get_or_create(case=case, kind=kind, level=level, defaults={"note": note})
    case.refresh_from_db()
    record(case, None, Action.OVERDUE if level == 1 else Action.ESCALATE, before=case.status, note=note, public=False)
    notify_unit(case.unit, f"【督办】诉求 {case.number}：{note}", case, leaders_only=True)


def _escalate(case: Case) -> None:
    """Up the grid: the dispatch centre and the district leaders hear of it."""
    kinds = (Role.Kind.DISPATCHER, Role.Kind.DISTRICT_LEADER)
    phones = set(
        Role.objects.filter(kind__in=kinds, person__phone__isnull=False).values_list("person__phone", flat=True)
    )
    for phone in sorted(phones):
        notify(
            phone, f"【督办上报】诉求 {case.number}（{case.unit.name if case.unit else '未派单'}）超期未办结。", case
        )


def deliver_notifications(limit: int = 200) -> int:
    """Send what the outbox holds; a failure is retried on the next sweep."""
    from minsheng.sms import send_sms

    sent = 0
    for note in Notification.objects.filter(sent_at__isnull=True, attempts__lt=5).order_by("id")[:limit]:
        if (
            Notification.objects.filter(pk=note.pk, sent_at__isnull=True, attempts=note.attempts).update(
                attempts=note.attempts + 1
            )
            != 1
        ):
            continue  # another worker took it
        try:
            send_sms(note.phone, note.text)
        except Exception as exc:
            Notification.objects.filter(pk=note.pk).update(last_error=str(exc)[:255])
            continue
        Notification.objects.filter(pk=note.pk).update(sent_at=_now())
        sent += 1
    return sent
