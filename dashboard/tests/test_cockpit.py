"""驾驶舱 figures against a small district laid out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dashboard.cockpit import snapshot
from dashboard.rollup import midnight, rebuild, refresh
from dashboard.tests.conftest import H, lay_case
from grid.models import Region, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(grid, people):
    """Five cases reported today (three channels; two overdue, one escalated; one claimed) and one from yesterday."""
    now = max(timezone.now() - dt.timedelta(minutes=1), midnight(timezone.localdate()))
    building = Region.objects.create(name="3栋", kind="building", parent=grid.compound_a)
    lay_case(now, region=building, status="dispatched")
    lay_case(
        now,
        category="C09",
        unit="U08",
        region=grid.compound_a2,
        status="dispatched",
        channel="phone",
        respond_overdue=True,
    )
    lay_case(
        now, category="C09", unit="U08", region=grid.compound_b, status="accepted", channel="grid",
        resolve_overdue=True, escalation=2,
    )  # fmt: skip
    lay_case(now, category=None, unit=None, status="new")
    lay_case(
        now,
        category="C37",
        unit=grid.community_a.code,
        status="claimed",
        claimed_by=people["volunteer"],
        responded_after=H / 2,
    )
    lay_case(now - dt.timedelta(days=1), responded_after=H, solved=True, satisfaction="满意", status="closed")
    refresh()
    return grid


def test_live_figures_count_todays_intake_open_overdue_and_supervision(today):
    live = snapshot()["live"]
    assert live["intake_today"] == 5
    assert {c["channel"]: c["count"] for c in live["intake_by_channel"]}.get("grid") == 1
    assert (live["open"], live["overdue"], live["supervised"], live["escalated"]) == (5, 2, 2, 1)


def test_the_map_counts_open_and_overdue_cases_per_compound_and_community(today):
    places = {p["id"]: (p["open"], p["overdue"]) for p in snapshot()["live"]["places"]}
    a1, a2, b1 = today.compound_a, today.compound_a2, today.compound_b
    assert places[a1.pk] == (1, 0)  # reported at a building of the compound
    assert places[a2.pk] == (1, 1)
    assert places[a1.parent_id] == (2, 1)
    assert places[b1.pk] == (1, 1) and places[b1.parent_id] == (1, 1)
    assert len(places) == 5  # the case without a place is on no map


def test_ranking_hotspots_and_neighbour_activity_cover_the_last_thirty_days(today):
    data = snapshot()
    # U06: one case contacted in time and solved (满意), one not contacted yet: 0.1×50% + 0.5×100% + 0.4×100%
    assert [(r["code"], r["rank"], r["composite"]) for r in data["ranking"]] == [("U06", 1, 95.0)]
    assert data["ranked"] == 1
    hot = {h["code"]: h["count"] for h in data["hotspots"]}
    assert hot == {"C13": 2, "C09": 2, "C37": 1}  # the uncategorised case is no hotspot
    assert data["neighbours"] == {"reported": 1, "claimed": 1, "resolved": 0, "resolved_year": 0}
    assert len(data["intake_daily"]) == 30 and sum(d["count"] for d in data["intake_daily"]) == 6
    assert data["totals"]["counted"] == 6


def test_livelihood_projects_and_guidance_come_from_their_own_apps(today, test_catalog):
    from dashboard.cockpit import _search_model
    from guide.models import ServiceTally, Situation
    from projects.models import Project

    unit = Unit.objects.get(code="U08")
    Project.objects.create(name="口袋公园", category="pocket_park", unit=unit, status="building", progress=40)
    Project.objects.create(name="路灯", category="street_light", unit=unit, status="in_use", progress=100)
    situation = Situation.objects.first()
    local_today = timezone.localdate()
    ServiceTally.objects.create(day=local_today, situation=situation, count=3)
    ServiceTally.objects.create(day=local_today - dt.timedelta(days=40), situation=situation, count=9)
    search_log = _search_model()  # guide's now; a search app's later
    for query in ("社保卡", "身份证"):
        search_log.objects.create(query=query, normalized=query, result_count=1)
    data = snapshot()
    projects = data["projects"]
    assert projects["total"] == 2 and projects["average_progress"] == 70.0
    assert {s["status"]: s["count"] for s in projects["by_status"]} == {
        "planning": 0,
        "building": 1,
        "completed": 0,
        "in_use": 1,
    }
    guide = data["guide"]
    assert (guide["guided_today"], guide["guided_month"], guide["searches_today"]) == (3, 3, 2)
    assert guide["daily"][-1] == 3 and sum(guide["daily"]) == 3


def test_the_demo_flag_shows_when_demo_units_exist(today):
    assert snapshot()["has_demo"] is False
    Unit.objects.filter(code=today.community_a.code).update(is_demo=True)
    assert snapshot()["has_demo"] is True


def test_the_cockpit_from_the_rollup_equals_the_cockpit_from_the_case_rows(today, history):
    now = timezone.now()
    rolled, raw = snapshot(now), snapshot(now, raw=True)
    for key in ("totals", "ranking", "ranked", "hotspots", "intake_daily", "neighbours", "live"):
        assert rolled[key] == raw[key], key
    assert rolled["ranked"] >= 3


@pytest.fixture
def history(grid):
    """Forty days of answered cases before today, in three units."""
    now = timezone.now()
    for days in range(1, 40):
        for unit, category in (("U06", "C13"), ("U08", "C09"), ("U24", "C16")):
            lay_case(now - dt.timedelta(days=days, hours=days % 5), category=category, unit=unit, region=grid.compound_b,
                     responded_after=(days % 7) * H, solved=days % 3 > 0, satisfaction=["满意", "基本满意", "不满意"][days % 3],
                     channel="grid" if days % 4 == 0 else "web")  # fmt: skip
    rebuild()  # laid straight into the table: no events for a refresh to find


def test_the_thirty_days_are_computed_once_per_refresh_and_follow_it(today, people):
    from cases import actions
    from cases.models import Case
    from dashboard.models import Snapshot

    first = snapshot()
    assert Snapshot.objects.get(name="cockpit").data["totals"] == first["totals"]
    claimed = Case.objects.get(status="claimed")
    actions.resolve(claimed, people["volunteer"], text="已帮忙办好")
    assert snapshot()["neighbours"]["resolved"] == 0  # as of the last refresh
    refresh()
    assert snapshot()["neighbours"]["resolved"] == 1


def test_the_open_cases_index_covers_exactly_the_open_statuses():
    import importlib

    from cases.choices import OPEN_STATUSES

    migration = importlib.import_module("dashboard.migrations.0002_open_cases_index")
    assert set(migration.OPEN_STATUSES) == set(OPEN_STATUSES)
