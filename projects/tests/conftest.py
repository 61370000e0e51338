"""Personas of 民生实事码上通: residents with verified phones, unit staff, a moderator, leaders."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from grid.models import Region, Role, Unit
from projects.choices import Category, Status
from projects.models import Project
from projects.tests.factories import Place, make_person, make_project


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded photos go to a temporary directory, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def place(db) -> Place:
    district = Region.objects.create(name="项目测试区", kind="district")
    street = Region.objects.create(name="项目测试街道", kind="street", parent=district)
    community = Region.objects.create(name="项目测试社区", kind="community", parent=street)
    compound = Region.objects.create(name="项目测试小区", kind="compound", parent=community)
    housing = Unit.objects.create(code="TPA", name="测试住建局", kind=Unit.Kind.DEPARTMENT)
    city = Unit.objects.create(code="TPB", name="测试城管局", kind=Unit.Kind.DEPARTMENT)
    return Place(street, community, compound, housing, city)


@pytest.fixture
def project(place) -> Project:
    return make_project(place)


@pytest.fixture
def planning_project(place) -> Project:
    return make_project(
        place, name="测试农贸市场新建", category=Category.MARKET, status=Status.PLANNING, progress=0, actual_start=None
    )


@pytest.fixture
def other_project(place) -> Project:
    return make_project(place, name="测试背街小巷提质", category=Category.BACK_STREET, unit=place.city, progress=50)


@pytest.fixture
def people(place) -> dict[str, User]:
    """One persona per role; phones 1370000xxxx."""
    K = Role.Kind
    moderator = User.objects.create_user("moderator-p", password="pw")
    moderator.user_permissions.add(Permission.objects.get(codename="change_rating", content_type__app_label="projects"))
    staff_without_phone = User.objects.create_user("staff-p", password="pw", is_staff=True)
    return {
        "resident": make_person("resident-p", "13700000001"),
        "neighbour": make_person("neighbour-p", "13700000002"),
        "handler": make_person("handler-p", "13700000003", (K.HANDLER, place.housing)),
        "unit_leader": make_person("unitleader-p", "13700000004", (K.UNIT_LEADER, place.housing)),
        "other_handler": make_person("otherhandler-p", "13700000005", (K.HANDLER, place.city)),
        "leader": make_person("leader-p", "13700000006", (K.DISTRICT_LEADER, None)),
        "dispatcher": make_person("dispatcher-p", "13700000007", (K.DISPATCHER, None)),
        "volunteer": make_person("volunteer-p", "13700000008", (K.VOLUNTEER, None)),
        "moderator": moderator,
        "staff_without_phone": staff_without_phone,
        "admin": User.objects.create_superuser("admin-p", password="pw"),
    }
