"""History from an older system (`manage.py import_cases FILE.csv`): checked whole, then written whole.

Columns (a header row, English or Chinese names, any order):

    number 编号 · category 类别编码 · unit 单位编码 · region 区域编码 (may be empty) ·
    reported_at 受理时间 · first_contact_at 首次联系时间 · resolved_at 办结时间 ·
    solved 是否解决 (是/否/empty) · satisfaction 满意度 (five levels/empty) · invalid 是否无效 (是/否)

Every row is checked before anything is written; one bad row and nothing is imported,
and the report names each bad row, its column and what is wrong. Imported cases are
closed history (channel 旧系统导入), each with one event saying so; their days are
recounted in the yardstick at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cases.choices import Action, Channel, InvalidState, Kind, Satisfaction, Status
from cases.models import Case, CaseEvent, Category
from core.text import has_control_characters
from grid.models import Region, Unit

COLUMNS = {
    "number": ("编号", "诉求编号"),
    "category": ("类别编码", "类别"),
    "unit": ("单位编码", "责任单位编码", "单位"),
    "region": ("区域编码", "网格编码", "区域"),
    "reported_at": ("受理时间", "提交时间"),
    "first_contact_at": ("首次联系时间", "响应时间"),
    "resolved_at": ("办结时间",),
    "solved": ("是否解决",),
    "satisfaction": ("满意度",),
    "invalid": ("是否无效", "无效诉求"),
}
LABELS = {name: aliases[0] for name, aliases in COLUMNS.items()}
REQUIRED = ("number", "category", "unit", "reported_at")
MAX_ROWS = 200_000
MAX_ERRORS = 200
YES, NO = ("是", "y", "yes", "true", "1"), ("否", "n", "no", "false", "0")
FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class ImportFailed(Exception):
    """The file cannot be read at all (encoding, header); the message says why, in Chinese."""


@dataclass
class Problem:
    line: int  # the line in the file (the header is line 1)
    column: str
    message: str

    def __str__(self) -> str:
        return (
            f"第 {self.line} 行"
            + (f"【{LABELS.get(self.column, self.column)}】" if self.column else "")
            + f"：{self.message}"
        )


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    days: set[dt.date] = field(default_factory=set)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: value}) for each data row. UTF-8 (with or without BOM), or GB18030 as Excel saves it."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed("文件编码无法识别，请另存为 UTF-8 的 CSV")
    return parse_text(text)


def parse_text(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ImportFailed("文件是空的")
    names = {}
    for alias_index, cell in enumerate(header):
        key = cell.strip().lower()
        for name, aliases in COLUMNS.items():
            if key == name or key in aliases:
                names[alias_index] = name
    missing = [LABELS[n] + f"（{n}）" for n in REQUIRED if n not in names.values()]
    if missing:
        raise ImportFailed(f"表头缺少必填列：{'、'.join(missing)}")
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFailed(f"一次最多导入 {MAX_ROWS} 行，请分成几个文件")
        rows.append((line, {names[i]: cells[i].strip() for i in names if i < len(cells)}))
    return rows


def _moment(value: str) -> dt.datetime:
    value = value.strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
        for fmt in FORMATS:
            try:
                moment = dt.datetime.strptime(value, fmt)  # noqa: DTZ007 — made aware just below
                break
            except ValueError:
                continue
    if moment is None or (len(value) <= 10 and ":" not in value):
        raise ValueError("时间格式应为 2026-03-01 08:30（可带秒）")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _yes_no(value: str) -> bool | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in YES:
        return True
    if v in NO:
        return False
    raise ValueError("应填“是”“否”或留空")


def check(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[Case], Outcome]:
    """Every row checked; the cases to write (unsaved) and what is wrong with the others."""
    out = Outcome(rows=len(rows))
    categories = {c.code: c for c in Category.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    regions = dict(Region.objects.exclude(code=None).values_list("code", "pk"))
    numbers = [r.get("number", "") for _, r in rows]
    taken = set()
    for i in range(0, len(numbers), 5000):
        taken |= set(Case.objects.filter(number__in=numbers[i : i + 5000]).values_list("number", flat=True))
    seen: dict[str, int] = {}
    now = timezone.now()
    cases = []
    for line, row in rows:
        problems = []

        def bad(column: str, message: str, line=line, problems=problems) -> None:
            problems.append(Problem(line, column, message))

        for name in REQUIRED:
            if not row.get(name):
                bad(name, "不能为空")
        number = row.get("number", "")
        if number:
            if len(number) > 20 or any(c.isspace() for c in number) or has_control_characters(number):
                bad("number", "编号最长 20 个字符，不能有空格或控制字符")
            elif number in seen:
                bad("number", f"与第 {seen[number]} 行重复")
            elif number in taken:
                bad("number", "系统中已有这个编号（是否已经导入过？）")
            seen.setdefault(number, line)
        category = categories.get(row.get("category", ""))
        if row.get("category") and category is None:
            bad("category", f"没有类别编码 {row['category']}")
        unit = units.get(row.get("unit", ""))
        if row.get("unit") and unit is None:
            bad("unit", f"没有单位编码 {row['unit']}")
        region_id = None
        if row.get("region"):
            region_id = regions.get(row["region"])
            if region_id is None:
                bad("region", f"没有区域编码 {row['region']}（在管理后台·网格区域填写区划编码）")
        moments: dict[str, dt.datetime | None] = {}
        for name in ("reported_at", "first_contact_at", "resolved_at"):
            moments[name] = None
            if row.get(name):
                try:
                    moments[name] = _moment(row[name])
                except ValueError as exc:
                    bad(name, str(exc))
        reported = moments["reported_at"]
        if reported is not None:
            if reported > now:
                bad("reported_at", "受理时间不能晚于现在")
            elif reported < EARLIEST:
                bad("reported_at", "受理时间不能早于 2000 年")
            for name in ("first_contact_at", "resolved_at"):
                if moments[name] is not None and moments[name] < reported:
                    bad(name, "不能早于受理时间")
        flags = {}
        for name in ("solved", "invalid"):
            try:
                flags[name] = _yes_no(row.get(name, ""))
            except ValueError as exc:
                bad(name, str(exc))
        satisfaction = row.get("satisfaction", "")
        if satisfaction and satisfaction not in Satisfaction.values:
            bad("satisfaction", f"应为{'、'.join(Satisfaction.values)}之一或留空")
        if problems:
            out.problems.extend(problems)
            continue
        resolved = moments["resolved_at"]
        answered = flags.get("solved") is not None or bool(satisfaction)
        cases.append(
            Case(
                number=number,
                kind=Kind.DISPUTE if category.is_dispute else Kind.REQUEST,
                category=category,
                level=category.default_level,
                unit=unit,
                region_id=region_id,
                status=Status.CLOSED,
                channel=Channel.IMPORT,
                created_at=reported,
                responded_at=moments["first_contact_at"],
                resolved_at=resolved,
                closed_at=resolved or reported,
                solved=flags.get("solved"),
                satisfaction=satisfaction,
                rated_at=(resolved or reported) if answered else None,
                invalid_state=InvalidState.APPROVED if flags.get("invalid") else InvalidState.NONE,
                invalid_reason="旧系统认定为无效诉求" if flags.get("invalid") else "",
            )
        )
        out.days.add(timezone.localdate(reported))
    return cases, out


def import_rows(
    rows: list[tuple[int, dict[str, str]]], *, commit: bool, description: str = "自旧系统导入的历史诉求"
) -> Outcome:
    """Check every row; when all are good and `commit`, write them all in one transaction."""
    from dashboard.rollup import recount_locked

    cases, out = check(rows)
    if out.problems or not commit:
        return out
    with transaction.atomic():
        reported = [c.created_at for c in cases]
        for case in cases:
            case.description = description
        Case.objects.bulk_create(cases, batch_size=2000)
        for case, moment in zip(cases, reported, strict=True):
            case.created_at = moment  # bulk_create stamped "now" (auto_now_add); the history's own time goes back
        Case.objects.bulk_update(cases, ["created_at"], batch_size=1000)
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case=case,
                    actor_label="旧系统导入",
                    action=Action.SUBMIT,
                    to_status=Status.CLOSED,
                    note=f"自旧系统导入，原受理时间 {timezone.localtime(case.created_at):%Y-%m-%d %H:%M}",
                    public=False,
                )
                for case in cases
            ],
            batch_size=2000,
        )
        recount_locked(out.days)
    out.created = len(cases)
    return out
