"""Rating statistics per project, unit and category, and the same figures as an Excel workbook.

满意率 = (非常满意 + 满意 + 基本满意) ÷ 有效评价. Hidden ratings are left out everywhere (they are
kept, and counted apart, so a moderator's hiding is visible in the figures too).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font

from core.xlsx import safe_row
from projects.choices import Category, Review, Satisfaction
from projects.models import Project, Rating

# The five answers of the national 好差评 scale, as Summary's field names, in the order residents see them.
LEVELS = (
    ("very_satisfied", Satisfaction.VERY_SATISFIED),
    ("satisfied", Satisfaction.SATISFIED),
    ("basic", Satisfaction.BASICALLY),
    ("dissatisfied", Satisfaction.DISSATISFIED),
    ("very_dissatisfied", Satisfaction.VERY_DISSATISFIED),
)
CONTENT = ("very_satisfied", "satisfied", "basic")  # what 满意率 counts


@dataclass
class Summary:
    """The five counts of one project, unit or category, and what follows from them."""

    very_satisfied: int = 0
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    very_dissatisfied: int = 0
    hidden: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name, _ in LEVELS)

    @property
    def rate(self) -> float | None:
        """满意率 in percent (one decimal), None without ratings."""
        content = sum(getattr(self, name) for name in CONTENT)
        return round(100 * content / self.total, 1) if self.total else None

    def share(self, count: int) -> int:
        return round(100 * count / self.total) if self.total else 0

    @property
    def bars(self) -> list[tuple[str, int, int]]:
        """(label, count, percent) for the five answers, in the order residents see them."""
        return [(level.label, getattr(self, name), self.share(getattr(self, name))) for name, level in LEVELS]

    @property
    def counts(self) -> list[int]:
        return [getattr(self, name) for name, _ in LEVELS]

    def add(self, other: Summary) -> None:
        for name in (*(n for n, _ in LEVELS), "hidden"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Row:
    key: str
    label: str
    summary: Summary = field(default_factory=Summary)
    projects: int = 0
    progress_sum: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def avg_progress(self) -> int:
        return round(self.progress_sum / self.projects) if self.projects else 0


def _count_filters(prefix: str, since: dt.datetime | None, until: dt.datetime | None) -> dict:
    """Count() annotations for the five answers (hidden ratings left out) and for the hidden ones."""
    period = Q()
    if since:
        period &= Q(**{f"{prefix}created_at__gte": since})
    if until:
        period &= Q(**{f"{prefix}created_at__lt": until})
    shown = period & Q(**{f"{prefix}hidden": False})
    sat = f"{prefix}satisfaction"
    counts = {f"n_{name}": Count(f"{prefix}id", filter=shown & Q(**{sat: level})) for name, level in LEVELS}
    counts["n_hidden"] = Count(f"{prefix}id", filter=period & Q(**{f"{prefix}hidden": True}))
    return counts


def _summary_of(counts) -> Summary:
    get = counts.get if isinstance(counts, dict) else counts.__dict__.get
    return Summary(**{name: get(f"n_{name}") for name, _ in LEVELS}, hidden=get("n_hidden"))


def project_summary(project: Project) -> Summary:
    """The public summary on a project's page (hidden ratings left out)."""
    return _summary_of(Rating.objects.filter(project=project).aggregate(**_count_filters("", None, None)))


def public_comments(project: Project, limit: int = 20) -> QuerySet[Rating]:
    return Rating.objects.filter(project=project, hidden=False, review=Review.PUBLISHED).order_by("-created_at")[:limit]


