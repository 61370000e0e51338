"""JSON API of the yardstick and the cockpit (/api/dashboard/…). Same rules as the pages.

Rates are percentages (two decimals) or null where nothing can be divided. Signed-in users
only (401); people without access to figures get 403; a unit that is not theirs, 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from dashboard import cockpit as cockpit_data
from dashboard.access import table_for, viewer_of
from dashboard.figures import Row, Table, cases_behind
from dashboard.params import BadRequest, ask, measure

router = Router(tags=["dashboard"], auth=django_auth)

NO_ACCESS = "没有查看考评数据的权限"


class ErrorOut(Schema):
    detail: str


class CountsOut(Schema):
    reported: int = Field(..., description="受理")
    invalid: int = Field(..., description="认定无效（不计入考评）")
    counted: int = Field(..., description="计入考评")
    responded: int = Field(..., description="按时响应")
    late: int = Field(..., description="未按时响应")
    answered: int = Field(..., description="有解决情况答复")
    solved: int = Field(..., description="已解决")
    unsolved: int = Field(..., description="未解决")
    rated: int = Field(..., description="有满意度评价")
    very_satisfied: int
    satisfied: int
    basically: int
    dissatisfied: int
    very_dissatisfied: int
    by_grid: int = Field(..., description="网格员代报")
    claimed: int = Field(..., description="志愿者认领")
    claimed_resolved: int = Field(..., description="志愿者办结")


class RatesOut(Schema):
    response: float | None = Field(..., description="响应率（%）")
    resolution: float | None = Field(..., description="解决率（%）")
    satisfaction: float | None = Field(..., description="满意率（%）")
    composite: float | None = Field(..., description="综合得分（满分 100）")


class RowOut(Schema):
    key: str = Field(..., description="单位或类别编码、区域 id、月份（2026-03）或日期；空为“未派单”等")
    label: str
    rank: int | None
    counts: CountsOut
    rates: RatesOut


class TableOut(Schema):
    by: str
    start: dt.date = Field(..., alias="from")
    end: dt.date = Field(..., alias="to")
    updated_at: dt.datetime | None = Field(..., description="汇总数据更新到的时间")
    rows: list[RowOut]
    total: RowOut
    district: RowOut | None = Field(None, description="单位负责人查看时：全区同期数据")
    ranked: int = Field(..., description="参与排名的个数")


class CaseItem(Schema):
    number: str
    category: str | None
    unit: str | None
    created_at: dt.datetime
    responded_at: dt.datetime | None
    solved: bool | None
    satisfaction: str
    invalid_state: str
    status: str


class CasesOut(Schema):
    measure: str
    label: str
    count: int
    items: list[CaseItem]


def _counts(row: Row) -> dict:
    c = row.counts
    return {name: getattr(c, name) for name in CountsOut.model_fields}


def _row(row: Row) -> dict:
    return {"key": row.key, "label": row.label, "rank": row.rank, "counts": _counts(row), "rates": row.rates.percent()}


def _table(t: Table) -> dict:
    return {
        "by": t.by,
        "from": t.start,
        "to": t.end,
        "updated_at": t.updated_at,
        "rows": [_row(r) for r in t.rows],
        "total": _row(t.total),
        "district": _row(t.district) if t.district else None,
        "ranked": t.ranked,
    }


@router.get(
    "/yardstick",
    response={200: TableOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    by_alias=True,
    url_name="dashboard_yardstick",
)
def yardstick(
    request,
    start: str = Query("", alias="from", description="开始日期 2026-03-01（默认本月 1 日）；或只给月份 2026-03"),
    end: str = Query("", alias="to", description="结束日期（含），默认今天"),
    by: str = Query("unit", description="unit、community、street、category、month 或 day"),
    unit: str = Query("", description="单位编码；none 为未派单"),
    category: str = Query("", description="类别编码；none 为未分类"),
    community: str = Query("", description="社区 id"),
    street: str = Query("", description="街道 id"),
):
    """一把尺: counts and the four rates per group, ranked, for cases reported in the period."""
    viewer = viewer_of(request.user)
    if viewer is None:
        return Status(403, {"detail": NO_ACCESS})
    try:
        q = ask(viewer, request.GET)
    except BadRequest as exc:
        return Status(422, {"detail": str(exc)})
    except Http404:
        return Status(404, {"detail": "没有这个单位"})
    return _table(table_for(viewer, q.start, q.end, q.by, q.scope))


@router.get("/cases", response={200: CasesOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, url_name="dashboard_cases")
def cases(
    request,
    measure_key: str = Query(
        "counted", alias="measure", description="统计项，如 counted、late、unsolved、dissatisfied"
    ),
    start: str = Query("", alias="from"),
    end: str = Query("", alias="to"),
    unit: str = "",
    category: str = "",
    community: str = "",
    street: str = "",
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """The cases behind one figure (same period, scope and condition as the count), newest first."""
    viewer = viewer_of(request.user)
    if viewer is None:
        return Status(403, {"detail": NO_ACCESS})
    try:
        q = ask(viewer, request.GET)
        key = measure(measure_key)
    except BadRequest as exc:
        return Status(422, {"detail": str(exc)})
    except Http404:
        return Status(404, {"detail": "没有这个单位"})
    from dashboard.definitions import measures

    found = cases_behind(q.start, q.end, key, q.scope)
    items = found.select_related("category", "unit").order_by("-created_at", "-id")[offset : offset + limit]
    return {
        "measure": key,
        "label": measures()[key].label,
        "count": found.count(),
        "items": [
            {
                "number": c.number,
                "category": c.category.code if c.category else None,
                "unit": c.unit.code if c.unit else None,
                "created_at": c.created_at,
                "responded_at": c.responded_at,
                "solved": c.solved,
                "satisfaction": c.satisfaction,
                "invalid_state": c.invalid_state,
                "status": c.status,
            }
            for c in items
        ],
    }


def _district_only(request):
    viewer = viewer_of(request.user)
    return viewer is not None and viewer.district


@router.get("/cockpit", response={200: dict, 403: ErrorOut}, url_name="dashboard_cockpit")
def cockpit(request):
    """驾驶舱: today's intake, open, overdue, 督办, this month's ranking and hotspots, 民生实事, 办事e点通, 邻长."""
    if not _district_only(request):
        return Status(403, {"detail": NO_ACCESS})
    return cockpit_data.snapshot()


@router.get("/grid", response={200: dict, 403: ErrorOut}, url_name="dashboard_grid")
def grid(request):
    """The grid's streets, communities and compounds with a boundary, as a GeoJSON FeatureCollection."""
    if not _district_only(request):
        return Status(403, {"detail": NO_ACCESS})
    return cockpit_data.grid_geojson()
