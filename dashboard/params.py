"""Reading what a page, the API or a command asks for: a period, a dimension, a scope, a measure.

Bad input raises BadRequest with a Chinese message (pages show it with a 400, the API
answers 422, commands print it); a unit that is not the viewer's raises Http404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cases.models import Category
from dashboard.access import Viewer, get_unit
from dashboard.definitions import LABELS
from dashboard.figures import DIMENSIONS, NONE, Scope
from grid.models import Region, Unit

MAX_DAYS = 3 * 366 + 1
EARLIEST = dt.date(2000, 1, 1)


class BadRequest(ValueError):
    """What is wrong with the request, in Chinese."""


def parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadRequest(f"{name}格式应为 2026-03-01") from None


def period(start: str | None, end: str | None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(start, end), both inclusive. Defaults: this month up to today. 2026-03 alone means that whole month."""
    today = today or timezone.localdate()
    start, end = (start or "").strip(), (end or "").strip()
    if len(start) == 7 and not end:  # a month: "2026-03"
        first = parse_date(f"{start}-01", "月份")
        return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    first = parse_date(start, "开始日期") if start else today.replace(day=1)
    last = parse_date(end, "结束日期") if end else max(today, first)
    if first > last:
        raise BadRequest("开始日期不能晚于结束日期")
    if first < EARLIEST:
        raise BadRequest("开始日期不能早于 2000 年")
    if (last - first).days >= MAX_DAYS:
        raise BadRequest("一次最多查询 3 年")
    return first, last


def dimension(value: str | None) -> str:
    value = (value or "unit").strip()
    if value not in DIMENSIONS:
        raise BadRequest(f"分组方式应为：{'、'.join(f'{k}（{v}）' for k, v in DIMENSIONS.items())}")
    return value


def measure(value: str | None) -> str:
    value = (value or "counted").strip()
    if value not in LABELS:
        raise BadRequest("没有这个统计项")
    return value


def _region_id(value: str, kind: str, label: str) -> int:
    if value == "none":
        return NONE
    if not value.isdigit() or not Region.objects.filter(pk=int(value), kind=kind).exists():
        raise BadRequest(f"没有这个{label}")
    return int(value)


def scope(
    viewer: Viewer, unit: str = "", category: str = "", community: str = "", street: str = ""
) -> tuple[Scope, dict]:
    """The cases asked for, within what the viewer may see (a unit's leader is always held to their unit),
    and the same as query parameters for links."""
    result, query = Scope(), {}
    unit, category, community, street = (v.strip() for v in (unit or "", category or "", community or "", street or ""))
    if unit == "none" and viewer.district:
        result.unit_id, query["unit"] = NONE, "none"
    elif unit or not viewer.district:
        chosen = get_unit(viewer, unit) if unit else Unit.objects.get(pk=viewer.home_unit_id)  # 404 if not theirs
        result.unit_id, query["unit"] = chosen.pk, chosen.code
    if category == "none":
        result.category_id, query["category"] = NONE, "none"
    elif category:
        pk = Category.objects.filter(code=category).values_list("pk", flat=True).first()
        if pk is None:
            raise BadRequest("没有这个类别")
        result.category_id, query["category"] = pk, category
    if community:
        result.community_id, query["community"] = _region_id(community, Region.Kind.COMMUNITY, "社区"), community
    if street:
        result.street_id, query["street"] = _region_id(street, Region.Kind.STREET, "街道"), street
    return result, query


@dataclass
class Ask:
    """Everything a yardstick request asks for, checked; `query` says it again for links."""

    start: dt.date
    end: dt.date
    by: str
    scope: Scope
    query: dict

    def link(self, **more) -> str:
        """Query string for the same request with some parameters changed (None drops one)."""
        from urllib.parse import urlencode

        params = {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by, **self.query, **more}
        return urlencode({k: v for k, v in params.items() if v is not None})


def ask(viewer: Viewer, get) -> Ask:
    """From a QueryDict or dict: from, to (or month), by, unit, category, community, street."""
    start, end = period(get.get("from") or get.get("month"), get.get("to"))
    chosen, query = scope(
        viewer, get.get("unit", ""), get.get("category", ""), get.get("community", ""), get.get("street", "")
    )
    return Ask(start, end, dimension(get.get("by")), chosen, query)