def project_rows(
    projects: QuerySet[Project], since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[Row]:
    rows = []
    annotated = projects.select_related("unit").annotate(**_count_filters("ratings__", since, until))
    for p in annotated.order_by("unit__code", "category", "name"):
        row = Row(key=p.code, label=p.name, summary=_summary_of(p), projects=1, progress_sum=p.progress)
        row.extra = {"project": p}
        rows.append(row)
    return rows


def grouped(rows: list[Row], by: str) -> list[Row]:
    """Project rows added up per unit (by="unit") or per category (by="category")."""
    groups: dict[str, Row] = {}
    for row in rows:
        p = row.extra["project"]
        key, label = (p.unit.code, p.unit.name) if by == "unit" else (p.category, p.get_category_display())
        group = groups.setdefault(key, Row(key=key, label=label))
        group.summary.add(row.summary)
        group.projects += 1
        group.progress_sum += row.progress_sum
        statuses = group.extra.setdefault("statuses", defaultdict(int))
        statuses[p.status] += 1
    order = {c: i for i, c in enumerate(Category.values)}
    key = (lambda g: order.get(g.key, 99)) if by == "category" else (lambda g: g.key)
    return sorted(groups.values(), key=key)


def total_row(rows: list[Row]) -> Row:
    total = Row(key="", label="合计")
    for row in rows:
        total.summary.add(row.summary)
        total.projects += row.projects
        total.progress_sum += row.progress_sum
    return total


# ---- Excel ---------------------------------------------------------------------------------

LEVEL_HEADERS = [level.label for _, level in LEVELS]
SUMMARY_HEADERS = ["项目数", "平均进度（%）", *LEVEL_HEADERS, "有效评价", "满意率（%）", "已隐藏"]


def _summary_cells(row: Row) -> list:
    s = row.summary
    return [row.projects, row.avg_progress, *s.counts, s.total, s.rate, s.hidden]


def _sheet(wb: Workbook, title: str, headers: list[str], widths: list[int]):
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.append([_bold(ws, h) for h in headers])
    return ws


def _bold(ws, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=True)
    return cell


def workbook(projects: QuerySet[Project], since: dt.datetime | None = None, until: dt.datetime | None = None) -> bytes:
    """项目 / 单位 / 类别 / 评价明细 sheets; phones masked, hidden ratings listed with who hid them and why."""
    rows = project_rows(projects, since, until)
    wb = Workbook(write_only=True)
    ws = _sheet(
        wb, "项目",
        ["项目码", "项目名称", "类别", "责任单位", "所在区域", "状态", "形象进度（%）", "总投资（万元）", "资金来源",
         "计划开工", "计划完工", "实际开工", "实际完工", *LEVEL_HEADERS, "有效评价", "满意率（%）", "已隐藏",
         "演示数据"],
        [10, 30, 14, 24, 24, 8, 8, 12, 14, 11, 11, 11, 11, 9, 7, 9, 7, 11, 9, 10, 7, 8],
    )  # fmt: skip
    for row in rows:
        p, s = row.extra["project"], row.summary
        ws.append(
            safe_row(ws, [
                p.code, p.name, p.get_category_display(), p.unit.name, p.region.full_name if p.region else "",
                p.get_status_display(), p.progress, float(p.budget) if p.budget is not None else None,
                p.get_funding_source_display(), p.planned_start, p.planned_end, p.actual_start, p.actual_end,
                *s.counts, s.total, s.rate, s.hidden, "是" if p.is_demo else "",
            ])
        )  # fmt: skip
    for title, by in (("单位", "unit"), ("类别", "category")):
        sheet = _sheet(wb, title, [title, *SUMMARY_HEADERS], [28, 8, 12, 9, 7, 9, 7, 11, 9, 10, 7])
        for group in grouped(rows, by):
            sheet.append(safe_row(sheet, [group.label, *_summary_cells(group)]))
        sheet.append(["合计", *_summary_cells(total_row(rows))])
    detail = _sheet(
        wb, "评价明细",
        ["项目码", "项目名称", "评价时间", "手机号", "评价", "留言", "留言审核", "命中的敏感词", "审核人", "审核说明",
         "已隐藏", "隐藏人", "隐藏时间", "隐藏原因"],
        [10, 30, 18, 14, 9, 40, 10, 14, 12, 20, 7, 12, 18, 24],
    )  # fmt: skip
    ratings = Rating.objects.filter(project__in=projects).select_related("project", "reviewed_by", "hidden_by")
    if since:
        ratings = ratings.filter(created_at__gte=since)
    if until:
        ratings = ratings.filter(created_at__lt=until)
    for r in ratings.order_by("project__code", "created_at").iterator(chunk_size=2000):
        detail.append(
            safe_row(detail, [
                r.project.code, r.project.name, _naive(r.created_at), r.masked_phone, r.satisfaction, r.comment,
                r.get_review_display(), r.flagged_words, _who(r.reviewed_by), r.review_note,
                "是" if r.hidden else "", _who(r.hidden_by), _naive(r.hidden_at), r.hidden_reason,
            ])
        )  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.first_name or user.get_username()


def _naive(moment: dt.datetime | None):
    """Excel has no time zones: local time, as staff read it."""
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None) if moment else None
