"""The yardstick's figures: counts summed from the tallies, rates from the counts, rankings.

    响应率 = 按时响应 ÷ 计入考评
    解决率 = 已解决 ÷ (已解决 + 未解决)
    满意率 = Σ 各档满意度的权重 ÷ 有满意度评价
    综合   = 响应率、解决率、满意率按权重相加（三率俱全才有综合得分）

Rates are fractions (0–1) here; pages and exports show percentages. A rate whose
denominator is zero is None ("—"), never 0: no answers is not a bad answer.

`table()` reads the rollup (whole months from MonthTally, the days at the edges from
DayTally); `raw_table()` computes the same table with a plain GROUP BY over the cases,
for the benchmark and for tests that prove the two agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from cases.models import Case, Category
from dashboard.definitions import (
    PREFIX,
    SATISFACTION_FIELDS,
    TALLIED,
    community_of_case,
    count_expressions,
    measures,
    street_of_case,
    unprefixed,
)
from dashboard.models import DayTally, MonthTally, RollupState, Yardstick
from dashboard.rollup import midnight, month_start, next_month, tz
from grid.models import Region, Unit

DIMENSIONS = {
    "unit": "单位",
    "community": "社区",
    "street": "街道",
    "category": "类别",
    "month": "月份",
    "day": "日期",
}
# The tally column behind each dimension that is a column.
COLUMNS = {"unit": "unit_id", "community": "community_id", "street": "street_id", "category": "category_id"}
NONE_LABELS = {
    "unit": "（未派单）",
    "community": "（未注明社区）",
    "street": "（未注明街道）",
    "category": "（未分类）",
}


@dataclass
class Counts:
    """The stored counts of a group of cases (see dashboard.definitions for what each one counts)."""

    reported: int = 0
    invalid: int = 0
    responded: int = 0
    answered: int = 0
    solved: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    basically: int = 0
    dissatisfied: int = 0
    very_dissatisfied: int = 0
    by_grid: int = 0
    claimed: int = 0
    claimed_resolved: int = 0

    @property
    def counted(self) -> int:
        return self.reported - self.invalid

    @property
    def unsolved(self) -> int:
        return self.answered - self.solved

    @property
    def late(self) -> int:
        return self.counted - self.responded

    @property
    def rated(self) -> int:
        return sum(getattr(self, name) for name in SATISFACTION_FIELDS)

    def add(self, other: Counts) -> None:
        for name in TALLIED:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def of(cls, row: dict) -> Counts:
        """From a row annotated with count_expressions() or with sums named alike."""
        return cls(**unprefixed(row))

    def measure(self, key: str) -> int:
        """The count behind a clickable figure (the keys of definitions.measures())."""
        return getattr(self, key)


assert {f.name for f in fields(Counts)} == set(TALLIED), "Counts and the tallied measures must match"


@dataclass
class Rates:
    response: float | None
    resolution: float | None
    satisfaction: float | None
    composite: float | None

    def percent(self) -> dict[str, float | None]:
        """The four rates in percent, two decimals, for JSON and exports."""
        return {
            f.name: None if getattr(self, f.name) is None else round(100 * getattr(self, f.name), 2)
            for f in fields(self)
        }


def rates(counts: Counts, stick: Yardstick) -> Rates:
    response = counts.responded / counts.counted if counts.counted else None
    resolution = counts.solved / counts.answered if counts.answered else None
    weights = stick.satisfaction_weights()
    rated = counts.rated
    satisfaction = (
        sum(weights[level] * getattr(counts, name) for name, level in SATISFACTION_FIELDS.items()) / rated
        if rated
        else None
    )
    composite = None
    if None not in (response, resolution, satisfaction):
        composite = (
            float(stick.response_weight) * response
            + float(stick.resolution_weight) * resolution
            + float(stick.satisfaction_weight) * satisfaction
        )
    return Rates(response, resolution, satisfaction, composite)


@dataclass
class Row:
    """One line of a yardstick table: a unit, community, street, category, month or day."""

    key: str  # what links carry: unit or category code, region id, 2026-03, 2026-03-05; "" for none
    label: str
    counts: Counts
    rates: Rates
    rank: int | None = None


NONE = 0  # in a Scope: the cases without one (no unit yet, no category, no community); ids start at 1


@dataclass
class Scope:
    """Which cases a table covers besides the period: all, or one unit's, category's, community's, street's.

    None leaves a dimension open; NONE selects the cases that have no value there.
    """

    unit_id: int | None = None
    category_id: int | None = None
    community_id: int | None = None
    street_id: int | None = None

    def filters(self) -> dict[str, int | None]:
        return {name: (None if value == NONE else value) for name, value in vars(self).items() if value is not None}

    @property
    def needs_place(self) -> bool:
        return self.community_id is not None or self.street_id is not None


@dataclass
class Table:
    by: str
    start: dt.date
    end: dt.date  # inclusive
    rows: list[Row]
    total: Row
    stick: Yardstick
    scope: Scope = field(default_factory=Scope)
    updated_at: dt.datetime | None = None
    district: Row | None = None  # for a unit's leader: the district's figures to compare with
    ranked: int = 0  # how many rows have a rank (filled in by access.table_for)

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)


# ---- reading the tallies ---------------------------------------------------------------------


def _parts(start: dt.date, end: dt.date, by: str) -> list[tuple[QuerySet, str]]:
    """The tally querysets covering [start, end): whole months from MonthTally, edge days from DayTally."""
    first_full = start if start.day == 1 else next_month(start)
    last_full = month_start(end)
    days = DayTally.objects.order_by()
    if by == "day" or first_full >= last_full:
        return [(days.filter(day__gte=start, day__lt=end), "day")]
    return [
        (MonthTally.objects.order_by().filter(month__gte=first_full, month__lt=last_full), "month"),
        (days.filter(day__gte=start, day__lt=first_full), "day"),
        (days.filter(day__gte=last_full, day__lt=end), "day"),
    ]


def _group(queryset: QuerySet, by: str | None, period: str) -> QuerySet:
    if by is None:
        return queryset
    if by in COLUMNS:
        return queryset.values(COLUMNS[by])
    if by == "month" and period == "day":
        return queryset.annotate(g=TruncMonth("day")).values("g")
    return queryset.values(period)


def _key_of(row: dict, by: str | None):
    if by is None:
        return None
    if by in COLUMNS:
        return row[COLUMNS[by]]
    return row.get("g") or row.get("month") or row.get("day")


def tally_counts(start: dt.date, end: dt.date, by: str | None, scope: Scope | None = None) -> dict:
    """Counts per group for the cases reported in [start, end) (end exclusive), from the rollup."""
    sums = {PREFIX + name: Sum(name) for name in TALLIED}
    out: dict = {}
    for queryset, period in _parts(start, end, by or ""):
        queryset = queryset.filter(**(scope or Scope()).filters())
        if by is None:
            out.setdefault(None, Counts()).add(Counts.of(queryset.aggregate(**sums)))
            continue
        for row in _group(queryset, by, period).annotate(**sums):
            out.setdefault(_key_of(row, by), Counts()).add(Counts.of(row))
    return out


def raw_counts(start: dt.date, end: dt.date, by: str | None, scope: Scope | None = None) -> dict:
    """The same counts with a plain GROUP BY over the case rows (no rollup)."""
    cases = _cases(start, end, scope or Scope(), with_place=by in ("community", "street"))
    if by is None:
        return {None: Counts.of(cases.aggregate(**count_expressions()))}
    if by in COLUMNS:
        grouped, key = cases.values(COLUMNS[by]), COLUMNS[by]
    elif by == "month":
        grouped, key = cases.annotate(g=TruncMonth("created_at", tzinfo=tz())).values("g"), "g"
    else:
        grouped, key = cases.annotate(g=TruncDate("created_at", tzinfo=tz())).values("g"), "g"
    out = {}
    for row in grouped.annotate(**count_expressions()):
        k = row[key].date() if isinstance(row[key], dt.datetime) else row[key]
        out[k] = Counts.of(row)
    return out


def day_groups(start: dt.date, end: dt.date, raw: bool = False) -> dict[tuple, Counts]:
    """Counts per (day, unit id, category id) for [start, end): a window of days in one GROUP BY,
    from the day tallies (or, with raw, from the case rows)."""
    if raw:
        rows = (
            _cases(start, end, Scope())
            .annotate(day=TruncDate("created_at", tzinfo=tz()))
            .values("day", "unit_id", "category_id")
            .annotate(**count_expressions())
        )
    else:
        sums = {PREFIX + name: Sum(name) for name in TALLIED}
        rows = (
            DayTally.objects.filter(day__gte=start, day__lt=end)
            .order_by()
            .values("day", "unit_id", "category_id")
            .annotate(**sums)
        )
    return {(r["day"], r["unit_id"], r["category_id"]): Counts.of(r) for r in rows}


def fold(groups: dict[tuple, Counts], position: int) -> dict:
    """The counts of day_groups() added up by one part of their key (0 day, 1 unit, 2 category)."""
    out: dict = {}
    for key, counts in groups.items():
        out.setdefault(key[position], Counts()).add(counts)
    return out


def _cases(start: dt.date, end: dt.date, scope: Scope, with_place: bool = False) -> QuerySet[Case]:
    """The cases reported in [start, end) within the scope."""
    cases = Case.objects.filter(created_at__gte=midnight(start), created_at__lt=midnight(end)).order_by()
    if with_place or scope.needs_place:
        cases = cases.annotate(community_id=community_of_case(), street_id=street_of_case())
    return cases.filter(**scope.filters())


def cases_behind(start: dt.date, end: dt.date, measure: str, scope: Scope | None = None) -> QuerySet[Case]:
    """The cases behind one figure: reported from `start` to `end` (inclusive), within the scope, in the measure."""
    condition = measures()[measure].condition
    return _cases(start, end + dt.timedelta(days=1), scope or Scope()).filter(condition)


# ---- labels and rankings ---------------------------------------------------------------------


def _labels(by: str, keys) -> dict:
    """(url key, label) for each group key."""
    ids = [k for k in keys if k is not None]
    if by == "unit":
        return {u.pk: (u.code, u.name) for u in Unit.objects.filter(pk__in=ids)}
    if by == "category":
        return {c.pk: (c.code, c.name) for c in Category.objects.filter(pk__in=ids)}
    if by in ("community", "street"):
        return {r.pk: (str(r.pk), str(r)) for r in Region.objects.filter(pk__in=ids)}
    if by == "month":
        return {k: (f"{k:%Y-%m}", f"{k.year}年{k.month}月") for k in ids}
    return {k: (k.isoformat(), f"{k.month}月{k.day}日") for k in ids}


def rank(rows: list[Row]) -> None:
    """Best composite first; equal scores share a rank (1, 2, 2, 4). Rows without a score or key get none."""
    scored = [r for r in rows if r.rates.composite is not None and r.key]
    scored.sort(key=lambda r: (-r.rates.composite, -r.counts.counted, r.key))
    previous, position = None, 0
    for i, row in enumerate(scored, start=1):
        score = round(row.rates.composite, 9)
        if score != previous:
            position, previous = i, score
        row.rank = position


def build(by: str, start: dt.date, end: dt.date, groups: dict, total: Counts, stick: Yardstick, scope: Scope) -> Table:
    labels = _labels(by, groups.keys())
    rows = []
    for k, counts in groups.items():
        key, label = labels.get(k, ("", NONE_LABELS.get(by, "—"))) if k is not None else ("", NONE_LABELS.get(by, "—"))
        rows.append(Row(key, label, counts, rates(counts, stick)))
    if by in ("month", "day"):
        rows.sort(key=lambda r: r.key)
    else:
        rank(rows)
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0, -r.counts.counted, r.key == "", r.key))
    return Table(by, start, end, rows, Row("", "合计", total, rates(total, stick)), stick, scope)


def table(
    start: dt.date, end: dt.date, by: str = "unit", scope: Scope | None = None, stick: Yardstick | None = None
) -> Table:
    """The yardstick for cases reported from `start` to `end` (both inclusive, local dates), from the rollup."""
    scope, stick = scope or Scope(), stick or Yardstick.current()
    stop = end + dt.timedelta(days=1)
    groups = tally_counts(start, stop, by, scope)
    total = tally_counts(start, stop, None, scope).get(None, Counts())
    result = build(by, start, end, groups, total, stick, scope)
    result.updated_at = RollupState.objects.filter(pk=1).values_list("scanned_until", flat=True).first()
    return result


def raw_table(
    start: dt.date, end: dt.date, by: str = "unit", scope: Scope | None = None, stick: Yardstick | None = None
) -> Table:
    """The same table computed straight from the cases."""
    scope, stick = scope or Scope(), stick or Yardstick.current()
    stop = end + dt.timedelta(days=1)
    groups = raw_counts(start, stop, by, scope)
    total = raw_counts(start, stop, None, scope).get(None, Counts())
    return build(by, start, end, groups, total, stick, scope)
