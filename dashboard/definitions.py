"""What the yardstick counts, said once over case rows.

The rollup counts with these conditions and the drill-down lists cases with the
same ones, so a figure and the cases behind it cannot disagree.

- counted: cases reported in the period, minus approved 无效诉求;
- responded (按时响应): first contact (Case.responded_at) no later than the category's
  respond_hours after the case was reported (提交时间); a case without a category gets
  UNCATEGORIZED_RESPOND_HOURS;
- answered / solved: the resident's (or the callback's) answer 解决 / 未解决;
- the five satisfaction answers, weighted only when rates are computed (figures.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, DateTimeField, DurationField, ExpressionWrapper, F, Q, Value

from cases.choices import Channel, InvalidState, Satisfaction
from cases.models import Category

UNCATEGORIZED_RESPOND_HOURS = 24  # the most common limit of the responsibility list


def respond_limit() -> ExpressionWrapper:
    """The moment by which a case had to be first contacted: 提交时间 + its category's respond hours.

    The limits are read from the responsibility list now and spelled out in a CASE (a handful of
    distinct values), so no join is needed and a case without a category is judged too.
    """
    by_hours: dict[int, list[int]] = defaultdict(list)
    for pk, hours in Category.objects.order_by("pk").values_list("pk", "respond_hours"):
        if hours != UNCATEGORIZED_RESPOND_HOURS:  # the default covers them
            by_hours[hours].append(pk)
    window = models.Case(
        *(models.When(category_id__in=pks, then=Value(dt.timedelta(hours=h))) for h, pks in sorted(by_hours.items())),
        default=Value(dt.timedelta(hours=UNCATEGORIZED_RESPOND_HOURS)),
        output_field=DurationField(),
    )
    return ExpressionWrapper(F("created_at") + window, output_field=DateTimeField())


VALID = ~Q(invalid_state=InvalidState.APPROVED)
SATISFACTION_FIELDS = {
    "very_satisfied": Satisfaction.VERY_SATISFIED,
    "satisfied": Satisfaction.SATISFIED,
    "basically": Satisfaction.BASICALLY,
    "dissatisfied": Satisfaction.DISSATISFIED,
    "very_dissatisfied": Satisfaction.VERY_DISSATISFIED,
}


def in_time() -> Q:
    return Q(responded_at__lte=respond_limit())


@dataclass(frozen=True)
class Measure:
    """One figure a person can click: its label and the cases behind it."""

    key: str
    label: str
    condition: Q


# Every clickable figure, in the order pages show them: key → label.
LABELS = {
    "reported": "受理",
    "invalid": "认定无效",
    "counted": "计入考评",
    "responded": "按时响应",
    "late": "未按时响应",
    "answered": "有解决情况答复",
    "solved": "已解决",
    "unsolved": "未解决",
    "rated": "有满意度评价",
    **{field: level.label for field, level in SATISFACTION_FIELDS.items()},
    "by_grid": "网格员代报",
    "claimed": "志愿者认领",
    "claimed_resolved": "志愿者办结",
}


def measures() -> dict[str, Measure]:
    """Every clickable figure with the condition its cases meet (reads the response limits now)."""
    on_time = in_time()
    volunteer = Q(claimed_by__isnull=False)
    conditions = {
        "reported": Q(),
        "invalid": ~VALID,
        "counted": VALID,
        "responded": VALID & on_time,
        "late": VALID & ~on_time,
        "answered": VALID & Q(solved__isnull=False),
        "solved": VALID & Q(solved=True),
        "unsolved": VALID & Q(solved=False),
        "rated": VALID & ~Q(satisfaction=""),
        **{field: VALID & Q(satisfaction=level) for field, level in SATISFACTION_FIELDS.items()},
        "by_grid": VALID & Q(channel=Channel.GRID),
        "claimed": VALID & volunteer,
        "claimed_resolved": VALID & volunteer & Q(resolved_at__isnull=False),
    }
    return {key: Measure(key, label, conditions[key]) for key, label in LABELS.items()}


# The stored counts (dashboard.models.Tally) and the measure each one counts.
TALLIED = (
    "reported",
    "invalid",
    "responded",
    "answered",
    "solved",
    *SATISFACTION_FIELDS,
    "by_grid",
    "claimed",
    "claimed_resolved",
)


PREFIX = "n_"  # annotation names may not equal field names (Case.solved, Tally.reported…)


def count_expressions() -> dict[str, Count]:
    """Count() annotations for a GROUP BY over cases, one per stored count, named n_<count>."""
    every = measures()
    return {PREFIX + name: Count("id", filter=every[name].condition or None) for name in TALLIED}


def unprefixed(row: dict) -> dict:
    """The counts of a row annotated with count_expressions() (or sums named alike), by their own names."""
    return {name: row[PREFIX + name] or 0 for name in TALLIED}


# ---- where a case is: its community and street, the nearest ones at or above its region -------

# A case's region is a compound or a building (sometimes a community or a street): its community is
# at most two levels up and its street at most three.
_UP = ("region", "region__parent", "region__parent__parent", "region__parent__parent__parent")


def _nearest(kind: str, depth: int) -> models.Case:
    return models.Case(
        *(models.When(**{f"{path}__kind": kind}, then=F(f"{path}_id")) for path in _UP[:depth]),
        default=None,
        output_field=models.BigIntegerField(),
    )


def community_of_case() -> models.Case:
    return _nearest("community", 3)


def street_of_case() -> models.Case:
    return _nearest("street", 4)
