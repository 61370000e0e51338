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
