"""The yardstick's figures against figures worked out by hand (March 2026, Asia/Shanghai).

城管 U08 (C09 respond within 24 h, C08 within 4 h):
  A C09 contacted after 3 h, 解决, 非常满意          B C09 after exactly 24 h, 解决, 满意
  C C08 after 5 h (late), 未解决, 基本满意            D C08 after 1 h, no answer at all
  E C09 never contacted, no answer                   F C09 after 1 h, 解决, 不满意
  G C08 after 2 h, 解决, 非常满意 — approved 无效诉求 (left out)
  H C09 after 30 h (late), 未解决, 非常不满意 — 无效 proposed only (counted)
  K C09 reported 03-31 23:59:59, after 1 h, 解决, 满意 — 无效 rejected (counted)
  I reported 02-28 23:30 and J 04-01 00:00: outside March
  counted 8 · 按时响应 A B D F K = 5/8 · 解决 A B F K of answered A B C F H K = 4/6
  满意 (1 + 1 + 0.6 + 0 + 0 + 1) / 6 = 0.6 · 综合 0.1×0.625 + 0.5×4/6 + 0.4×0.6 = 0.6358333…
城管 is beaten by 城运 U06 (C13, 24 h): L after 2 h 解决 非常满意, M after 20 h 解决 满意,
  O after 1 h, no 解决 answer but 基本满意 → 3/3, 2/2, 2.6/3 → 综合 0.1 + 0.5 + 0.4×0.86667 = 0.9466667
N: no category, no unit, contacted after 23 h (within the default 24 h), no answer.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import figures
from dashboard.figures import NONE, Scope
from dashboard.models import Yardstick
from dashboard.rollup import refresh
from dashboard.tests.conftest import lay_case, local
from grid.models import Unit

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def rates(row):
    return row.rates.response, row.rates.resolution, row.rates.satisfaction, row.rates.composite


def test_unit_figures_match_the_hand_computed_ones(march):
    t = figures.table(*MARCH, by="unit")
    cg, cy = t.row("U08"), t.row("U06")
    assert (cg.counts.reported, cg.counts.invalid, cg.counts.counted) == (9, 1, 8)
    assert (cg.counts.responded, cg.counts.late, cg.counts.answered, cg.counts.solved, cg.counts.unsolved) == (
        5,
        3,
        6,
        4,
        2,
    )
    assert (cg.counts.rated, cg.counts.very_satisfied, cg.counts.basically, cg.counts.very_dissatisfied) == (6, 1, 1, 1)
    assert rates(cg) == pytest.approx((0.625, 4 / 6, 0.6, 0.0625 + 0.5 * 4 / 6 + 0.24))
    assert rates(cy) == pytest.approx((1.0, 1.0, 2.6 / 3, 0.1 + 0.5 + 0.4 * 2.6 / 3))
    assert (cy.rank, cg.rank) == (1, 2)
    assert [r.key for r in t.rows] == ["U06", "U08", ""]  # ranked units, then the cases without a unit
    assert t.rows[-1].label == "（未派单）" and t.rows[-1].rank is None


def test_district_total_counts_every_valid_case_once(march):
    total = figures.table(*MARCH, by="unit").total
    assert (total.counts.counted, total.counts.responded, total.counts.answered, total.counts.solved) == (12, 9, 8, 6)
    assert total.rates.response == pytest.approx(9 / 12)
    assert total.rates.satisfaction == pytest.approx((3.6 + 2.6) / 9)


def test_a_case_without_category_is_judged_by_the_default_24_hours(march):
    uncategorised = figures.table(*MARCH, by="category").row("")
    assert uncategorised.label == "（未分类）"
    assert (uncategorised.counts.counted, uncategorised.counts.responded) == (1, 1)
    assert uncategorised.rates.resolution is None and uncategorised.rates.composite is None


def test_rates_without_answers_are_none_not_zero(march):
    t = figures.table(*MARCH, by="unit", scope=Scope(unit_id=NONE))
    (row,) = t.rows
    assert row.rates.response == 1.0
    assert (row.rates.resolution, row.rates.satisfaction, row.rates.composite) == (None, None, None)


def test_by_community_and_street_follow_the_grid_up_from_compound_or_building(march):
    by_community = figures.table(*MARCH, by="community")
    a, b = march.compound_a.parent, march.compound_b.parent
    assert by_community.row(str(a.pk)).counts.counted == 8  # A–F, L (in a building), M
    assert by_community.row(str(a.pk)).counts.responded == 6
    assert by_community.row(str(b.pk)).counts.counted == 3  # H, K and N (reported at the community itself)
    assert by_community.row("").counts.counted == 1  # O has no place
    (street_row,) = [r for r in figures.table(*MARCH, by="street").rows if r.key]
    assert street_row.label == "测试街道" and street_row.counts.counted == 11


def test_months_split_at_local_midnight(march):
    months = figures.table(dt.date(2026, 2, 1), dt.date(2026, 4, 30), by="month")
    assert [(r.key, r.label, r.counts.counted) for r in months.rows] == [
        ("2026-02", "2026年2月", 1),
        ("2026-03", "2026年3月", 12),
        ("2026-04", "2026年4月", 1),
    ]


def test_a_period_inside_a_month_reads_days(march):
    t = figures.table(dt.date(2026, 3, 2), dt.date(2026, 3, 4), by="unit")
    assert t.row("U08").counts.counted == 3
    assert [
        (r.key, r.counts.reported) for r in figures.table(dt.date(2026, 3, 30), dt.date(2026, 4, 1), by="day").rows
    ] == [
        ("2026-03-31", 1),
        ("2026-04-01", 1),
    ]


def test_a_period_across_months_adds_whole_months_and_edge_days(march):
    t = figures.table(dt.date(2026, 2, 28), dt.date(2026, 4, 1), by="unit")
    assert t.row("U08").counts.counted == 8 + 2


def test_weights_changed_in_the_admin_change_every_figure(march, admin_client):
    response = admin_client.post(
        "/admin/dashboard/yardstick/1/change/" if Yardstick.objects.exists() else "/admin/dashboard/yardstick/add/",
        {
            "very_satisfied": "1",
            "satisfied": "0.9",
            "basically": "0.5",
            "dissatisfied": "0.1",
            "very_dissatisfied": "0",
            "response_weight": "0.2",
            "resolution_weight": "0.4",
            "satisfaction_weight": "0.4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cg = figures.table(*MARCH, by="unit").row("U08")
    satisfaction = (1 + 0.9 + 0.5 + 0.1 + 0 + 0.9) / 6
    assert cg.rates.satisfaction == pytest.approx(satisfaction)
    assert cg.rates.composite == pytest.approx(0.2 * 0.625 + 0.4 * 4 / 6 + 0.4 * satisfaction)


def test_composite_weights_must_add_up_to_one(admin_client):
    response = admin_client.post(
        "/admin/dashboard/yardstick/add/",
        {
            "very_satisfied": "1",
            "satisfied": "1",
            "basically": "0.6",
            "dissatisfied": "0",
            "very_dissatisfied": "0",
            "response_weight": "0.2",
            "resolution_weight": "0.5",
            "satisfaction_weight": "0.4",
        },
    )
    assert response.status_code == 200
    assert "权重之和应为 1" in response.content.decode()
    assert not Yardstick.objects.exists()


def test_equal_scores_share_a_rank(grid):
    for unit in ("U06", "U08", "U24"):
        lay_case(local(2026, 3, 2, 9), unit=unit, responded_after=H, solved=True, satisfaction="满意")
    lay_case(local(2026, 3, 2, 9), unit="U24", responded_after=H, solved=True, satisfaction="满意")
    lay_case(local(2026, 3, 2, 9), unit="U10", responded_after=H, solved=False, satisfaction="满意")
    refresh()
    t = figures.table(*MARCH, by="unit")
    assert [(r.key, r.rank) for r in t.rows] == [("U24", 1), ("U06", 1), ("U08", 1), ("U10", 4)]
    assert Unit.objects.get(code="U24").name == t.rows[0].label
