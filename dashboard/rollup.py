"""The rollup: per-day and per-month counts recomputed from the case rows.

A day's tallies are always recomputed whole from that day's cases (delete, then one
GROUP BY), never patched with deltas, so a recomputed day is right whatever happened
before. What matters is *which* days get recomputed, and when:

- every worker round: the days of the cases whose history got an event since the last
  scan (every change of a case writes one: dispatch, accept, claim, rate, callback,
  无效诉求 decisions…). Events are read by id above the highest one read before; an id
  skipped on the way (its transaction had not committed yet) is looked for again in the
  rounds of the next GAP_WAIT, so a late commit is not missed and no day is recounted twice;
- days marked dirty: imported history, a category whose response limit changed;
- once a night, the last RECONCILE_DAYS days whatever happened (a safety net for
  changes made outside the actions, e.g. by hand in the database);
- `manage.py rollup --rebuild`: everything.

A month's tallies are the sum of its days' and are recomputed with them. Refreshes take
the RollupState row lock, so two workers never recompute the same day at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Case, CaseEvent
from dashboard.definitions import PREFIX, community_of_case, count_expressions, street_of_case
from dashboard.models import DayTally, DirtyDay, MonthTally, RollupState, Tally

GAP_WAIT = dt.timedelta(minutes=10)  # how long a skipped event id is looked for
MAX_GAPS = 10_000
RECONCILE_DAYS = 62  # ratings and callbacks come within weeks of a case; a night's check covers two months
RECONCILE_AFTER = dt.time(3, 0)


def tz():
    return timezone.get_default_timezone()


def midnight(day: dt.date) -> dt.datetime:
    """The start of a local calendar day, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _ranges(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Runs of consecutive days as [start, end) pairs, so a month is one query, not thirty."""
    out: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if out and out[-1][1] == day:
            out[-1][1] = day + dt.timedelta(days=1)
        else:
            out.append([day, day + dt.timedelta(days=1)])
    return [(a, b) for a, b in out]


def day_groups(start: dt.date, end: dt.date) -> QuerySet:
    """The tallies of the days in [start, end) as one GROUP BY over the case rows (counts named n_<count>)."""
    return (
        Case.objects.filter(created_at__gte=midnight(start), created_at__lt=midnight(end))
        .annotate(
            day=TruncDate("created_at", tzinfo=tz()), community_id=community_of_case(), street_id=street_of_case()
        )
        .order_by()
        .values("day", *Tally.KEYS)
        .annotate(**count_expressions())
    )


def _insert_from(model, groups: QuerySet, keys: tuple[str, ...], constants: dict | None = None) -> None:
    """INSERT … SELECT: the grouped rows go into the tally table without a trip through Python."""
    quote = connection.ops.quote_name
    constants = constants or {}
    sql, params = groups.query.sql_with_params()
    columns = [*constants, *keys, *Tally.COUNTS]
    picked = (
        ["%s"] * len(constants) + [f"s.{quote(k)}" for k in keys] + [f"s.{quote(PREFIX + c)}" for c in Tally.COUNTS]
    )
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608 — our own
        f"SELECT {', '.join(picked)} FROM ({sql}) s"  # table and column names; every value is a parameter
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*constants.values(), *params])


def _recount_days(start: dt.date, end: dt.date) -> None:
    DayTally.objects.filter(day__gte=start, day__lt=end).delete()
    _insert_from(DayTally, day_groups(start, end), ("day", *Tally.KEYS))


def _recount_month(month: dt.date) -> None:
    sums = (
        DayTally.objects.filter(day__gte=month, day__lt=next_month(month))
        .order_by()
        .values(*Tally.KEYS)
        .annotate(**{PREFIX + name: Sum(name) for name in Tally.COUNTS})
    )
    MonthTally.objects.filter(month=month).delete()
    _insert_from(MonthTally, sums, Tally.KEYS, {"month": month})


def recount(days: Iterable[dt.date]) -> int:
    """Recompute the tallies of these days and of their months. Call with the refresh lock held."""
    days = set(days)
    for start, end in _ranges(days):
        _recount_days(start, end)
    for month in sorted({month_start(d) for d in days}):
        _recount_month(month)
    return len(days)


def _locked_state() -> RollupState:
    try:
        with transaction.atomic():
            RollupState.objects.get_or_create(pk=1)
    except IntegrityError:  # another worker created it a moment ago
        pass
    return RollupState.objects.select_for_update().get(pk=1)


def _case_days() -> list[dt.date]:
    """Every local day from the first case to the last, month by month (empty days cost nothing)."""
    span = Case.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    first, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def rebuild() -> int:
    """Recompute every tally from the case rows; returns the number of days recomputed."""
    with transaction.atomic():
        return _rebuild_locked(_locked_state(), timezone.now())


def _changed_days(state: RollupState, now: dt.datetime) -> set[dt.date]:
    """The days of the cases with events not read before; moves the state's mark and its gaps on."""
    mark = state.event_mark or 0
    fresh = list(CaseEvent.objects.filter(pk__gt=mark).order_by("pk").values_list("pk", "case__created_at"))
    days = {timezone.localdate(created) for _, created in fresh}
    gaps = {int(pk): noted for pk, noted in (state.event_gaps or {}).items()}
    if fresh:
        top = fresh[-1][0]
        missing = top - mark - len(fresh)
        if 0 < missing <= MAX_GAPS:  # ids taken by transactions still open (or rolled back)
            seen = {pk for pk, _ in fresh}
            gaps.update({pk: now.isoformat() for pk in range(mark + 1, top) if pk not in seen})
        state.event_mark = top
    if gaps:
        for pk, created in CaseEvent.objects.filter(pk__in=list(gaps)).values_list("pk", "case__created_at"):
            days.add(timezone.localdate(created))
            del gaps[pk]
        # Not there after GAP_WAIT: rolled back, or so late that the nightly check will see it.
        gaps = {pk: noted for pk, noted in gaps.items() if dt.datetime.fromisoformat(noted) >= now - GAP_WAIT}
    state.event_gaps = {str(pk): noted for pk, noted in gaps.items()}
    return days


def refresh(now: dt.datetime | None = None) -> dict[str, int]:
    """One incremental refresh (the worker's round): recompute the days that may have changed."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _locked_state()
        if state.scanned_until is None:  # never built: build everything once
            return {"rollup_days": _rebuild_locked(state, now)}
        days = _changed_days(state, now)
        dirty = list(DirtyDay.objects.values_list("pk", "day"))
        days |= {day for _, day in dirty}
        local_now = timezone.localtime(now)
        if state.reconciled_on != local_now.date() and local_now.time() >= RECONCILE_AFTER:
            days |= {local_now.date() - dt.timedelta(days=i) for i in range(RECONCILE_DAYS)}
            state.reconciled_on = local_now.date()
        recount(days)
        DirtyDay.objects.filter(pk__in=[pk for pk, _ in dirty]).delete()
        state.scanned_until = now
        state.save()
    return {"rollup_days": len(days)}


def _rebuild_locked(state: RollupState, now: dt.datetime) -> int:
    state.event_mark = CaseEvent.objects.aggregate(top=Max("pk"))["top"] or 0  # what the rows already show
    state.event_gaps = {}
    DayTally.objects.all().delete()
    MonthTally.objects.all().delete()
    days = _case_days()
    for month in sorted({month_start(d) for d in days}):
        recount(d for d in days if month_start(d) == month)
    DirtyDay.objects.all().delete()
    state.scanned_until = now
    state.reconciled_on = timezone.localdate(now)
    state.save()
    return len(days)


def mark_dirty(days: Iterable[dt.date]) -> None:
    """Have the next refresh recompute these days (after changes that write no case event)."""
    DirtyDay.objects.bulk_create([DirtyDay(day=d) for d in set(days)], ignore_conflicts=True)


def mark_category_dirty(category) -> None:
    mark_dirty(DayTally.objects.filter(category=category).order_by().values_list("day", flat=True).distinct())


def recount_locked(days: Iterable[dt.date]) -> int:
    """Recompute these days now, under the refresh lock (for writers such as the importer)."""
    with transaction.atomic():
        _locked_state()
        return recount(days)
