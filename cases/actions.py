"""Every change to a case: one function, one transaction, one history event.

Functions take the acting user (None for the system worker) and raise
ActionError with a message in Chinese when the change is not allowed now.
Notifications are written to the outbox in the same transaction, so a message
is never promised for a change that did not happen, nor lost for one that did.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from cases.choices import Action, Channel, InvalidState, Kind, Level, Satisfaction, Status
from cases.models import Case, CaseEvent, Category, Dispute, ExtensionRequest, Notification, Photo
from cases.transitions import check
from cases.workdays import add_workdays, local
from core.errors import ActionError
from core.locking import locked
from core.urls import absolute
from grid.access import public_label
from grid.models import Region, Role, Unit

__all__ = ["ActionError"]  # callers catch cases.actions.ActionError; it is core's one error class


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


def rating_link(case: Case) -> str:
    """Where a text message sends the resident to rate: the follow-up page with the number filled in
    (they add their phone, so a forwarded text opens nothing)."""
    return f"{absolute(reverse('cases:track'))}?{urlencode({'number': case.number})}"


def reporters_of(case: Case) -> set[str]:
    """The phones of everyone this case answers: its reporter and those of cases merged into it."""
    phones = {case.reporter_phone} | set(case.merged.values_list("reporter_phone", flat=True))
    return {p for p in phones if p}


def _locked(case: Case) -> Case:
    return locked(case)


def _now() -> dt.datetime:
    return timezone.now()


# ---- intake --------------------------------------------------------------------------------


def next_number() -> str:
    """A case number a person can read out on the phone: the date and at least five digits, 261124-38215.

    On PostgreSQL the digits come from a sequence, which takes no lock and
    needs no commit of its own, so concurrent submissions never queue on a
    counter row. SQLite serialises writers anyway and uses a counter row in
    the submission's own transaction. The running number never wraps (it
    only grows wider), so two cases can never share a number.
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
    return f"{timezone.localdate():%y%m%d}-{value:05d}"


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
    api_key=None,
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
    photos: list = (),
) -> tuple[Case, bool]:
    """Create a case (or return the one this client's idempotency key already made). Returns (case, created).

    A key counts only within its scope — the account, the browser session, the API key or the phone
    that sent it — so another client that learns a key gets a new case, never someone else's.
    """
    if not description.strip():
        raise ActionError("请说说遇到了什么问题")
    stored_key = scoped_key(idempotency_scope, idempotency_key) if idempotency_key else None
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
                api_key=api_key,
                idempotency_key=stored_key,
            )
            event = record(case, entered_by or reporter, Action.SUBMIT, note=f"渠道：{case.get_channel_display()}")
            for image in photos:
                Photo.objects.create(case=case, event=event, image=image)
            if case.kind == Kind.DISPUTE:
                Dispute.objects.create(case=case)
            # No text message here: the number is on the resident's screen; messages follow progress.
    except IntegrityError:
        # The unique key answers retries (no look-up first: that would cost every first submission a query).
        if stored_key:
            return Case.objects.get(idempotency_key=stored_key), False
        raise
    return case, True


def scoped_key(scope: str, key: str) -> str:
    """How a client's idempotency key is stored: behind the client's scope (u:12, s:<session>, k:3, p:<phone>)."""
    if not scope:
        raise ValueError("an idempotency key needs the scope of the client that sent it")
    return f"{scope}:{key}"


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
    check(case, "dispatch")
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
        target,
        f"新诉求 {case.number}（{case.category.name}），请在 {local(case.respond_due):%m-%d %H:%M} 前联系居民。",
        case,
    )
    return case


def _start_deadlines(case: Case, start: dt.datetime) -> None:
    case.respond_due = start + dt.timedelta(hours=case.category.respond_hours)
    case.resolve_due = add_workdays(start, case.category.resolve_workdays)
    # responded_at stays: it is the FIRST contact, which the yardstick's 响应率 counts once per case.
    case.resolved_at = None
    case.respond_overdue = case.resolve_overdue = False
    case.escalation = 0


