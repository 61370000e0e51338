"""The monthly report (月度考评报告): per unit and for the district, as PDF and as Excel.

The worker writes last month's reports after the month ends (基层减负: nobody types them) and
keeps them; anyone allowed may download them, or have any month made on demand. PDF is
rendered by WeasyPrint from templates/dashboard/report.html; Excel by openpyxl from the same
data, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from cases.models import Case
from core.pdf import html_to_pdf
from core.xlsx import safe_row
from dashboard.figures import Row, Scope, Table, table
from dashboard.models import MonthlyReport, MonthTally, RollupState, Yardstick
from dashboard.rollup import next_month
from grid.models import Unit

log = logging.getLogger("minsheng.dashboard")
TREND_MONTHS = 6
CASE_LIST_LIMIT = 30


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


@dataclass
class CaseList:
    title: str
    measure: str
    cases: list[Case]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.cases)


@dataclass
class ReportData:
    """Everything a report shows, computed once for both formats."""

    month: dt.date
    unit: Unit | None
    generated_at: dt.datetime
    summary: Row
    previous: Row
    district: Row  # the district's figures, for a unit to compare with
    rank: int | None
    ranked: int
    units: list[Row] = field(default_factory=list)
    streets: list[Row] = field(default_factory=list)
    communities: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    trend: list[Row] = field(default_factory=list)
    case_lists: list[CaseList] = field(default_factory=list)
    has_demo: bool = False
    stick: Yardstick = field(default_factory=Yardstick.current)

    @property
    def scope_name(self) -> str:
        return self.unit.name if self.unit else "全区"

    @property
    def title(self) -> str:
        return f"{self.month.year}年{self.month.month}月 一把尺考评月报 · {self.scope_name}"

    @property
    def filename(self) -> str:
        return f"{self.month:%Y-%m}-{self.unit.code if self.unit else 'district'}"


def _month_table(month: dt.date, by: str, scope: Scope | None = None) -> Table:
    return table(month, month_end(month), by, scope)


def build(month: dt.date, unit: Unit | None = None) -> ReportData:
    """The figures of one month for one unit (or the district)."""
    scope = Scope(unit_id=unit.pk) if unit else Scope()
    by_unit = _month_table(month, "unit")
    current = _month_table(month, "category", scope)
    before = _month_table(previous_month(month), "unit", scope)
    first = month
    for _ in range(TREND_MONTHS - 1):
        first = previous_month(first)
    trend = table(first, month_end(month), "month", scope).rows
    own = by_unit.row(unit.code) if unit else None
    data = ReportData(
        month=month,
        unit=unit,
        generated_at=timezone.now(),
        summary=current.total,
        previous=before.total,
        district=by_unit.total,
        rank=own.rank if own else None,
        ranked=sum(1 for r in by_unit.rows if r.rank is not None),
        categories=current.rows,
        trend=trend,
    )
    if unit is None:
        data.units = by_unit.rows
        data.streets = _month_table(month, "street").rows
        data.communities = _month_table(month, "community").rows
        data.has_demo = Unit.objects.filter(is_demo=True, code__in=[r.key for r in by_unit.rows]).exists()
    else:
        data.has_demo = unit.is_demo
        data.case_lists = _case_lists(month, scope)
    return data


def _case_lists(month: dt.date, scope: Scope) -> list[CaseList]:
    from dashboard.figures import cases_behind

    out = []
    for title, measure in (
        ("未按时响应", "late"),
        ("未解决", "unsolved"),
        ("不满意", "dissatisfied"),
        ("非常不满意", "very_dissatisfied"),
    ):
        cases = cases_behind(month, month_end(month), measure, scope).select_related("category", "region")
        total = cases.count()
        out.append(CaseList(title, measure, list(cases.order_by("created_at")[:CASE_LIST_LIMIT]), total))
    return out


# ---- PDF -----------------------------------------------------------------------------------


def pdf(data: ReportData) -> bytes:
    return html_to_pdf(render_to_string("dashboard/report.html", {"r": data}))


# ---- Excel ---------------------------------------------------------------------------------

RATE_HEADERS = [
    "受理",
    "认定无效",
    "计入考评",
    "按时响应",
    "响应率（%）",
    "已解决",
    "有解决答复",
    "解决率（%）",
    "有满意度评价",
    "满意率（%）",
    "综合得分",
]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def row_cells(row: Row) -> list:
    c, r = row.counts, row.rates
    return [
        c.reported, c.invalid, c.counted, c.responded, _pct(r.response), c.solved, c.answered, _pct(r.resolution),
        c.rated, _pct(r.satisfaction), _pct(r.composite),
    ]  # fmt: skip


def _bold(ws, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True)
    return cell


def _sheet(wb: Workbook, title: str, headers: list[str], widths: list[int] | None = None):
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths or [30] + [11] * (len(headers) - 1)):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append([_bold(ws, h) for h in headers])
    return ws


def _rows_sheet(wb: Workbook, title: str, first: str, rows: list[Row], ranked: bool = False) -> None:
    headers = (["排名"] if ranked else []) + [first, *RATE_HEADERS]
    ws = _sheet(wb, title, headers, ([6] if ranked else []) + [30] + [11] * len(RATE_HEADERS))
    for row in rows:
        ws.append(safe_row(ws, ([row.rank] if ranked else []) + [row.label, *row_cells(row)]))


def table_workbook(result: Table, title: str) -> bytes:
    """Any yardstick table (the page's export): one sheet, the total last."""
    from dashboard.figures import DIMENSIONS

    wb = Workbook(write_only=True)
    ranked = result.by not in ("month", "day")
    _rows_sheet(wb, title[:31], DIMENSIONS[result.by], [*result.rows, result.total], ranked=ranked)
    return _save(wb)


def xlsx(data: ReportData) -> bytes:
    wb = Workbook(write_only=True)
    ws = _sheet(wb, "概况", ["项目", "内容"], [18, 60])
    facts = [
        ("报告", data.title),
        ("统计范围", f"{data.month:%Y-%m-%d} 至 {month_end(data.month):%Y-%m-%d} 受理的诉求（认定无效的不计入）"),
        ("生成时间", timezone.localtime(data.generated_at).strftime("%Y-%m-%d %H:%M")),
    ]
    if data.unit:
        facts.append(
            ("排名", f"第 {data.rank} 名 / 共 {data.ranked} 个单位" if data.rank else "本月三率不全，未参与排名")
        )
    if data.has_demo:
        facts.append(("说明", "含演示数据"))
    for label, value in facts:
        ws.append(safe_row(ws, [label, value]))
    ws.append([])
    ws.append([_bold(ws, "范围"), *(_bold(ws, h) for h in RATE_HEADERS)])
    ws.append([data.scope_name + " 本月", *row_cells(data.summary)])
    ws.append([data.scope_name + " 上月", *row_cells(data.previous)])
    if data.unit:
        ws.append(["全区 本月", *row_cells(data.district)])
    if data.unit is None:
        _rows_sheet(wb, "单位排名", "单位", data.units, ranked=True)
        _rows_sheet(wb, "街道", "街道", data.streets, ranked=True)
        _rows_sheet(wb, "社区", "社区", data.communities, ranked=True)
    _rows_sheet(wb, "类别", "类别", data.categories, ranked=True)
    _rows_sheet(wb, f"近{TREND_MONTHS}个月", "月份", data.trend)
    for listing in data.case_lists:
        ws = _sheet(
            wb,
            listing.title,
            ["编号", "类别", "受理时间", "首次联系", "地点", "是否解决", "满意度"],
            [16, 20, 18, 18, 24, 10, 12],
        )
        for case in listing.cases:
            ws.append(
                [
                    case.number, case.category.name if case.category else "", _naive(case.created_at),
                    _naive(case.responded_at), case.region.full_name if case.region else "",
                    {True: "解决", False: "未解决"}.get(case.solved, ""), case.satisfaction,
                ]
            )  # fmt: skip
        if listing.more:
            ws.append([f"另有 {listing.more} 件，见系统中的诉求明细"])
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _naive(moment: dt.datetime | None):
    """Excel has no time zones: local time, as staff read it."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# ---- kept reports and the schedule --------------------------------------------------------------


def generate(month: dt.date, unit: Unit | None = None) -> MonthlyReport:
    """Make (or remake) and keep the report of a month for a unit or the district."""
    data = build(month, unit)
    files = {"pdf": pdf(data), "xlsx": xlsx(data), "generated_at": data.generated_at}
    with transaction.atomic():
        report, _ = MonthlyReport.objects.update_or_create(month=month, unit=unit, defaults=files)
    return report


def units_with_cases(month: dt.date) -> list[Unit]:
    ids = (
        MonthTally.objects.filter(month=month, unit__isnull=False)
        .values("unit_id")
        .annotate(n=Sum("reported"))
        .filter(n__gt=0)
        .values_list("unit_id", flat=True)
    )
    return list(Unit.objects.filter(pk__in=list(ids)).order_by("code"))


def generate_due(now: dt.datetime | None = None, budget_seconds: float = 20.0) -> int:
    """Last month's reports not yet kept: the district's first, then each unit with cases.

    They wait for the rollup's nightly check of the new month (so the month's last days are
    complete), and stop after `budget_seconds` so one worker round stays short; the next round
    goes on. Returns how many were written.
    """
    now = now or timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    checked = RollupState.objects.filter(pk=1).values_list("reconciled_on", flat=True).first()
    if checked is None or checked < this_month:
        return 0
    month = previous_month(this_month)
    have = set(MonthlyReport.objects.filter(month=month).values_list("unit_id", flat=True))
    due: list[Unit | None] = [None] if None not in have else []
    due += [u for u in units_with_cases(month) if u.pk not in have]
    started, made = time.monotonic(), 0
    for unit in due:
        if made and time.monotonic() - started > budget_seconds:
            break
        try:
            generate(month, unit)
        except IntegrityError:  # another worker wrote it meanwhile
            continue
        made += 1
        log.info("monthly report %s %s written", f"{month:%Y-%m}", unit.code if unit else "district")
    return made
