"""Who sees which figures, asked one way for pages, API, reports and tests.

- district leaders, dispatchers (and superusers): everything — every unit, the cockpit, the district report;
- a unit's leader (grid Role 单位负责人): that unit's figures in every dimension, its rank among
  the units (not the other units' figures), its cases behind each figure and its monthly reports;
- anyone else: nothing. A unit or report that is not yours answers like one that does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.http import Http404

from dashboard.figures import Scope, Table, table
from grid.access import is_dispatcher, is_leader, roles_of
from grid.models import Role, Unit


@dataclass(frozen=True)
class Viewer:
    district: bool
    unit_ids: frozenset[int] = frozenset()

    def sees_unit(self, unit_id: int | None) -> bool:
        return self.district or (unit_id is not None and unit_id in self.unit_ids)

    @property
    def home_unit_id(self) -> int | None:
        """The unit a unit leader's pages open on (the lowest id when they lead several)."""
        return None if self.district else min(self.unit_ids)


def viewer_of(user) -> Viewer | None:
    """What this user may see of the yardstick; None for nothing."""
    if not user.is_authenticated:
        return None
    if is_dispatcher(user) or is_leader(user):  # is_dispatcher includes superusers
        return Viewer(district=True)
    units = frozenset(r.unit_id for r in roles_of(user) if r.kind == Role.Kind.UNIT_LEADER and r.unit_id)
    return Viewer(district=False, unit_ids=units) if units else None


def require_viewer(user) -> Viewer:
    viewer = viewer_of(user)
    if viewer is None:
        raise Http404("没有这个页面")
    return viewer


def require_district(user) -> Viewer:
    """District-wide pages (the cockpit): leaders and dispatchers only."""
    viewer = viewer_of(user)
    if viewer is None or not viewer.district:
        raise Http404("没有这个页面")
    return viewer


def get_unit(viewer: Viewer, code: str) -> Unit:
    """The unit with this code if the viewer may see its figures; 404 whether it exists or not."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not viewer.sees_unit(unit.pk):
        raise Http404("没有这个单位")
    return unit


def table_for(viewer: Viewer, start, end, by: str, scope: Scope) -> Table:
    """The table this viewer may see. By unit, a unit's leader gets their own row, ranked among all
    units (and the district's total to compare with), but not the other units' rows."""
    if viewer.district or by != "unit":
        result = table(start, end, by, scope)
        result.ranked = sum(1 for r in result.rows if r.rank is not None)
        return result
    everyone = table(start, end, "unit", replace(scope, unit_id=None))
    codes = set(Unit.objects.filter(pk__in=viewer.unit_ids).values_list("code", flat=True))
    own = [r for r in everyone.rows if r.key in codes]
    result = table(start, end, "unit", scope)  # the viewer's unit(s): the same figures, their own total
    result.rows = own
    result.district = everyone.total
    result.ranked = sum(1 for r in everyone.rows if r.rank is not None)
    return result