@transaction.atomic
def answer(case: Case, user, *, reply: str) -> Case:
    """The dispatcher answers directly (a question, a policy): the case is resolved at once."""
    case = _locked(case)
    check(case, "answer")
    if not reply.strip():
        raise ActionError("请填写答复内容")
    before, now = case.status, _now()
    case.status, case.resolved_at, case.responded_at = Status.RESOLVED, now, case.responded_at or now
    case.save()
    record(case, user, Action.ANSWER, before=before, note=reply)
    for phone in reporters_of(case):
        notify(phone, f"您的诉求 {case.number} 已答复，请查看并评价：{rating_link(case)}", case)
    return case


@transaction.atomic
def reject(case: Case, user, *, reason: str) -> Case:
    case = _locked(case)
    check(case, "reject")
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
    check(case, "merge")
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
    check(case, "publish")
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
            status=Status.CLAIMED, claimed_by=user, responded_at=Coalesce(F("responded_at"), Value(_now()))
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
    """The unit takes the case and has contacted the resident (the first contact is the response time)."""
    case = _locked(case)
    check(case, "accept")
    case.status, case.responded_at = Status.ACCEPTED, case.responded_at or _now()
    case.save()
    record(case, user, Action.ACCEPT, before=Status.DISPATCHED, note=note)
    for phone in reporters_of(case):
        notify(phone, f"您的诉求 {case.number} 已由{case.unit.name}受理。", case)
    return case


@transaction.atomic
def return_to_dispatch(case: Case, user, *, reason: str) -> Case:
    case = _locked(case)
    check(case, "return")
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
    check(case, "extend")
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
def decide_extension(
    request: ExtensionRequest | None, user, *, approve: bool | None, note: str = ""
) -> ExtensionRequest:
    if request is None:
        raise ActionError("没有待审批的延期申请")
    if approve not in (True, False):
        raise ActionError("请选择同意或不同意延期")
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
    check(case, "reply")
    if not text.strip():
        raise ActionError("请填写回复内容")
    event = record(case, user, Action.REPLY, before=case.status, note=text)
    for image in photos:
        Photo.objects.create(case=case, event=event, image=image)
    return event


@transaction.atomic
def resolve(case: Case, user, *, text: str, photos: list = ()) -> Case:
    case = _locked(case)
    check(case, "resolve")
    if not text.strip():
        raise ActionError("办结时请说明处理结果")
    before = case.status
    case.status, case.resolved_at = Status.RESOLVED, _now()
    case.save()
    event = record(case, user, Action.RESOLVE, before=before, note=text)
    for image in photos:
        Photo.objects.create(case=case, event=event, image=image)
    for phone in reporters_of(case):
        notify(phone, f"您的诉求 {case.number} 已办结，请评价（解决了没有、满意吗）：{rating_link(case)}", case)
    return case


@transaction.atomic
def confirm(case: Case, user, *, note: str = "") -> Case:
    """社区督单: the community checks a volunteer's result."""
    case = _locked(case)
    check(case, "confirm")
    case.confirmed_at = _now()
    case.save(update_fields=["confirmed_at"])
    record(case, user, Action.CONFIRM, before=case.status, note=note)
    return case


@transaction.atomic
def send_back(case: Case, user, *, reason: str) -> Case:
    """社区督单: the community finds a volunteer's result wanting; the same volunteer handles it again."""
    case = _locked(case)
    check(case, "send_back")
    if not reason.strip():
        raise ActionError("退回时请说明哪里没办好")
    case.status, case.resolved_at = Status.CLAIMED, None
    case.save(update_fields=["status", "resolved_at"])
    record(case, user, Action.SEND_BACK, before=Status.RESOLVED, note=reason)
    return case


# ---- resident and callback (回访) -----------------------------------------------------------


def _record_answer(case: Case, solved: bool, satisfaction: str, comment: str) -> None:
    if solved not in (True, False):
        raise ActionError("请选择问题是否解决")
    if satisfaction not in Satisfaction.values:
        raise ActionError("请选择满意程度（非常满意、满意、基本满意、不满意、非常不满意）")
    case.solved, case.satisfaction, case.rating_comment = solved, satisfaction, comment
    case.rated_at = _now()


