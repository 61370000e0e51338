"""Open cases of the same category close by: the same compound, or within 250 m."""

from __future__ import annotations

from cases.choices import OPEN_STATUSES
from cases.models import Case
from grid.models import distance_m

RADIUS_M = 250
# About 250 m in degrees of latitude; longitude degrees are shorter, so the box is generous.
BOX_DEG = 0.003


def nearby_open_cases(case: Case, limit: int = 20) -> list[tuple[Case, int | None]]:
    """(case, distance in metres or None when matched by compound), nearest first."""
    if case.category_id is None:
        return []
    candidates = Case.objects.filter(
        category_id=case.category_id, status__in=OPEN_STATUSES, parent__isnull=True
    ).exclude(pk=case.pk)
    found: dict[int, tuple[Case, int | None]] = {}
    if case.region_id:
        for other in candidates.filter(region_id=case.region_id)[:limit]:
            found[other.pk] = (other, None)
    if case.latitude is not None and case.longitude is not None:
        box = candidates.filter(
            latitude__range=(case.latitude - BOX_DEG, case.latitude + BOX_DEG),
            longitude__range=(case.longitude - 2 * BOX_DEG, case.longitude + 2 * BOX_DEG),
        )[: limit * 5]
        for other in box:
            metres = distance_m(case.latitude, case.longitude, other.latitude, other.longitude)
            if metres <= RADIUS_M:
                found[other.pk] = (other, round(metres))
    return sorted(found.values(), key=lambda pair: (pair[1] is None, pair[1] or 0))[:limit]
