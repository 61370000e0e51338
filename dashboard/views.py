"""Pages of 一把尺考评 and the 驾驶舱: the yardstick with rankings and trends, the cases behind every
figure, the monthly reports, and the cockpit (its data comes from the API, see dashboard/api.py)."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dashboard import reports
from dashboard.access import get_unit, require_district, require_viewer, table_for
from dashboard.definitions import measures
from dashboard.figures import DIMENSIONS, table
from dashboard.models import MonthlyReport
from dashboard.params import Ask, BadRequest, ask, measure, period
from dashboard.rollup import month_start

PAGE_SIZE = 50
TREND_MONTHS = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row_links(q: Ask, row) -> str:
    """The query of the cases behind a row (period and scope kept, the row's own dimension added)."""
    if q.by in ("month", "day"):
        first = dt.date.fromisoformat(row.key + ("-01" if q.by == "month" else ""))
        last = reports.month_end(first) if q.by == "month" else first
        return q.link(**{"from": first.isoformat(), "to": last.isoformat(), "by": None})
    return q.link(**{q.by: row.key or "none", "by": None})


def _trend(q: Ask):
    first = month_start(q.end)
    for _ in range(TREND_MONTHS - 1):
        first = reports.previous_month(first)
    return table(first, q.end, "month", q.scope)


@login_required
def yardstick(request):
    """一把尺考评: the four rates by unit, community, street, category, month or day; ranked; a trend."""
    viewer = require_viewer(request.user)
    try:
        q = ask(viewer, request.GET)
    except BadRequest as exc:
        return render(request, "dashboard/yardstick.html", {"error": str(exc), "viewer": viewer}, status=400)
    result = table_for(viewer, q.start, q.end, q.by, q.scope)
    for row in result.rows:
        row.query = _row_links(q, row)
    trend = _trend(q)
    today = timezone.localdate()
    last_month = reports.previous_month(today.replace(day=1))
    return render(
        request,
        "dashboard/yardstick.html",
        {
            "viewer": viewer,
            "q": q,
            "t": result,
            "trend": trend,
            "trend_data": [{"month": r.label, **r.rates.percent(), "counted": r.counts.counted} for r in trend.rows],
            "dimensions": DIMENSIONS,
            "by_label": DIMENSIONS[q.by],
            "ranked": q.by not in ("month", "day"),
            "scope_labels": _scope_labels(q),
            "clear_query": q.link(unit=None, category=None, community=None, street=None),
            "total_query": q.link(by=None),
            "shortcuts": [
                ("本月", q.link(**{"from": today.replace(day=1).isoformat(), "to": today.isoformat()})),
                ("上月", q.link(**{"from": last_month.isoformat(), "to": reports.month_end(last_month).isoformat()})),
                ("今年", q.link(**{"from": today.replace(month=1, day=1).isoformat(), "to": today.isoformat()})),
            ],
        },
    )


@login_required
def export(request):
    """The table on the yardstick page as an Excel file."""
    viewer = require_viewer(request.user)
    try:
        q = ask(viewer, request.GET)
    except BadRequest as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    result = table_for(viewer, q.start, q.end, q.by, q.scope)
    title = f"考评 {q.start:%Y%m%d}-{q.end:%Y%m%d} 按{DIMENSIONS[q.by]}"
    response = HttpResponse(reports.table_workbook(result, title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="yardstick-{q.start:%Y%m%d}-{q.end:%Y%m%d}-{q.by}.xlsx"'
    return response


@login_required
def cases(request):
    """The cases behind one figure: same period, same scope, same condition as the count."""
    viewer = require_viewer(request.user)
    try:
        q = ask(viewer, request.GET)
        key = measure(request.GET.get("measure"))
    except BadRequest as exc:
        return render(request, "dashboard/cases.html", {"error": str(exc)}, status=400)
    from dashboard.figures import cases_behind

    found = cases_behind(q.start, q.end, key, q.scope).select_related("category", "unit", "region")
    page = Paginator(found.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/cases.html",
        {
            "q": q,
            "measure": measures()[key],
            "page": page,
            "scope_labels": _scope_labels(q),
            "back": q.link(),
            "page_query": q.link(measure=key, by=None),
        },
    )


def _scope_labels(q: Ask) -> list[str]:
    from cases.models import Category
    from grid.models import Region, Unit

    labels = []
    names = {
        "unit": lambda v: Unit.objects.get(code=v).name,
        "category": lambda v: Category.objects.get(code=v).name,
        "community": lambda v: Region.objects.get(pk=v).name,
        "street": lambda v: Region.objects.get(pk=v).name,
    }
    none_labels = {"unit": "未派单", "category": "未分类", "community": "未注明社区", "street": "未注明街道"}
    for name, value in q.query.items():
        labels.append(none_labels[name] if value == "none" else names[name](value))
    return labels


# ---- monthly reports ------------------------------------------------------------------------


@login_required
def report_list(request):
    viewer = require_viewer(request.user)
    kept = MonthlyReport.objects.defer("pdf", "xlsx").select_related("unit")
    if not viewer.district:
        kept = kept.filter(unit_id__in=viewer.unit_ids)
    today = timezone.localdate()
    months = [today.replace(day=1)]
    for _ in range(11):
        months.append(reports.previous_month(months[-1]))
    from grid.models import Unit

    units = Unit.objects.all() if viewer.district else Unit.objects.filter(pk__in=viewer.unit_ids)
    return render(
        request,
        "dashboard/reports.html",
        {"viewer": viewer, "kept": kept[:300], "months": months, "units": units.order_by("code")},
    )


@login_required
def report_now(request):
    """The on-demand form: to the report made from the current figures (report_file checks who may read it)."""
    require_viewer(request.user)
    month, scope, fmt = (request.GET.get(k, "") for k in ("month", "scope", "fmt"))
    if not re.fullmatch(r"\d{4}-\d{2}", month) or not re.fullmatch(r"[\w-]+", scope) or fmt not in ("pdf", "xlsx"):
        return HttpResponse("请选择月份、范围和格式", status=400, content_type="text/plain; charset=utf-8")
    return redirect(reverse("dashboard:report_file", args=[month, scope, fmt]) + "?fresh=1")


@login_required
def report_file(request, month: str, scope: str, fmt: str):
    """A month's report: the kept one (as written after the month ended), or made now (?fresh=1, or none kept)."""
    viewer = require_viewer(request.user)
    unit = None
    if scope == "district":
        if not viewer.district:
            raise Http404("没有这份报告")
    else:
        unit = get_unit(viewer, scope)
    try:
        first, _ = period(month, None)
    except BadRequest:
        raise Http404("没有这份报告") from None
    if first > timezone.localdate():
        raise Http404("这个月还没有开始")
    kept = None if request.GET.get("fresh") else MonthlyReport.objects.filter(month=first, unit=unit).first()
    if kept is not None:
        body = bytes(kept.pdf if fmt == "pdf" else kept.xlsx)
    else:
        data = reports.build(first, unit)
        body = reports.pdf(data) if fmt == "pdf" else reports.xlsx(data)
    name = f"{first:%Y-%m}-{unit.code if unit else 'district'}.{fmt}"
    response = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else XLSX)
    response["Content-Disposition"] = f'{"inline" if fmt == "pdf" else "attachment"}; filename="{name}"'
    return response


# ---- 驾驶舱 ----------------------------------------------------------------------------------


@login_required
def cockpit(request):
    """The cockpit page: a frame the browser fills from /api/dashboard/cockpit and refreshes itself."""
    require_district(request.user)
    return render(
        request,
        "dashboard/cockpit.html",
        {"refresh_seconds": settings.COCKPIT_REFRESH_SECONDS, "time_zone": settings.TIME_ZONE},
    )
