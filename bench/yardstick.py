"""Yardstick benchmark: 10,000,000 cases loaded with COPY, then a month's yardstick for all units and the
cockpit, each from the rollup and from a plain GROUP BY over the case rows, in the same run.

Needs PostgreSQL (DATABASE_URL=postgres://…/anything): it creates its own database beside the
given one (--database, dropped at the end unless --keep; --reuse measures a kept one again).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dash .venv/bin/python bench/yardstick.py [--cases 10000000]

The cases span two years before today: 10 streets × 8 communities × 8 compounds, the 40 categories
of the responsibility list with their units, answers and satisfaction, about 2 % still open. The
load drops the table's indexes and constraints, COPYs in chunks and builds them again (as a bulk
migration would); then the rollup is built from the rows, and timings are taken warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHUNK = 500_000
STREETS, COMMUNITIES, COMPOUNDS = 10, 8, 8
COLUMNS = [
    "number", "kind", "description", "level", "status", "channel", "address", "reporter_name", "reporter_phone",
    "created_at", "responded_at", "resolved_at", "closed_at", "rated_at", "respond_overdue", "resolve_overdue",
    "escalation", "solved", "satisfaction", "rating_comment", "claimed_by_id", "region_id", "unit_id", "category_id",
    "invalid_reason", "invalid_state",
]  # fmt: skip


def database_url(base: str, name: str) -> str:
    return urlunparse(urlparse(base)._replace(path=f"/{name}"))


def say(message: str) -> None:
    print(message, flush=True)


def timed(label: str, fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    say(f"  {label}: {time.perf_counter() - started:.1f} s")
    return result


# ---- the district and its cases ------------------------------------------------------------------


def make_grid() -> dict:
    """Streets, communities and compounds with outlines; a community unit per community; 20 property companies."""
    from grid.geo import rectangle
    from grid.models import Region, Unit

    district = Region.objects.create(name="基准区", kind="district", code="B")
    compounds, community_unit, property_unit = [], {}, {}
    properties = [Unit.objects.create(code=f"BW{i:02d}", name=f"基准物业{i:02d}", kind="物业") for i in range(20)]
    for s in range(STREETS):
        street = Region.objects.create(name=f"基准街道{s}", kind="street", parent=district, code=f"B{s}",
                                       boundary=rectangle(113 + 0.05 * s, 29.2, 0.024, 0.024))  # fmt: skip
        for c in range(COMMUNITIES):
            lng, lat = 113 + 0.05 * s, 29.2 - 0.024 + 0.006 * c + 0.003
            community = Region.objects.create(name=f"基准社区{s}-{c}", kind="community", parent=street,
                                              code=f"B{s}{c}", boundary=rectangle(lng, lat, 0.024, 0.003))  # fmt: skip
            unit = Unit.objects.create(code=f"BS{s}{c}", name=f"基准社区{s}-{c}居委会", kind="社区", region=community)
            for p in range(COMPOUNDS):
                x = lng - 0.021 + 0.006 * p
                compound = Region.objects.create(
                    name=f"基准小区{s}-{c}-{p}", kind="compound", parent=community, code=f"B{s}{c}{p}",
                    latitude=lat, longitude=x, boundary=rectangle(x, lat, 0.0025, 0.0025),
                )  # fmt: skip
                compounds.append(compound.pk)
                community_unit[compound.pk] = unit.pk
                if p % 2 == 0:
                    property_unit[compound.pk] = properties[(s * COMMUNITIES + c) % 20].pk
    return {"compounds": compounds, "community_unit": community_unit, "property_unit": property_unit}


def load_cases(url: str, n: int, grid: dict, volunteer_id: int) -> None:
    """n cases over the two years before today, COPYed in chunks of CHUNK rows."""
    import numpy as np
    import psycopg

    from cases.models import Category

    rng = np.random.default_rng(14)
    cats = list(Category.objects.order_by("pk").values("pk", "code", "default_level", "default_unit_id",
                                                        "respond_hours", "resolve_workdays"))  # fmt: skip
    weights = np.array([3.0 if c["code"] in ("C11", "C09", "C13", "C12", "C07", "C21") else 1.0 for c in cats])
    weights /= weights.sum()
    cat_pk = np.array([c["pk"] for c in cats])
    cat_level = np.array([c["default_level"] for c in cats])
    cat_unit = np.array([c["default_unit_id"] for c in cats])
    cat_hours = np.array([c["respond_hours"] for c in cats], dtype=float)
    cat_days = np.array([c["resolve_workdays"] for c in cats], dtype=float)
    c37 = next(i for i, c in enumerate(cats) if c["code"] == "C37")
    compounds = np.array(grid["compounds"])
    comm_unit = np.array([grid["community_unit"][c] for c in grid["compounds"]])
    prop_unit = np.array([grid["property_unit"].get(c, grid["community_unit"][c]) for c in grid["compounds"]])

    now = time.time()
    span = 730 * 86400.0
    created = np.sort(now - span + rng.random(n) * (span - 60))
    open_status = np.array(["new", "dispatched", "accepted", "claimed", "revisit", "returned"])
    closed_status = np.array(["closed", "rejected", "merged", "resolved"])
    channels = np.array(["web", "phone", "grid", "api", "open311"])
    levels = np.array(["非常满意", "满意", "基本满意", "不满意", "非常不满意"])

    def stamp(seconds, mask=None) -> np.ndarray:
        text = np.datetime_as_string((seconds * 1e6).astype("datetime64[us]"), unit="us", timezone="UTC")
        return text if mask is None else np.where(mask, text, r"\N")

    with psycopg.connect(url) as conn:
        conn.execute("ALTER TABLE cases_case DISABLE TRIGGER ALL")  # FK checks: the rows are consistent by construction
        with conn.cursor().copy(f"COPY cases_case ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for start in range(0, n, CHUNK):
                t = created[start : start + CHUNK]
                m = len(t)
                k = rng.choice(len(cats), size=m, p=weights)
                where = rng.integers(0, len(compounds), size=m)
                level = cat_level[k]
                unit = np.where(
                    level == "部门", cat_unit[k], np.where(level == "物业", prop_unit[where], comm_unit[where])
                )
                age = (now - t) / 86400
                is_open = rng.random(m) < np.where(age < 30, 0.85 * (1 - age / 30) + 0.05, 0)
                status = np.where(is_open, rng.choice(open_status, m, p=[.1, .3, .45, .05, .05, .05]),
                                  rng.choice(closed_status, m, p=[.93, .02, .02, .03]))  # fmt: skip
                contacted = ~np.isin(status, ["new", "returned", "rejected", "merged"]) & (rng.random(m) < 0.98)
                late = rng.random(m) < 0.08
                delay = cat_hours[k] * 3600 * np.where(late, rng.uniform(1.1, 4, m), rng.uniform(0.05, 0.95, m))
                responded = np.minimum(t + delay, now)
                done = np.isin(status, ["closed", "resolved"])
                resolved = np.minimum(t + cat_days[k] * 86400 * rng.uniform(0.1, 1.5, m), now)
                answered = (status == "closed") & (rng.random(m) < 0.78)
                solved = rng.random(m) < 0.86
                rated = answered & (rng.random(m) < 0.93)
                happy = rng.choice(levels[:3], m, p=[0.35, 0.45, 0.2])
                unhappy = rng.choice(levels[2:], m, p=[0.3, 0.45, 0.25])
                rated_at = np.minimum(resolved + 86400, now)
                overdue = is_open & (rng.random(m) < 0.1)
                escalation = np.where(overdue & (rng.random(m) < 0.2), 2, np.where(overdue, 1, 0))
                invalid = rng.choice(["", "approved", "proposed", "rejected"], m, p=[0.98, 0.015, 0.003, 0.002])
                claimed = (k == c37) & (rng.random(m) < 0.7) & contacted
                null = np.full(m, r"\N")
                columns = [
                    np.char.add("B", np.char.zfill((np.arange(start, start + m) + 1).astype(str), 9)),
                    np.full(m, "request"), np.full(m, "基准测试诉求"), level, status,
                    rng.choice(channels, m, p=[.55, .25, .12, .05, .03]), np.full(m, ""), np.full(m, ""), np.full(m, ""),
                    stamp(t), stamp(responded, contacted), stamp(resolved, done), stamp(rated_at, status == "closed"),
                    stamp(rated_at, answered),
                    np.where(overdue & ~contacted, "t", "f"), np.where(overdue & contacted, "t", "f"), escalation.astype(str),
                    np.where(answered, np.where(solved, "t", "f"), r"\N"),
                    np.where(rated, np.where(solved, happy, unhappy), ""), np.full(m, ""),
                    np.where(claimed, str(volunteer_id), null), compounds[where].astype(str), unit.astype(str),
                    cat_pk[k].astype(str), np.where(invalid == "approved", "基准：认定无效", ""), invalid,
                ]  # fmt: skip
                copy.write("\n".join(map("\t".join, zip(*(c.tolist() for c in columns), strict=True))) + "\n")
                say(f"  … {start + m:,} cases")
        conn.execute("ALTER TABLE cases_case ENABLE TRIGGER ALL")


def drop_indexes(conn) -> list[str]:
    """Drop the case table's indexes and unique constraints (not the primary key); return how to rebuild them."""
    rebuild = []
    for name, definition in conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'cases_case'::regclass AND contype = 'u'"
    ).fetchall():
        conn.execute(f'ALTER TABLE cases_case DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE cases_case ADD CONSTRAINT "{name}" {definition}')
    for name, definition in conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case' AND indexname <> 'cases_case_pkey'"
    ).fetchall():
        conn.execute(f'DROP INDEX "{name}"')
        rebuild.append(definition)
    return rebuild


