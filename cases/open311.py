"""Open311 GeoReport v2 (/open311/v2/…): services are the categories of the responsibility list.

JSON or XML by the extension, as the specification asks. Requests carry no
personal data (no name, no phone); posting needs an API key (admin: 接口密钥).
"""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from cases import actions
from cases.choices import OPEN_STATUSES, Channel, Status
from cases.models import ApiKey, Case, Category
from core.phones import PhoneError, normalize_phone

CLOSED = (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.MERGED)


def _render(data, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        top = ET.Element(root)
        for entry in data:
            node = ET.SubElement(top, item)
            for key, value in entry.items():
                child = ET.SubElement(node, key)
                child.text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
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


def _request_dict(case: Case) -> dict:
    notes = case.events.filter(public=True).order_by("-at", "-id").values_list("note", flat=True).first()
    return {
        "service_request_id": case.number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": (notes or "")[:200],
        "service_name": case.category.name if case.category else "",
        "service_code": case.category.code if case.category else "",
        "description": case.description,
        "agency_responsible": case.unit.name if case.unit else "",
        "service_notice": "",
        "requested_datetime": case.created_at.isoformat(),
        "updated_datetime": (case.resolved_at or case.dispatched_at or case.created_at).isoformat(),
        "expected_datetime": case.resolve_due.isoformat() if case.resolve_due else None,
        "address": case.address or (case.region.full_name if case.region else ""),
        "address_id": case.region_id or "",
        "zipcode": "",
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": "",
    }


@csrf_exempt
def requests(request, fmt: str):
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method != "GET":
        return _error(fmt, 405, "只支持 GET 和 POST")
    cases = Case.objects.select_related("category", "unit", "region").exclude(status=Status.MERGED)
    ids = [i for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        cases = cases.filter(number__in=ids[:100])
    if request.GET.get("service_code"):
        cases = cases.filter(category__code=request.GET["service_code"])
    for param, lookup in (("start_date", "created_at__gte"), ("end_date", "created_at__lte")):
        if request.GET.get(param):
            value = parse_datetime(request.GET[param])
            if value is None:
                return _error(fmt, 400, f"{param} 应为 ISO 8601 时间，如 2026-11-24T00:00:00+08:00")
            cases = cases.filter(**{lookup: value if timezone.is_aware(value) else timezone.make_aware(value)})
    status = request.GET.get("status")
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        cases = cases.filter(status__in=CLOSED)
    elif status:
        return _error(fmt, 400, "status 只能是 open 或 closed")
    if not any(request.GET.get(p) for p in ("start_date", "end_date", "service_request_id")):
        cases = cases.filter(created_at__gte=timezone.now() - dt.timedelta(days=90))  # the spec's default window
    return _render([_request_dict(c) for c in cases.order_by("-created_at")[:1000]], fmt, "service_requests", "request")


def request_detail(request, number: str, fmt: str):
    case = (
        Case.objects.select_related("category", "unit", "region")
        .filter(number=number)
        .exclude(status=Status.MERGED)
        .first()
    )
    if case is None:
        return _error(fmt, 404, f"没有诉求 {number}")
    return _render([_request_dict(case)], fmt, "service_requests", "request")


def _post_request(request, fmt: str) -> HttpResponse:
    data = request.POST
    key = data.get("api_key", "")
    if not key or not ApiKey.objects.filter(key=key, active=True).exists():
        return _error(fmt, 403, "api_key 无效")
    category = Category.objects.filter(code=data.get("service_code", "")).first()
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
    case, _ = actions.submit_case(
        description=description,
        channel=Channel.OPEN311,
        category=category,
        latitude=latitude,
        longitude=longitude,
        address=data.get("address_string", "")[:255],
        reporter_name=data.get("first_name", "")[:32],
        reporter_phone=phone,
        idempotency_key=(f"o311-{key[:8]}-{data['device_id']}"[:64] if data.get("device_id") else None),
    )
    return _render(
        [{"service_request_id": case.number, "service_notice": "", "account_id": ""}],
        fmt,
        "service_requests",
        "request",
        status=201,
    )
