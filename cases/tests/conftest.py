"""Personas of the request hub: a small grid and one person per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from cases import actions
from cases.models import Category
from core.sms import MemoryBackend
from grid.models import Person, Region, Role, Unit


@dataclass
class Grid:
    compound_a: Region
    compound_a2: Region
    compound_b: Region
    community_a: Unit
    community_b: Unit
    property_a: Unit


def make_person(username: str, phone: str, *roles: tuple) -> User:
    user = User.objects.create_user(username, password="pw")
    person = Person.objects.create(user=user, phone=phone, name=username)
    for kind, unit, region in roles:
        Role.objects.create(person=person, kind=kind, unit=unit, region=region)
    return user


@pytest.fixture
def grid(db) -> Grid:
    if not Unit.objects.filter(code="U01").exists():  # a transactional test before this one flushed it
        from cases.reference import load_reference

        load_reference()
    district = Region.objects.create(name="测试区", kind="district")
    street = Region.objects.create(name="测试街道", kind="street", parent=district)
    comm_a = Region.objects.create(name="甲社区", kind="community", parent=street)
    comm_b = Region.objects.create(name="乙社区", kind="community", parent=street)
    a1 = Region.objects.create(name="甲一小区", kind="compound", parent=comm_a, latitude=29.0, longitude=113.0)
    a2 = Region.objects.create(name="甲二小区", kind="compound", parent=comm_a, latitude=29.01, longitude=113.01)
    b1 = Region.objects.create(name="乙一小区", kind="compound", parent=comm_b, latitude=29.05, longitude=113.05)
    unit_a = Unit.objects.create(code="TQA", name="甲社区居委会", kind=Unit.Kind.COMMUNITY, region=comm_a)
    unit_b = Unit.objects.create(code="TQB", name="乙社区居委会", kind=Unit.Kind.COMMUNITY, region=comm_b)
    prop = Unit.objects.create(code="TWA", name="甲物业", kind=Unit.Kind.PROPERTY, region=comm_a)
    prop.compounds.add(a1)
    return Grid(a1, a2, b1, unit_a, unit_b, prop)


@pytest.fixture
def people(grid):
    """One person per role; phones 1380000xxxx."""
    u08, u06 = Unit.objects.get(code="U08"), Unit.objects.get(code="U06")
    K = Role.Kind
    return {
        "dispatcher": make_person("dispatcher-t", "13800000001", (K.DISPATCHER, Unit.objects.get(code="U01"), None)),
        "leader": make_person("leader-t", "13800000002", (K.DISTRICT_LEADER, None, None)),
        "handler": make_person("handler-t", "13800000003", (K.HANDLER, u08, None)),
        "unit_leader": make_person("unitleader-t", "13800000004", (K.UNIT_LEADER, u08, None)),
        "other_handler": make_person("handler6-t", "13800000005", (K.HANDLER, u06, None)),
        "community": make_person("community-t", "13800000006", (K.COMMUNITY_STAFF, grid.community_a, None)),
        "property": make_person("property-t", "13800000007", (K.PROPERTY_STAFF, grid.property_a, None)),
        "volunteer": make_person("volunteer-t", "13800000008", (K.VOLUNTEER, None, grid.compound_a.parent)),
        "volunteer_b": make_person("volunteerb-t", "13800000009", (K.VOLUNTEER, None, grid.compound_b.parent)),
        "grid_member": make_person("neighbor-t", "13800000010", (K.NEIGHBOR_HEAD, None, grid.compound_a)),
        "resident": make_person("resident-t", "13800000011"),
        "stranger": make_person("stranger-t", "13800000012"),
    }


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "core.sms.MemoryBackend"
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


@pytest.fixture
def new_case(people, grid):
    """A street-lamp report by the resident in compound 甲一 (category C13 → unit U06)."""

    def make(text="小区门口路灯坏了", code="C13", region=None, key=None, **kw):
        case, _ = actions.submit_case(
            description=text,
            category=Category.objects.get(code=code) if code else None,
            region=region or grid.compound_a,
            reporter=people["resident"],
            reporter_phone="13800000011",
            idempotency_key=key,
            idempotency_scope=f"u:{people['resident'].pk}",
            **kw,
        )
        return case

    return make