# ---- measuring ---------------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def report(label: str, samples: list[float]) -> float:
    p50, p95 = percentiles(samples)
    say(f"  {label}: p50 {1000 * p50:.0f} ms, p95 {1000 * p95:.0f} ms ({len(samples)} runs)")
    return p95


def months_back(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    from dashboard.reports import month_end, previous_month

    month, out = today.replace(day=1), []
    for _ in range(count):
        month = previous_month(month)
        out.append((month, month_end(month)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--database", default="minsheng_yardstick")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again without loading")
    parser.add_argument("--runs", type=int, default=5, help="rollup runs per month (12 months)")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("bench/yardstick.py needs DATABASE_URL=postgres://…")
    url = database_url(base, args.database)
    import psycopg

    if not args.reuse:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    try:
        run(url, args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def run(url: str, args) -> None:
    import psycopg
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from cases.models import Case
    from dashboard import cockpit, figures
    from dashboard.rollup import rebuild, refresh
    from grid.models import Person, Role

    if not args.reuse:
        say(f"loading {args.cases:,} cases into {args.database}")
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0)
        grid = make_grid()
        volunteer = User.objects.create_user("bench-volunteer")
        leader = User.objects.create_user("bench-leader")
        Role.objects.create(
            person=Person.objects.create(user=leader, name="基准区领导"), kind=Role.Kind.DISTRICT_LEADER
        )
        with psycopg.connect(url, autocommit=True) as conn:
            rebuild_sql = drop_indexes(conn)
        started = time.perf_counter()
        timed("COPY", load_cases, url, args.cases, grid, volunteer.pk)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '256MB'")
            timed("indexes and constraints rebuilt", lambda: [conn.execute(sql) for sql in rebuild_sql])
            conn.execute("SELECT setval('cases_case_id_seq', (SELECT max(id) FROM cases_case))")
            timed("VACUUM ANALYZE", conn.execute, "VACUUM ANALYZE cases_case")
        say(f"  load total: {time.perf_counter() - started:.0f} s")
        timed("rollup built from the rows (rebuild)", rebuild)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE dashboard_daytally")
            conn.execute("VACUUM ANALYZE dashboard_monthtally")
    leader = User.objects.get(username="bench-leader")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM dashboard_daytally),"
            " (SELECT count(*) FROM dashboard_monthtally), pg_size_pretty(pg_total_relation_size('cases_case')),"
            " pg_size_pretty(pg_total_relation_size('dashboard_daytally') + pg_total_relation_size('dashboard_monthtally'))"
        )
        cases, days, months, case_size, tally_size = cursor.fetchone()
    say(f"cases {cases:,} ({case_size}); tallies: {days:,} day rows, {months:,} month rows ({tally_size})")

    today = timezone.localdate()
    months = months_back(today, 12)
    say("a month's yardstick for all units (the last 12 whole months, warm):")
    figures.table(*months[0])  # warm-up
    rolled = []
    for first, last in months:
        rolled += measure(lambda f=first, la=last: figures.table(f, la, "unit"), args.runs)
    rollup_p95 = report("from the rollup (figures.table)", rolled)
    mid = (months[0][0].replace(day=15), (months[0][0] + dt.timedelta(days=45)).replace(day=14))
    report("from the rollup, a period across two months (edge days)", measure(lambda: figures.table(*mid, "unit"), 12))
    figures.raw_table(*months[0])  # warm-up
    raw = []
    for first, last in months:
        raw += measure(lambda f=first, la=last: figures.raw_table(f, la, "unit"), 1)
    raw_p95 = report("plain GROUP BY over the case rows (figures.raw_table)", raw)
    say(f"  ratio: the rollup's p95 is {raw_p95 / rollup_p95:.0f}× faster (target: p95 ≤ 1 s)")
    same = all(
        {r.key: r.counts for r in figures.table(f, la).rows} == {r.key: r.counts for r in figures.raw_table(f, la).rows}
        for f, la in months[:2]
    )
    say(
        f"  rollup equals the raw GROUP BY for {months[1][0]:%Y-%m} and {months[0][0]:%Y-%m}: {'yes' if same else 'NO'}"
    )

    client = Client()
    client.force_login(leader)
    say("over HTTP in-process (Django test client, leader signed in):")
    first, last = months[0]
    busiest = max((r for r in figures.table(first, last).rows if r.key), key=lambda r: r.counts.counted)
    for label, path in (
        (
            f"drill-down page: {busiest.label}'s {busiest.counts.late:,} cases not contacted in time last month",
            f"/dashboard/cases/?from={first}&to={last}&unit={busiest.key}&measure=late",
        ),
        ("yardstick API, last month by unit", f"/api/dashboard/yardstick?from={first}&to={last}"),
        ("yardstick page, last month by unit (with its 12-month trend)", f"/dashboard/?from={first}&to={last}"),
        ("cockpit page", "/dashboard/cockpit/"),
        ("cockpit data (/api/dashboard/cockpit)", "/api/dashboard/cockpit"),
        ("grid shapes (/api/dashboard/grid)", "/api/dashboard/grid"),
    ):
        assert client.get(path).status_code == 200, path
        report(label, measure(lambda p=path: client.get(p), 12))

    say("the cockpit's figures (cockpit.snapshot):")
    cockpit.snapshot()
    cockpit_p95 = report("from the rollup and the live indexes", measure(cockpit.snapshot, 12))
    report("  of which the live figures (today, open, overdue, map)", measure(lambda: cockpit._live(today), 12))
    report("  the 30 days computed afresh (once per worker round)", measure(lambda: cockpit.window(today), 12))
    raw_cockpit = report(
        "with a plain GROUP BY over the case rows instead", measure(lambda: cockpit.snapshot(raw=True), 3)
    )
    say(f"  ratio: {raw_cockpit / cockpit_p95:.0f}× (target: cockpit page ≤ 300 ms)")

    say("keeping the rollup up to date (a worker round):")
    refresh()
    report("a round with nothing new", measure(refresh, 5))
    recent = list(
        Case.objects.filter(created_at__gte=timezone.now() - dt.timedelta(days=60), status="resolved").values_list(
            "pk", flat=True
        )[:1000]
    )
    from cases.choices import Action
    from cases.models import CaseEvent

    Case.objects.filter(pk__in=recent).update(
        status="closed", solved=True, satisfaction="满意", rated_at=timezone.now()
    )
    CaseEvent.objects.bulk_create([CaseEvent(case_id=pk, actor_label="居民", action=Action.RATE) for pk in recent])
    started = time.perf_counter()
    days = refresh()["rollup_days"]
    say(f"  a round after {len(recent):,} ratings of cases from the last 60 days: {days} days recounted in "
        f"{time.perf_counter() - started:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
