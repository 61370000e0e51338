"""The rolled-up figures equal a plain GROUP BY over the cases, and stay equal as cases change later."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from cases import actions
from cases.models import Case, Category
from dashboard import figures
from dashboard.figures import DIMENSIONS, NONE, Scope
from dashboard.models import DirtyDay, RollupState
from dashboard.rollup import GAP_WAIT, rebuild, refresh
from dashboard.tests.conftest import lay_case, local
from grid.models import Region

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)


def counts_by_key(table) -> dict:
    return {row.key: row.counts for row in table.rows} | {"合计": table.total.counts}


def assert_rollup_equals_raw(start: dt.date, end: dt.date, by: str = "unit", scope: Scope | None = None) -> None:
    rolled, raw = figures.table(start, end, by, scope), figures.raw_table(start, end, by, scope)
    assert counts_by_key(rolled) == counts_by_key(raw)
    assert [(r.key, r.rank, r.rates) for r in rolled.rows] == [(r.key, r.rank, r.rates) for r in raw.rows]


@pytest.fixture
def history(grid):
    """300 cases over three months with every kind of answer, in every kind of place."""
    rng = random.Random(14)
    building = Region.objects.create(name="2栋", kind="building", parent=grid.compound_a2)
    places = [grid.compound_a, grid.compound_a2, grid.compound_b, building, grid.compound_b.parent, None]
    categories = ["C08", "C09", "C13", "C16", "C37", None]
    units = ["U06", "U08", "U24", grid.community_a.code, None]
    for _ in range(300):
        at = local(2026, 1, 1) + dt.timedelta(minutes=rng.randrange(90 * 24 * 60))
        lay_case(
            at,
            category=rng.choice(categories),
            unit=rng.choice(units),
            region=rng.choice(places),
            responded_after=rng.choice([None, 0.5 * H, 2 * H, 4 * H, 24 * H, 30 * H]),
            solved=rng.choice([None, True, False]),
            satisfaction=rng.choice(["", "非常满意", "满意", "基本满意", "不满意", "非常不满意"]),
            invalid=rng.choice(["", "", "", "proposed", "approved", "rejected"]),
            channel=rng.choice(["web", "grid", "phone"]),
        )
    refresh()
    return grid


@pytest.mark.parametrize("by", list(DIMENSIONS))
def test_rollup_equals_a_plain_group_by_in_every_dimension(history, by):
    assert_rollup_equals_raw(dt.date(2026, 1, 1), dt.date(2026, 3, 31), by)  # whole months
    assert_rollup_equals_raw(dt.date(2026, 1, 17), dt.date(2026, 3, 5), by)  # edge days and a whole month
    assert_rollup_equals_raw(dt.date(2026, 2, 3), dt.date(2026, 2, 20), by)  # days only


def test_rollup_equals_raw_within_a_scope(history):
    community = history.compound_a.parent
    for scope in (
        Scope(unit_id=NONE),
        Scope(community_id=community.pk),
        Scope(category_id=NONE),
        Scope(street_id=community.parent_id),
    ):
        assert_rollup_equals_raw(dt.date(2026, 1, 10), dt.date(2026, 3, 20), "unit", scope)
        assert_rollup_equals_raw(dt.date(2026, 1, 10), dt.date(2026, 3, 20), "category", scope)


def test_a_full_rebuild_gives_the_same_tallies_as_the_first_build(history):
    before = counts_by_key(figures.table(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "community"))
    assert rebuild() >= 89
    assert counts_by_key(figures.table(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "community")) == before


# ---- later changes, through the real actions --------------------------------------------------


def this_month() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today.replace(day=1), today


@pytest.fixture
def resolved(new_case, people):
    """A street-lamp case (C13 → U06) dispatched, accepted and resolved, and the rollup refreshed."""
    case = new_case()
    actions.dispatch(case, people["dispatcher"], level="部门")
    actions.accept(case, people["other_handler"])
    actions.resolve(case, people["other_handler"], text="已修好")
    refresh()
    return Case.objects.get(pk=case.pk)


def test_a_rating_given_later_counts_after_the_next_refresh(resolved, people):
    row = figures.table(*this_month()).row("U06")
    assert (row.counts.counted, row.counts.responded, row.counts.answered) == (1, 1, 0)
    actions.rate(resolved, people["resident"], solved=True, satisfaction="基本满意")
    assert figures.table(*this_month()).row("U06").counts.answered == 0  # not yet: the worker has not run
    refresh()
    row = figures.table(*this_month()).row("U06")
    assert (row.counts.answered, row.counts.solved, row.counts.basically) == (1, 1, 1)
    assert row.rates.satisfaction == pytest.approx(0.6)
    assert_rollup_equals_raw(*this_month())


def test_a_callback_saying_not_solved_counts_as_unsolved(resolved, people):
    actions.rate(resolved, people["resident"], solved=False, satisfaction="不满意")
    refresh()
    row = figures.table(*this_month()).row("U06")
    assert (row.counts.answered, row.counts.solved, row.counts.dissatisfied) == (1, 0, 1)
    assert_rollup_equals_raw(*this_month())


def test_an_approved_invalid_case_leaves_the_yardstick_after_the_next_refresh(resolved, people):
    actions.mark_invalid(resolved, people["dispatcher"], reason="重复反映")
    refresh()
    assert figures.table(*this_month()).row("U06").counts.counted == 1  # proposed only: still counted
    actions.decide_invalid(resolved, people["leader"], approve=True)
    refresh()
    row = figures.table(*this_month()).row("U06")
    assert (row.counts.reported, row.counts.invalid, row.counts.counted) == (1, 1, 0)
    assert row.rates.response is None
    assert_rollup_equals_raw(*this_month())


def test_a_case_sent_back_and_dispatched_elsewhere_moves_to_the_new_unit(new_case, people):
    case = new_case()
    actions.dispatch(case, people["dispatcher"], level="部门")
    refresh()
    assert figures.table(*this_month()).row("U06").counts.counted == 1
    actions.return_to_dispatch(case, people["other_handler"], reason="不归我们管")
    actions.dispatch(case, people["dispatcher"], level="部门", unit=people["handler"].person.roles.get().unit)
    refresh()
    t = figures.table(*this_month())
    assert t.row("U06") is None and t.row("U08").counts.counted == 1
    assert_rollup_equals_raw(*this_month())


def test_a_volunteer_claim_is_a_response_and_neighbour_activity(new_case, people):
    case = new_case(code="C37")
    actions.publish_to_pool(case, people["dispatcher"])
    actions.claim(case, people["volunteer"])  # a queryset update: only its event tells the rollup
    refresh()
    total = figures.table(*this_month()).total.counts
    assert (total.responded, total.claimed, total.claimed_resolved) == (1, 1, 0)
    assert_rollup_equals_raw(*this_month())


def test_a_rating_of_a_case_from_an_earlier_month_updates_that_month(resolved, people):
    earlier = timezone.now() - dt.timedelta(days=75)
    Case.objects.filter(pk=resolved.pk).update(created_at=earlier, responded_at=earlier + H)
    rebuild()
    month = timezone.localdate(earlier).replace(day=1)
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    assert figures.table(month, end).row("U06").counts.answered == 0
    actions.rate(Case.objects.get(pk=resolved.pk), people["resident"], solved=True, satisfaction="满意")
    refresh()
    assert figures.table(month, end).row("U06").counts.solved == 1
    assert_rollup_equals_raw(month, end)


def test_each_change_recounts_its_day_once(resolved, people):
    actions.rate(resolved, people["resident"], solved=True, satisfaction="满意")
    assert refresh()["rollup_days"] == 1
    assert refresh()["rollup_days"] == 0


def test_an_event_that_committed_after_a_later_one_is_still_read(resolved, people):
    from cases.choices import Action
    from cases.models import CaseEvent

    refresh()
    top = CaseEvent.objects.order_by("-pk").first().pk
    # Event top+3 is written and read while the transactions holding ids top+1 and top+2 are still open…
    CaseEvent.objects.create(pk=top + 3, case=resolved, actor_label="居民", action=Action.REPLY)
    refresh()
    assert set(RollupState.objects.get().event_gaps) == {str(top + 1), str(top + 2)}
    # …then one of them commits: a rating of the case, read at the next round.
    Case.objects.filter(pk=resolved.pk).update(solved=True, satisfaction="满意")
    CaseEvent.objects.create(pk=top + 1, case=resolved, actor_label="居民", action=Action.RATE)
    assert refresh()["rollup_days"] == 1
    assert figures.table(*this_month()).row("U06").counts.solved == 1
    assert set(RollupState.objects.get().event_gaps) == {str(top + 2)}
    # An id that never turns up (a rolled-back transaction) is forgotten after GAP_WAIT.
    refresh(timezone.now() + GAP_WAIT + dt.timedelta(minutes=1))
    assert RollupState.objects.get().event_gaps == {}


def test_a_changed_response_limit_recounts_the_days_of_its_category(resolved, admin_client):
    Case.objects.filter(pk=resolved.pk).update(responded_at=resolved.created_at + 3 * H)
    rebuild()
    assert figures.table(*this_month()).row("U06").counts.responded == 1  # C13: within 24 h
    category = Category.objects.get(code="C13")
    category.respond_hours = 2
    category.save()
    assert DirtyDay.objects.filter(day=timezone.localdate(resolved.created_at)).exists()
    refresh()
    assert figures.table(*this_month()).row("U06").counts.responded == 0
    assert_rollup_equals_raw(*this_month())


def test_the_nightly_check_catches_a_change_made_without_an_event(resolved):
    refresh()
    Case.objects.filter(pk=resolved.pk).update(solved=True, satisfaction="满意")  # by hand, no history
    now = timezone.localtime()
    refresh(now)
    state = RollupState.objects.get()
    if state.reconciled_on != now.date():  # before 03:00 the night's check has not run yet
        assert figures.table(*this_month()).row("U06").counts.solved == 0
    tomorrow = timezone.make_aware(dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(3, 30)))
    refresh(tomorrow)
    assert RollupState.objects.get().reconciled_on == tomorrow.date()
    assert figures.table(*this_month()).row("U06").counts.solved == 1
    assert_rollup_equals_raw(*this_month())


def test_the_first_refresh_builds_everything_from_the_rows(grid):
    lay_case(local(2025, 6, 1, 10), responded_after=H, solved=True, satisfaction="满意")
    assert not RollupState.objects.exists()
    refresh()
    assert figures.table(dt.date(2025, 6, 1), dt.date(2025, 6, 30)).row("U06").counts.solved == 1


def test_a_compound_moved_to_another_community_is_recounted_there(history):
    a2 = history.compound_a2
    before = figures.table(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "community").row(
        str(history.compound_b.parent_id)
    )
    a2.parent = history.compound_b.parent
    a2.save()
    refresh()
    after = figures.table(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "community").row(str(history.compound_b.parent_id))
    assert after.counts.reported > before.counts.reported
    assert_rollup_equals_raw(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "community")