@transaction.atomic
def rate(case: Case, user, *, solved: bool, satisfaction: str, comment: str = "") -> Case:
    """The resident's verdict. Solved: the case closes. Not solved: it waits for the centre's callback
    (回访), which either confirms it solved or sends it back to be handled again."""
    case = _locked(case)
    check(case, "rate")
    _record_answer(case, solved, satisfaction, comment)
    case.status = Status.CLOSED if solved else Status.REVISIT
    case.closed_at = case.rated_at if solved else None
    case.save()
    note = f"{'已解决' if solved else '未解决'}，{satisfaction}。{comment}"
    record(case, user, Action.RATE, before=Status.RESOLVED, note=note)
    return case


@transaction.atomic
def callback(case: Case, user, *, solved: bool, satisfaction: str, comment: str = "") -> Case:
    """回访: a call-taker records what the resident says on the phone. Not solved: handled again."""
    case = _locked(case)
    check(case, "callback")
    before = case.status
    _record_answer(case, solved, satisfaction, comment)
    note = f"电话回访：{'已解决' if solved else '未解决'}，{satisfaction}。{comment}"
    if solved:
        case.status, case.closed_at = Status.CLOSED, case.rated_at
        case.save()
        record(case, user, Action.CALLBACK, before=before, note=note)
    else:
        case.save()
        record(case, user, Action.CALLBACK, before=before, note=note)
        _handle_again(case, user, "回访核实未解决，重新办理")
    return case


@transaction.atomic
def reopen(case: Case, user, *, reason: str) -> Case:
    """Within CASE_REOPEN_DAYS of being resolved, the resident sends the case back to be handled again."""
    case = _locked(case)
    check(case, "reopen")
    if not reason.strip():
        raise ActionError("请说明哪里还没解决")
    _handle_again(case, user, reason, action=Action.REOPEN)
    return case


def _handle_again(case: Case, user, reason: str, action: str = Action.REOPEN) -> None:
    """Back to the unit that handled it (deadlines restart), or to the dispatcher when a volunteer had it."""
    before = case.status
    case.solved = None
    case.satisfaction = case.rating_comment = ""
    case.rated_at = case.closed_at = case.resolved_at = None
    if case.unit and case.category and case.claimed_by_id is None:
        case.status = Status.DISPATCHED
        _start_deadlines(case, _now())
        notify_unit(case.unit, f"诉求 {case.number} 被退回重新办理：{reason[:40]}", case)
    else:
        case.status, case.unit, case.claimed_by = Status.RETURNED, None, None
        case.respond_due = case.resolve_due = None
    case.save()
    record(case, user, action, before=before, note=reason)


# ---- 无效诉求 ---------------------------------------------------------------------------------


@transaction.atomic
def mark_invalid(case: Case, user, *, reason: str) -> Case:
    """The dispatcher proposes that a case is not a real request (恶意、重复、无实质内容…); a leader decides."""
    case = _locked(case)
    check(case, "mark_invalid")
    if not reason.strip():
        raise ActionError("请写明认定无效的理由")
    case.invalid_state, case.invalid_reason = InvalidState.PROPOSED, reason[:500]
    case.save(update_fields=["invalid_state", "invalid_reason"])
    record(case, user, Action.MARK_INVALID, before=case.status, note=reason, public=False)
    return case


@transaction.atomic
def decide_invalid(case: Case, user, *, approve: bool | None, note: str = "") -> Case:
    case = _locked(case)
    check(case, "decide_invalid")
    if approve not in (True, False):
        raise ActionError("请选择同意或不同意认定为无效诉求")
    case.invalid_state = InvalidState.APPROVED if approve else InvalidState.REJECTED
    case.save(update_fields=["invalid_state"])
    verdict = "同意认定为无效诉求" if approve else "不同意认定为无效诉求"
    record(case, user, Action.DECIDE_INVALID, before=case.status, note=f"{verdict}。{note}", public=False)
    return case
