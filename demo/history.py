"""Six months of the demo district's case history (演示数据), so the yardstick, the cockpit and the
monthly reports have something to show on a fresh install.

The history goes in the way a real district's would: as rows through the importer of
`manage.py import_cases` (closed cases, channel 旧系统导入, described as 演示数据). Units
differ in how well they respond, solve and satisfy, so rankings and trends mean something.
Seeded, so every load gives the same figures; loaded once (a second call adds nothing).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cases.choices import Channel, Level
from cases.models import Case, Category
from grid.models import Region, Unit

DESCRIPTION = "历史诉求（演示数据）"
MONTHS = 6
PER_DAY = (6, 16)
# What residents of the demo district report most, and how often (category code: weight).
CATEGORY_WEIGHTS = {
    "C11": 14, "C09": 10, "C13": 9, "C12": 8, "C07": 8, "C21": 7, "C15": 6, "C16": 5, "C03": 5, "C01": 5,
    "C19": 4, "C08": 4, "C28": 4, "C37": 6, "C24": 3, "C38": 3, "C14": 2, "C17": 2, "C22": 2, "C39": 2,
}  # fmt: skip


def _unit_for(category: Category, compound: Region, communities: dict, properties: dict) -> Unit:
    if category.default_level == Level.DEPARTMENT:
        return category.default_unit
    if category.default_level == Level.PROPERTY and compound.pk in properties:
        return properties[compound.pk]
    return communities.get(compound.parent_id) or category.default_unit


def history_rows(today: dt.date, seed: int = 2026) -> list[tuple[int, dict[str, str]]]:
    """The demo history as importer rows: from the first day MONTHS months back until yesterday."""
    rng = random.Random(seed)  # noqa: S311 — demo figures, repeatable on purpose
    categories = {c.code: c for c in Category.objects.filter(code__in=CATEGORY_WEIGHTS).select_related("default_unit")}
    codes = [c for c in CATEGORY_WEIGHTS if c in categories]
    weights = [CATEGORY_WEIGHTS[c] for c in codes]
    compounds = list(Region.objects.filter(is_demo=True, kind=Region.Kind.COMPOUND).exclude(code=None).order_by("code"))
    communities = {u.region_id: u for u in Unit.objects.filter(is_demo=True, kind=Unit.Kind.COMMUNITY)}
    properties = {
        r.pk: u for u in Unit.objects.filter(is_demo=True, kind=Unit.Kind.PROPERTY) for r in u.compounds.all()
    }
    quality: dict[str, float] = {}
    first = today.replace(day=1)
    for _ in range(MONTHS):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    rows, line, day, now = [], 2, first, timezone.now()
    while day < today:
        for seq in range(rng.randint(*PER_DAY)):
            category = categories[rng.choices(codes, weights)[0]]
            compound = rng.choice(compounds)
            unit = _unit_for(category, compound, communities, properties)
            q = quality.setdefault(unit.code, rng.uniform(0.6, 0.97))
            reported = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59))))
            limit = category.respond_hours
            roll = rng.random()
            hours = None if roll > 0.97 else limit * (rng.uniform(0.05, 0.9) if roll < q else rng.uniform(1.1, 3))
            contact = reported + dt.timedelta(hours=hours) if hours is not None else None
            if contact is not None and contact > now:
                contact = None  # not yet
            resolved = reported + dt.timedelta(days=rng.uniform(0.2, 1.4 * category.resolve_workdays))
            answered = resolved.date() < today - dt.timedelta(days=2) and rng.random() < 0.8
            solved = rng.random() < q
            if solved:
                satisfaction = rng.choices(["非常满意", "满意", "基本满意"], [q, 1, 1.5 * (1 - q) + 0.1])[0]
            else:
                satisfaction = rng.choices(["基本满意", "不满意", "非常不满意"], [1, 2, 1])[0]
            rows.append(
                (
                    line,
                    {
                        "number": f"LS{day:%y%m%d}{seq + 1:03d}",
                        "category": category.code,
                        "unit": unit.code,
                        "region": compound.code,
                        "reported_at": f"{timezone.localtime(reported):%Y-%m-%d %H:%M}",
                        "first_contact_at": f"{timezone.localtime(contact):%Y-%m-%d %H:%M:%S}" if contact else "",
                        "resolved_at": f"{timezone.localtime(resolved):%Y-%m-%d %H:%M}"
                        if resolved.date() < today
                        else "",
                        "solved": ("是" if solved else "否") if answered else "",
                        "satisfaction": satisfaction if answered and rng.random() < 0.95 else "",
                        "invalid": "是" if rng.random() < 0.02 else "否",
                    },
                )
            )
            line += 1
        day += dt.timedelta(days=1)
    return rows


@transaction.atomic
def load_demo_history(today: dt.date | None = None) -> int:
    """Import the history once; a share of it was reported by 邻长 and claimed by volunteers."""
    from dashboard.importer import import_rows
    from dashboard.rollup import rebuild

    if Case.objects.filter(channel=Channel.IMPORT, description=DESCRIPTION).exists():
        return 0
    outcome = import_rows(history_rows(today or timezone.localdate()), commit=True, description=DESCRIPTION)
    if outcome.problems:  # the generator and the importer disagree: a bug, say it loudly
        raise RuntimeError("; ".join(str(p) for p in outcome.problems[:5]))
    history = Case.objects.filter(channel=Channel.IMPORT, description=DESCRIPTION)
    neighbour = User.objects.filter(username="neighbor_head").first()
    volunteer = User.objects.filter(username="volunteer").first()
    if neighbour is not None:
        picked = [pk for pk in history.values_list("pk", flat=True) if pk % 9 == 0]
        Case.objects.filter(pk__in=picked).update(channel=Channel.GRID, entered_by=neighbour)
    if volunteer is not None:
        history.filter(category__code="C37").update(claimed_by=volunteer)
    rebuild()
    return outcome.created
