"""Open311 GeoReport v2 (/open311/v2/…): services are the categories of the responsibility list.

JSON or XML by the extension, as the specification asks. What anyone may read
of a request is its category, status, unit, dates and a location rounded to
about 100 m: never the resident's words, address, notes or name, and disputes
(矛盾纠纷, between neighbours) are never listed. A system with an API key
(admin: 接口密钥) posts requests and reads its own in full (api_key parameter
or X-Api-Key header).
"""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree as ET

from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from cases import actions
from cases.choices import OPEN_STATUSES, Channel, Kind, Status
from cases.models import ApiKey, Case, CaseEvent, Category
from core.phones import PhoneError, normalize_phone
from core.text import xml_safe

CLOSED = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.MERGED)


def _render(data, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        top = ET.Element(root)
        for entry in data:
            node = ET.SubElement(top, item)
            for key, value in entry.items():
                child = ET.SubElement(node, key)
                text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
                child.text = xml_safe(text)  # whatever was stored, the document stays well-formed
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _render([{"code": status, "description": description}], fmt, "errors", "error", status)


def _service(c: Category) -> dict:
    return {
        "service_code": c.code,
        "service_name": c.name,
        "description": c.description or c.name,
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(c.keyword_list[:10]),
        "group": c.default_level,
    }


def services(request, fmt: str):
    return _render([_service(c) for c in Category.objects.order_by("code")], fmt, "services", "service")


def service_definition(request, code: str, fmt: str):
    if not Category.objects.filter(code=code).exists():
        return _error(fmt, 404, f"没有服务 {code}")
    return _render([{"service_code": code, "attributes": []}], fmt, "service_definition", "service")


COARSE_DIGITS = 3  # 0.001° ≈ 111 m north–south, ≈ 97 m east–west here: a street corner, not a door


def _coarse(value: float | None) -> float | None:
    return None if value is None else round(value, COARSE_DIGITS)


def _request_dict(case: Case, full: bool) -> dict:
    """One request as Open311 shows it: public fields to anyone, everything to the system that posted it."""
    data = {
        "service_request_id": case.number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "service_name": case.category.name if case.category else "",
        "service_code": case.category.code if case.category else "",
        "agency_responsible": case.unit.name if case.unit else "",
        "service_notice": "",
        "requested_datetime": case.created_at.isoformat(),
        "updated_datetime": (case.resolved_at or case.dispatched_at or case.created_at).isoformat(),
        "expected_datetime": case.resolve_due.isoformat() if case.resolve_due else None,
        "lat": _coarse(case.latitude),
        "long": _coarse(case.longitude),
        "media_url": "",
    }
    if full:
        public_notes = [e.note for e in case.public_events if e.note]
        data.update(
            {
                "status_notes": (public_notes[-1] if public_notes else "")[:200],
                "description": case.description,
                "address": case.address or (case.region.full_name if case.region else ""),
                "address_id": case.region_id or "",
                "lat": case.latitude,
                "long": case.longitude,
            }
        )
    return data


def _client(request) -> ApiKey | None:
    """The posting system this request authenticates as, if any."""
    key = request.GET.get("api_key") or request.headers.get("X-Api-Key") or ""
    if not key or len(key) > 64:
        return None
    return ApiKey.objects.filter(key=key, active=True).first()


def _readable(request):
    """(cases this request may read, the client whose own cases it reads in full or None)."""
    client = _client(request)
    cases = Case.objects.select_related("category", "unit", "region__parent__parent__parent").exclude(
        status=Status.MERGED
    )
    if client is None:
        return cases.exclude(kind=Kind.DISPUTE), None
    public_events = CaseEvent.objects.filter(public=True).order_by("at", "id")
    cases = cases.filter(Q(api_key=client) | ~Q(kind=Kind.DISPUTE)).prefetch_related(
        Prefetch("events", queryset=public_events, to_attr="public_events")
    )
    return cases, client


def _parse_moment(raw: str):
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@csrf_exempt
def requests(request, fmt: str):
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method != "GET":
        return _error(fmt, 405, "只支持 GET 和 POST")
    cases, client = _readable(request)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        cases = cases.filter(number__in=ids[:100])
    if request.GET.get("service_code"):
        cases = cases.filter(category__code=request.GET["service_code"][:8])
    for param, lookup in (("start_date", "created_at__gte"), ("end_date", "created_at__lte")):
        if request.GET.get(param):
            value = _parse_moment(request.GET[param])
            if value is None:
                return _error(fmt, 400, f"{param} 应为 ISO 8601 时间，如 2026-11-24T00:00:00+08:00")
            cases = cases.filter(**{lookup: value})
    status = request.GET.get("status")
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        cases = cases.filter(status__in=CLOSED)
    elif status:
        return _error(fmt, 400, "status 只能是 open 或 closed")
    if not any(request.GET.get(p) for p in ("start_date", "end_date", "service_request_id")):
        cases = cases.filter(created_at__gte=timezone.now() - dt.timedelta(days=90))  # the spec's default window
    found = cases.order_by("-created_at")[:1000]
    data = [_request_dict(c, full=client is not None and c.api_key_id == client.pk) for c in found]
    return _render(data, fmt, "service_requests", "request")


def request_detail(request, number: str, fmt: str):
    cases, client = _readable(request)
    case = cases.filter(number=number[:20]).first()
    if case is None:
        return _error(fmt, 404, f"没有诉求 {number[:20]}")
    full = client is not None and case.api_key_id == client.pk
    return _render([_request_dict(case, full)], fmt, "service_requests", "request")


def _post_request(request, fmt: str) -> HttpResponse:
    data = request.POST
    key = data.get("api_key", "")
    client = ApiKey.objects.filter(key=key, active=True).first() if 0 < len(key) <= 64 else None
    if client is None:
        return _error(fmt, 403, "api_key 无效")
    idempotency_key = request.headers.get("Idempotency-Key") or None
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 64:
        return _error(fmt, 400, "Idempotency-Key 最长 64 个字符")
    category = Category.objects.filter(code=data.get("service_code", "")[:8]).first()
    if category is None:
        return _error(fmt, 400, "service_code 无效")
    description = data.get("description", "").strip()
    if not description or len(description) > 2000:
        return _error(fmt, 400, "description 必填，最多 2000 字")
    lat, lng = data.get("lat"), data.get("long")
    try:
        latitude = float(lat) if lat else None
        longitude = float(lng) if lng else None
    except ValueError:
        return _error(fmt, 400, "lat/long 应为数字")
    if (latitude is None) != (longitude is None) or (
        latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        return _error(fmt, 400, "lat/long 超出范围或不完整")
    if latitude is None and not data.get("address_string"):
        return _error(fmt, 400, "需要 lat/long 或 address_string")
    try:
        phone = normalize_phone(data.get("phone", ""))
    except PhoneError:
        return _error(fmt, 400, "phone 应为 11 位手机号")
    # device_id names a phone, not a report: a device's second report is a second case. Retries of one
    # report carry the same Idempotency-Key header, which counts only for this API key.
    case, _ = actions.submit_case(
        description=description,
        channel=Channel.OPEN311,
        category=category,
        latitude=latitude,
        longitude=longitude,
        address=data.get("address_string", "")[:255],
        reporter_name=data.get("first_name", "")[:32],
        reporter_phone=phone,
        api_key=client,
        idempotency_key=idempotency_key,
        idempotency_scope=f"k:{client.pk}",
    )
    return _render(
        [{"service_request_id": case.number, "service_notice": "", "account_id": ""}],
        fmt,
        "service_requests",
        "request",
        status=201,
    )
