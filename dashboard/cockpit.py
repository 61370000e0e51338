"""驾驶舱: what the district's screen and a leader's phone show, in one JSON document.

Live figures (today's intake, open and overdue cases, 督办) are counted from the cases
through their indexes (created_at, status); this month's rankings, hotspots and 邻长
activity come from the rollup; 民生实事 and 办事e点通 from their own small tables.
The grid map's shapes are served apart (grid_geojson) because they rarely change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Sum
from django.utils import timezone

from cases.choices import OPEN_STATUSES, Channel
from cases.models import Case
from dashboard.figures import Counts, Row, Scope, build, day_groups, fold, raw_counts, tally_counts
from dashboard.models import RollupState, Snapshot, Yardstick
from dashboard.rollup import midnight
from grid.geo import bounds
from grid.models import Region, Unit

RANKING_SIZE = 12
HOTSPOTS = 10
DAYS = 30


def _rates(row: Row) -> dict:
    return row.rates.percent()


def _live(today: dt.date) -> dict:
    intake = dict(
        Case.objects.filter(created_at__gte=midnight(today)).order_by().values_list("channel").annotate(n=Count("id"))
    )
    open_rows = (  # an index-only scan of dashboard_open_cases (see the dashboard migration that makes it)
        Case.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("region_id", "respond_overdue", "resolve_overdue", "escalation")
        .annotate(n=Count("*"))
    )
    totals = {"open": 0, "overdue": 0, "supervised": 0, "escalated": 0}
    by_region: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for region_id, late_response, late_resolution, escalation, n in open_rows:
        overdue = late_response or late_resolution
        totals["open"] += n
        totals["overdue"] += n if overdue else 0
        totals["supervised"] += n if overdue or escalation else 0  # a 督办 is opened on every overdue case
        totals["escalated"] += n if escalation >= 2 else 0
        by_region[region_id][0] += n
        by_region[region_id][1] += n if overdue else 0
    return {
        "intake_today": sum(intake.values()),
        "intake_by_channel": [
            {"channel": c.value, "label": c.label, "count": intake[c.value]} for c in Channel if intake.get(c.value)
        ],
        **totals,
        "places": _places(by_region),
    }


def _places(by_region: dict) -> list[dict]:
    """Open and overdue cases per compound and per community (a building's count goes to its compound)."""
    regions = {pk: (parent, kind) for pk, parent, kind in Region.objects.values_list("pk", "parent_id", "kind")}

    def up(pk: int | None, kind: str) -> int | None:
        while pk is not None:
            parent, k = regions.get(pk, (None, None))
            if k == kind:
                return pk
            pk = parent
        return None

    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for region_id, (n_open, n_overdue) in by_region.items():
        for kind in (Region.Kind.COMPOUND, Region.Kind.COMMUNITY):
            place = up(region_id, kind)
            if place is not None:
                counts[place][0] += n_open
                counts[place][1] += n_overdue
    return [{"id": pk, "open": o, "overdue": d} for pk, (o, d) in sorted(counts.items())]


def _projects() -> dict | None:
    if not apps.is_installed("projects"):
        return None
    from projects.choices import Status
    from projects.models import Project

    by_status = dict(Project.objects.order_by().values_list("status").annotate(n=Count("id")))
    progress = Project.objects.aggregate(avg=Avg("progress"))["avg"]
    return {
        "total": sum(by_status.values()),
        "by_status": [{"status": s.value, "label": s.label, "count": by_status.get(s.value, 0)} for s in Status],
        "average_progress": round(progress or 0, 1),
    }


def _search_model():
    """Search logs are moving from guide to a search app: whichever has them (or neither)."""
    for app_label in ("search", "guide"):
        try:
            return apps.get_model(app_label, "SearchLog")
        except LookupError:
            continue
    return None


def _guide(today: dt.date) -> dict:
    from guide.models import ServiceTally

    since = today - dt.timedelta(days=DAYS - 1)
    daily = dict(ServiceTally.objects.filter(day__gte=since).order_by().values_list("day").annotate(n=Sum("count")))
    month = ServiceTally.objects.filter(day__gte=today.replace(day=1)).aggregate(n=Sum("count"))["n"] or 0
    out = {
        "guided_today": daily.get(today, 0),
        "guided_month": month,
        "daily": [daily.get(since + dt.timedelta(days=i), 0) for i in range(DAYS)],
        "searches_today": None,
    }
    model = _search_model()
    if model is not None:
        try:
            out["searches_today"] = model.objects.filter(created__gte=midnight(today)).count()
        except Exception:  # a schema we do not know: the cockpit goes on without it
            out["searches_today"] = None
    return out


def window(today: dt.date, raw: bool = False) -> dict:
    """The last DAYS days: totals and rates, the unit ranking, hotspots, daily intake, 邻长 activity.

    A calendar month would leave the screen nearly empty in its first days; the yardstick pages go
    by month. One GROUP BY over the day tallies (raw=True: over the case rows, which is what
    bench/yardstick.py compares with).
    """
    days = [today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    stop = today + dt.timedelta(days=1)
    groups = day_groups(days[0], stop, raw=raw)
    total = Counts()
    for counts in groups.values():
        total.add(counts)
    stick, scope = Yardstick.current(), Scope()
    units = build("unit", days[0], today, fold(groups, 1), total, stick, scope)
    categories = build("category", days[0], today, fold(groups, 2), total, stick, scope)
    by_day = {day: counts.reported for day, counts in fold(groups, 0).items()}
    year = (raw_counts if raw else tally_counts)(today.replace(month=1, day=1), stop, None).get(None) or Counts()
    hotspots = sorted((r for r in categories.rows if r.key), key=lambda r: (-r.counts.counted, r.key))[:HOTSPOTS]
    ranked = [r for r in units.rows if r.rank is not None]
    return {
        "since": days[0].isoformat(),
        "totals": {"counted": total.counted, **_rates(units.total)},
        "ranking": [
            {"code": r.key, "label": r.label, "rank": r.rank, "counted": r.counts.counted, **_rates(r)}
            for r in ranked[:RANKING_SIZE]
        ],
        "ranked": len(ranked),
        "hotspots": [{"code": r.key, "label": r.label, "count": r.counts.counted} for r in hotspots],
        "intake_daily": [{"day": d.isoformat(), "count": by_day.get(d, 0)} for d in days],
        "neighbours": {
            "reported": total.by_grid,
            "claimed": total.claimed,
            "resolved": total.claimed_resolved,
            "resolved_year": year.claimed_resolved,
        },
    }


def kept_window(today: dt.date) -> tuple[dict, dt.datetime | None]:
    """window(today), computed once per rollup refresh (the worker does it after each round) and
    kept in a Snapshot; and the time of that refresh."""
    refreshed = RollupState.objects.filter(pk=1).values_list("scanned_until", flat=True).first()
    weights = Yardstick.objects.filter(pk=1).values_list("updated_at", flat=True).first()
    key = f"{today}|{refreshed.isoformat() if refreshed else '-'}|{weights.isoformat() if weights else '-'}"
    kept = Snapshot.objects.filter(name="cockpit").first()
    if kept is not None and kept.key == key:
        return kept.data, refreshed
    data = window(today)
    try:
        with transaction.atomic():
            Snapshot.objects.update_or_create(name="cockpit", defaults={"key": key, "data": data})
    except IntegrityError:  # another request stored the same figures a moment ago
        pass
    return data, refreshed


def snapshot(now: dt.datetime | None = None, raw: bool = False) -> dict:
    """Everything the cockpit shows: the live figures now, the last 30 days as of the last refresh."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if raw:
        recent, refreshed = window(today, raw=True), None
    else:
        recent, refreshed = kept_window(today)
    return {
        "generated_at": now.isoformat(),
        "updated_at": refreshed.isoformat() if refreshed else None,
        "today": today.isoformat(),
        "live": _live(today),
        **recent,
        "projects": _projects(),
        "guide": _guide(today),
        "has_demo": Unit.objects.filter(is_demo=True).exists(),
    }


def grid_geojson() -> dict:
    """Streets, communities and compounds with a boundary, as one FeatureCollection (drawn without any
    tile server). Each feature carries a point for its bubble: the region's own, or its outline's centre."""
    kinds = (Region.Kind.STREET, Region.Kind.COMMUNITY, Region.Kind.COMPOUND)
    regions = Region.objects.filter(kind__in=kinds, boundary__isnull=False).order_by("kind", "pk")
    features = []
    for r in regions:
        if r.longitude is not None and r.latitude is not None:
            center = [r.longitude, r.latitude]
        else:
            west, south, east, north = bounds([r.boundary])
            center = [(west + east) / 2, (south + north) / 2]
        properties = {"name": f"r{r.pk}", "id": r.pk, "label": r.name, "kind": r.kind, "parent": r.parent_id}
        features.append({"type": "Feature", "properties": {**properties, "center": center}, "geometry": r.boundary})
    return {"type": "FeatureCollection", "features": features}
