"""The request hub's personas (cases/tests/conftest.py) and a way to lay down cases with known answers."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from cases.choices import Status
from cases.models import Case, Category
from cases.tests.conftest import grid, make_person, new_case, people, sms  # noqa: F401 — shared fixtures
from grid.models import Region, Role, Unit

_numbers = itertools.count(1)
H = dt.timedelta(hours=1)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_default_timezone())


def lay_case(
    at: dt.datetime,
    *,
    category: str | None = "C13",
    unit: str | None = "U06",
    region: Region | None = None,
    responded_after: dt.timedelta | None = None,
    solved: bool | None = None,
    satisfaction: str = "",
    invalid: str = "",
    status: str = Status.CLOSED,
    **fields,
) -> Case:
    """A case as it stands after its life: reported at `at`, first contacted `responded_after` later…

    Written straight to the table (the rollup then has to be built from the rows, as after an import).
    """
    case = Case.objects.create(
        number=f"T{next(_numbers):07d}",
        description="测试诉求",
        category=Category.objects.get(code=category) if category else None,
        unit=Unit.objects.get(code=unit) if unit else None,
        region=region,
        status=status,
        responded_at=at + responded_after if responded_after is not None else None,
        solved=solved,
        satisfaction=satisfaction,
        invalid_state=invalid,
        **fields,
    )
    Case.objects.filter(pk=case.pk).update(created_at=at)
    case.created_at = at
    return case


@pytest.fixture
def unit_leader_of():
    """A unit leader (单位负责人) of the given unit code."""
    made = itertools.count(1)

    def make(code: str):
        n = next(made)
        return make_person(
            f"dash-leader-{code}-{n}", f"1370000{n:04d}", (Role.Kind.UNIT_LEADER, Unit.objects.get(code=code), None)
        )

    return make


@pytest.fixture
def march(grid):  # noqa: F811 — the grid fixture, imported above
    """The month whose figures test_yardstick.py works out by hand (its docstring lists the cases)."""
    building = Region.objects.create(name="1栋", kind="building", parent=grid.compound_a)
    comm_b = grid.compound_b.parent
    a1, a2, b1 = grid.compound_a, grid.compound_a2, grid.compound_b
    cg = {"unit": "U08"}
    lay_case(
        local(2026, 3, 2, 9),
        category="C09",
        region=a1,
        responded_after=3 * H,
        solved=True,
        satisfaction="非常满意",
        **cg,
    )
    lay_case(
        local(2026, 3, 3, 9), category="C09", region=a1, responded_after=24 * H, solved=True, satisfaction="满意", **cg
    )
    lay_case(
        local(2026, 3, 4, 9),
        category="C08",
        region=a1,
        responded_after=5 * H,
        solved=False,
        satisfaction="基本满意",
        **cg,
    )
    lay_case(local(2026, 3, 5, 9), category="C08", region=a2, responded_after=1 * H, **cg)
    lay_case(local(2026, 3, 6, 9), category="C09", region=a2, status="dispatched", **cg)
    lay_case(
        local(2026, 3, 7, 9), category="C09", region=a2, responded_after=H, solved=True, satisfaction="不满意", **cg
    )
    lay_case(
        local(2026, 3, 8, 9),
        category="C08",
        region=a1,
        responded_after=2 * H,
        solved=True,
        satisfaction="非常满意",
        invalid="approved",
        **cg,
    )
    lay_case(
        local(2026, 3, 9, 9),
        category="C09",
        region=b1,
        responded_after=30 * H,
        solved=False,
        satisfaction="非常不满意",
        invalid="proposed",
        **cg,
    )
    lay_case(
        local(2026, 3, 31, 23, 59, 59),
        category="C09",
        region=b1,
        responded_after=H,
        solved=True,
        satisfaction="满意",
        invalid="rejected",
        **cg,
    )
    lay_case(
        local(2026, 2, 28, 23, 30), category="C09", region=b1, responded_after=H, solved=True, satisfaction="满意", **cg
    )
    lay_case(
        local(2026, 4, 1, 0, 0), category="C09", region=b1, responded_after=H, solved=True, satisfaction="满意", **cg
    )
    lay_case(
        local(2026, 3, 10, 9),
        region=building,
        responded_after=2 * H,
        solved=True,
        satisfaction="非常满意",
        channel="grid",
    )
    lay_case(local(2026, 3, 11, 9), region=a1, responded_after=20 * H, solved=True, satisfaction="满意")
    lay_case(local(2026, 3, 12, 9), responded_after=H, satisfaction="基本满意")
    lay_case(local(2026, 3, 13, 9), category=None, unit=None, region=comm_b, responded_after=23 * H, status="new")
    from dashboard.rollup import refresh

    refresh()
    return grid
