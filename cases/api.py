"""JSON API of the request hub (/api/cases/…). Same rules as the pages: one access helper, same actions."""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.security import django_auth
from ninja.utils import check_csrf

from cases import actions
from cases.access import get_case, lost_claim, sees_internal, sees_phone, visible_cases
from cases.choices import Channel, Level, Satisfaction
from cases.disputes import PartyError, add_party
from cases.models import Case, Category
from cases.suggest import suggest_codes
from cases.transitions import TRANSITIONS, allowed_actions
from core.phones import PhoneError, mask_phone, normalize_phone
from core.ratelimit import take_for_request
from grid.access import person_of
from grid.models import Region, Unit

router = Router(tags=["cases"])


class ErrorOut(Schema):
    detail: str


class CategoryOut(Schema):
    code: str
    name: str
    default_level: str
    default_unit: str = Field(..., alias="default_unit.name")
    respond_hours: int
    resolve_workdays: int


class SubmitIn(Schema):
    description: str = Field(..., min_length=1, max_length=2000)
    category: str | None = Field(None, description="类别编码，如 C13；不填则自动建议")
    compound_id: int | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=255)
    name: str = Field("", max_length=32)
    phone: str = Field("", description="11 位手机号；未登录时必填")
    idempotency_key: str | None = Field(
        None, max_length=64, description="客户端重试时保持不变：同一客户端的同一标识只生成一件诉求"
    )


class EventOut(Schema):
    at: dt.datetime
    actor: str = Field(..., alias="actor_label")
    action: str = Field(..., alias="get_action_display")
    status: str = Field(..., alias="to_status")
    note: str


class CaseOut(Schema):
    number: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    kind: str
    description: str
    category: str | None = Field(None, alias="category.code")
    level: str
    unit: str | None = Field(None, alias="unit.name")
    created_at: dt.datetime
    respond_due: dt.datetime | None
    resolve_due: dt.datetime | None
    resolved_at: dt.datetime | None
    satisfaction: str


class CaseDetailOut(CaseOut):
    reporter_phone: str
    address: str
    latitude: float | None
    longitude: float | None
    allowed_actions: list[str] = Field(..., alias="actions_now")
    events: list[EventOut] = Field(..., alias="timeline")


class PartyIn(Schema):
    role: str = Field(..., description="applicant 申请人 / respondent 被申请人 / other 其他当事人")
    name: str = Field(..., max_length=64)
    gender_age: str = Field("", max_length=32)
    id_number: str = Field("", max_length=32)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=255)


class ActionIn(Schema):
    text: str = Field("", max_length=2000)
    level: str | None = None
    unit: str | None = Field(None, max_length=16, description="单位编码")
    category: str | None = Field(None, max_length=8)
    into: str | None = Field(None, max_length=20, description="合并到的诉求编号")
    new_due: dt.date | None = None
    approve: bool | None = None
    solved: bool | None = None
    satisfaction: str | None = None
    party: PartyIn | None = Field(None, description="登记当事人（party 操作）")


_categories: dict = {"at": 0.0, "by_code": {}}
CATEGORY_CACHE_SECONDS = 30


def forget_categories(**kwargs) -> None:
    """Signal receiver: a saved or deleted category empties the cache at once."""
    _categories["at"] = 0.0


def category_by_code(code: str) -> Category | None:
    """The responsibility list, cached for a few seconds: every submission needs it, staff rarely edit it."""
    now = time.monotonic()
    if now - _categories["at"] > CATEGORY_CACHE_SECONDS:
        _categories["by_code"] = {c.code: c for c in Category.objects.select_related("default_unit")}
        _categories["at"] = now
    return _categories["by_code"].get(code)


@router.get("/categories", response=list[CategoryOut])
def categories(request):
    return Category.objects.select_related("default_unit")


@router.get("/suggest", response=list[CategoryOut])
def suggest(request, text: str = Query(..., min_length=1, max_length=500)):
    codes = suggest_codes(text, 3)
    found = {c.code: c for c in Category.objects.filter(code__in=codes).select_related("default_unit")}
    return [found[c] for c in codes if c in found]


