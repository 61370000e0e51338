"""JSON API of the request hub (/api/cases/…). Same rules as the pages: one access helper, same actions."""

from __future__ import annotations

import datetime as dt
import time

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from cases import actions
from cases.access import get_case, sees_phone, visible_cases
from cases.choices import Channel, Level, Satisfaction
from cases.models import Case, Category
from cases.suggest import suggest_codes
from cases.transitions import allowed_actions
from core.phones import PhoneError, mask_phone, normalize_phone
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
    idempotency_key: str | None = Field(None, max_length=64, description="客户端重试时保持不变，同一标识只生成一件诉求")


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


class ActionIn(Schema):
    text: str = Field("", max_length=2000)
    level: str | None = None
    unit: str | None = Field(None, description="单位编码")
    category: str | None = None
    into: str | None = Field(None, description="合并到的诉求编号")
    new_due: dt.date | None = None
    approve: bool | None = None
    solved: bool | None = None
    satisfaction: str | None = None


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


@router.post("/", response={200: CaseOut, 201: CaseOut, 422: ErrorOut})
def submit(request: HttpRequest, payload: SubmitIn):
    """Submit a case. Retrying with the same idempotency key (field or Idempotency-Key header) returns the same case."""
    person = person_of(request.user)
    try:
        phone = normalize_phone(payload.phone) or (person.phone if person and person.phone else "")
    except PhoneError:
        phone = ""
    if not phone:
        return Status(422, {"detail": "phone: 请提供 11 位手机号"})
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
    key = payload.idempotency_key or request.headers.get("Idempotency-Key") or None
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
    )
    return Status(201 if created else 200, case)


@router.get("/", response=list[CaseOut], auth=django_auth)
def list_cases(request, status: str | None = None, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)):
    cases = visible_cases(request.user).select_related("category", "unit")
    if status:
        cases = cases.filter(status=status)
    return cases[offset : offset + limit]


def _detail(request, case: Case) -> Case:
    """The case as this user may see it (the object is only read, never saved)."""
    if not sees_phone(request.user, case):
        case.reporter_phone = mask_phone(case.reporter_phone)
    case.actions_now = allowed_actions(request.user, case)
    case.timeline = list(case.events.order_by("at", "id"))
    return case


@router.get("/{number}", response={200: CaseDetailOut, 404: ErrorOut}, auth=django_auth)
def case_detail(request, number: str):
    return _detail(request, get_case(request.user, number))


@router.post(
    "/{number}/actions/{action}",
    response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=django_auth,
)
def case_action(request, number: str, action: str, payload: ActionIn):
    """Take one of the actions the case page offers; `allowed_actions` in the detail lists them."""
    case = get_case(request.user, number)
    if action not in allowed_actions(request.user, case):
        return Status(403, {"detail": "您现在不能对这件诉求做这个操作"})
    user = request.user
    try:
        if action == "dispatch":
            unit = Unit.objects.filter(code=payload.unit).first() if payload.unit else None
            category = category_by_code(payload.category) if payload.category else None
            if payload.level not in Level.values:
                return Status(422, {"detail": "level: 请选择处置层级"})
            actions.dispatch(case, user, level=payload.level, unit=unit, category=category, note=payload.text)
        elif action == "extend":
            if payload.new_due is None:
                return Status(422, {"detail": "new_due: 请填写延期到哪一天"})
            due = timezone.make_aware(dt.datetime.combine(payload.new_due, dt.time(18, 0)))
            actions.request_extension(case, user, new_due=due, reason=payload.text)
        elif action == "decide_extension":
            pending = case.extensions.filter(status="pending").first()
            actions.decide_extension(pending, user, approve=bool(payload.approve), note=payload.text)
        elif action in ("rate", "callback"):
            if payload.solved is None or payload.satisfaction not in Satisfaction.values:
                return Status(422, {"detail": "solved/satisfaction: 请填写是否解决和满意度"})
            verdict = actions.callback if action == "callback" else actions.rate
            verdict(case, user, solved=payload.solved, satisfaction=payload.satisfaction, comment=payload.text)
        elif action == "merge":
            into = visible_cases(user).filter(number=payload.into or "").first()
            if into is None:
                return Status(422, {"detail": "into: 没有这个诉求编号"})
            actions.merge(case, into, user, note=payload.text)
        else:
            simple = {
                "answer": lambda: actions.answer(case, user, reply=payload.text),
                "reject": lambda: actions.reject(case, user, reason=payload.text),
                "publish": lambda: actions.publish_to_pool(case, user, note=payload.text),
                "claim": lambda: actions.claim(case, user),
                "accept": lambda: actions.accept(case, user, note=payload.text),
                "return": lambda: actions.return_to_dispatch(case, user, reason=payload.text),
                "reply": lambda: actions.reply(case, user, text=payload.text),
                "resolve": lambda: actions.resolve(case, user, text=payload.text),
                "confirm": lambda: actions.confirm(case, user, note=payload.text),
                "reopen": lambda: actions.reopen(case, user, reason=payload.text),
            }
            if action not in simple:
                return Status(422, {"detail": f"不支持的操作 {action}"})
            simple[action]()
    except actions.ActionError as exc:
        return Status(409, {"detail": str(exc)})
    return _detail(request, get_case(user, number))
