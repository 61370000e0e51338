"""The demo district (演示数据) gives the yardstick, the cockpit and the reports months of history to show."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Case
from dashboard import figures
from dashboard.reports import month_end, previous_month
from demo.district import load_district
from demo.history import DESCRIPTION, MONTHS, load_demo_history
from grid.geo import check_geometry
from grid.models import Region

pytestmark = pytest.mark.django_db


def test_six_months_of_history_with_answers_and_real_differences_between_units_loaded_once(db):
    load_district()
    made = load_demo_history()  # about 4 s: one test keeps the suite short
    assert made > 1000
    history = Case.objects.filter(description=DESCRIPTION)
    assert history.count() == made and not history.exclude(description__contains="演示数据").exists()
    month = timezone.localdate().replace(day=1)
    for _ in range(MONTHS):
        month = previous_month(month)
        t = figures.table(month, month_end(month))
        assert t.total.counts.counted > 150 and t.total.counts.answered > 100
        assert sum(1 for r in t.rows if r.rank) >= 10  # departments, communities and property companies ranked
        assert t.total.counts.by_grid > 0 and t.total.counts.claimed > 0
    scores = [r.rates.composite for r in t.rows if r.rank]
    assert max(scores) - min(scores) > 0.1  # the ranking means something
    assert load_demo_history() == 0
    assert Case.objects.filter(description=DESCRIPTION).count() == made


def test_demo_regions_have_codes_and_outlines_for_the_map(db):
    load_district()
    load_district()  # again: codes and outlines are kept in step, nothing doubles
    regions = Region.objects.filter(is_demo=True)
    assert not regions.filter(code=None).exists()
    mapped = regions.filter(kind__in=["street", "community", "compound"])
    assert mapped.count() == 2 + 5 + 15
    for region in mapped:
        check_geometry(region.boundary)
    assert not regions.filter(kind="building", boundary__isnull=False).exists()