@router.post("/", response={200: CaseOut, 201: CaseOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def submit(request: HttpRequest, payload: SubmitIn):
    """Submit a case. Retrying with the same idempotency key (field or Idempotency-Key header) from the same
    client (account, or the phone given when not signed in) returns the same case."""
    if request.user.is_authenticated and check_csrf(request):
        return Status(403, {"detail": "已登录的请求需要 CSRF 令牌（X-CSRFToken）"})
    if not payload.description.strip():
        return Status(422, {"detail": "description: 请说说遇到了什么问题"})
    person = person_of(request.user)
    try:
        phone = normalize_phone(payload.phone) or (person.phone if person and person.phone else "")
    except PhoneError:
        phone = ""
    if not phone:
        return Status(422, {"detail": "phone: 请提供 11 位手机号"})
    key = payload.idempotency_key or request.headers.get("Idempotency-Key") or None
    if key is not None and not 1 <= len(key) <= 64:
        return Status(422, {"detail": "idempotency_key: 最长 64 个字符"})
    category = None
    if payload.category:
        category = category_by_code(payload.category)
        if category is None:
            return Status(422, {"detail": f"category: 没有类别 {payload.category}"})
    region = None
    if payload.compound_id is not None:
        region = Region.objects.filter(pk=payload.compound_id, kind__in=["compound", "building"]).first()
        if region is None:
            return Status(422, {"detail": "compound_id: 没有这个小区"})
    if (payload.latitude is None) != (payload.longitude is None):
        return Status(422, {"detail": "latitude/longitude: 需要同时提供"})
    # One commit for the limit and the case: a submission costs one fsync, and a refused one writes nothing.
    with transaction.atomic():
        if not request.user.is_authenticated:
            take_for_request(request, "intake_anon")  # RateLimited → 429 (minsheng/api.py)
        case, created = actions.submit_case(
            description=payload.description,
            channel=Channel.API,
            category=category,
            region=region,
            latitude=payload.latitude,
            longitude=payload.longitude,
            address=payload.address,
            reporter=request.user if request.user.is_authenticated else None,
            reporter_name=payload.name,
            reporter_phone=phone,
            idempotency_key=key,
            idempotency_scope=f"u:{request.user.pk}" if request.user.is_authenticated else f"p:{phone}",
        )
    return Status(201 if created else 200, case)


@router.get("/", response=list[CaseOut], auth=django_auth)
def list_cases(
    request,
    status: str | None = Query(None, max_length=16),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    cases = visible_cases(request.user).select_related("category", "unit")
    if status:
        cases = cases.filter(status=status)
    return cases[offset : offset + limit]


def _detail(request, case: Case) -> Case:
    """The case as this user may see it (the object is only read, never saved)."""
    if not sees_phone(request.user, case):
        case.reporter_phone = mask_phone(case.reporter_phone)
    case.actions_now = allowed_actions(request.user, case)
    events = case.events.order_by("at", "id")
    # The reporter follows the public timeline; internal notes are for the people handling the case.
    case.timeline = list(events if sees_internal(request.user, case) else events.filter(public=True))
    return case


@router.get("/{number}", response={200: CaseDetailOut, 404: ErrorOut}, auth=django_auth)
def case_detail(request, number: str = Path(..., max_length=20)):
    return _detail(request, get_case(request.user, number))


class BadInput(Exception):
    """A field of the action's payload is missing or wrong: 422 with the field named."""


def _dispatch(case, user, p: ActionIn):
    if p.level not in Level.values or p.level == Level.RESIDENT:
        raise BadInput("level: 请选择处置层级（物业、社区或部门）")
    unit = category = None
    if p.unit:
        unit = Unit.objects.filter(code=p.unit).first()
        if unit is None:
            raise BadInput(f"unit: 没有单位 {p.unit}")
    if p.category:
        category = category_by_code(p.category)
        if category is None:
            raise BadInput(f"category: 没有类别 {p.category}")
    actions.dispatch(case, user, level=p.level, unit=unit, category=category, note=p.text)


def _extend(case, user, p: ActionIn):
    if p.new_due is None:
        raise BadInput("new_due: 请填写延期到哪一天")
    due = timezone.make_aware(dt.datetime.combine(p.new_due, dt.time(18, 0)))
    actions.request_extension(case, user, new_due=due, reason=p.text)


def _decide_extension(case, user, p: ActionIn):
    if p.approve is None:
        raise BadInput("approve: 请选择同意（true）或不同意（false）")
    pending = case.extensions.filter(status="pending").first()
    actions.decide_extension(pending, user, approve=p.approve, note=p.text)


def _verdict(fn):
    def run(case, user, p: ActionIn):
        if p.solved is None:
            raise BadInput("solved: 请填写问题是否解决")
        if p.satisfaction not in Satisfaction.values:
            raise BadInput("satisfaction: 请选择 非常满意、满意、基本满意、不满意 或 非常不满意")
        fn(case, user, solved=p.solved, satisfaction=p.satisfaction, comment=p.text)

    return run


def _merge(case, user, p: ActionIn):
    into = visible_cases(user).filter(number=p.into or "").first()
    if into is None:
        raise BadInput("into: 没有这个诉求编号")
    actions.merge(case, into, user, note=p.text)


def _party(case, user, p: ActionIn):
    if p.party is None:
        raise BadInput("party: 请填写当事人信息")
    try:
        add_party(case, user, **p.party.dict())
    except PartyError as exc:
        raise BadInput(str(exc)) from None


def _decide_invalid(case, user, p: ActionIn):
    if p.approve is None:
        raise BadInput("approve: 请选择同意（true）或不同意（false）")
    actions.decide_invalid(case, user, approve=p.approve, note=p.text)


PERFORM = {
    "dispatch": _dispatch,
    "answer": lambda case, user, p: actions.answer(case, user, reply=p.text),
    "reject": lambda case, user, p: actions.reject(case, user, reason=p.text),
    "merge": _merge,
    "publish": lambda case, user, p: actions.publish_to_pool(case, user, note=p.text),
    "claim": lambda case, user, p: actions.claim(case, user),
    "accept": lambda case, user, p: actions.accept(case, user, note=p.text),
    "return": lambda case, user, p: actions.return_to_dispatch(case, user, reason=p.text),
    "extend": _extend,
    "decide_extension": _decide_extension,
    "reply": lambda case, user, p: actions.reply(case, user, text=p.text),
    "resolve": lambda case, user, p: actions.resolve(case, user, text=p.text),
    "confirm": lambda case, user, p: actions.confirm(case, user, note=p.text),
    "send_back": lambda case, user, p: actions.send_back(case, user, reason=p.text),
    "rate": _verdict(actions.rate),
    "callback": _verdict(actions.callback),
    "reopen": lambda case, user, p: actions.reopen(case, user, reason=p.text),
    "party": _party,
    "mark_invalid": lambda case, user, p: actions.mark_invalid(case, user, reason=p.text),
    "decide_invalid": _decide_invalid,
}
# "mediate" (records, agreement, failure) is a page form with several steps; the API covers parties.
assert set(PERFORM) | {"mediate"} == set(TRANSITIONS), "every action of the table has a way in through the API"


@router.post(
    "/{number}/actions/{action}",
    response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=django_auth,
)
def case_action(
    request, payload: ActionIn, number: str = Path(..., max_length=20), action: str = Path(..., max_length=24)
):
    """Take one of the actions the case page offers; `allowed_actions` in the detail lists them.

    409: the case's state does not allow it now (e.g. someone else claimed it first); 422: a field is wrong.
    """
    if action not in PERFORM:
        return Status(422, {"detail": f"不支持的操作 {action}"})
    if action == "claim" and lost_claim(request.user, number):
        return Status(409, {"detail": "这件事已经被别人认领了"})
    case = get_case(request.user, number)
    if action not in allowed_actions(request.user, case):
        return Status(403, {"detail": "您现在不能对这件诉求做这个操作"})
    if action == "rate":
        take_for_request(request, "rating")
    try:
        PERFORM[action](case, request.user, payload)
    except BadInput as exc:
        return Status(422, {"detail": str(exc)})
    except actions.ActionError as exc:
        return Status(409, {"detail": str(exc)})
    return _detail(request, get_case(request.user, number))
