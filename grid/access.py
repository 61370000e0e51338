"""Who someone is in the grid, asked one way everywhere (pages, API, worker)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from grid.models import Person, Role


def person_of(user: User | AnonymousUser) -> Person | None:
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def roles_of(user: User | AnonymousUser) -> list[Role]:
    person = person_of(user)
    if person is None:
        return []
    cached = getattr(person, "_roles", None)
    if cached is None:
        cached = person._roles = list(person.roles.select_related("unit", "region"))
    return cached


def has_role(user, *kinds: str) -> bool:
    return any(r.kind in kinds for r in roles_of(user))


def is_dispatcher(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.Kind.DISPATCHER))


def is_leader(user) -> bool:
    return has_role(user, Role.Kind.DISTRICT_LEADER)


def unit_ids_of(user) -> set[int]:
    """The units whose cases this person works on."""
    return {r.unit_id for r in roles_of(user) if r.unit_id and r.kind in Role.UNIT_STAFF}


def community_units_of(user) -> set[int]:
    """The communities (居委会) whose volunteers' work this person confirms (社区督单)."""
    return {r.unit_id for r in roles_of(user) if r.unit_id and r.kind == Role.Kind.COMMUNITY_STAFF}


def volunteer_regions(user) -> set[int]:
    """Communities where this person may claim small needs (党员志愿者 and grid members)."""
    kinds = (Role.Kind.VOLUNTEER, *Role.GRID_MEMBERS)
    out = set()
    for role in roles_of(user):
        if role.kind in kinds and role.region_id:
            community = role.region.ancestor("community")
            if community:
                out.add(community.pk)
    return out


def public_label(user, unit_id: int | None = None) -> str:
    """How someone appears on public timelines: a unit or a role, never a person.

    Staff of `unit_id` (or of any unit, when none is given) appear as their unit.
    """
    if user is None or not user.is_authenticated:
        return "系统"
    roles = roles_of(user)
    for role in roles:
        if role.kind in Role.UNIT_STAFF and role.unit and unit_id in (None, role.unit_id):
            return role.unit.name
    if any(role.kind == Role.Kind.DISPATCHER for role in roles):
        return "区综治中心"
    for role in roles:
        if role.kind in (Role.Kind.VOLUNTEER, *Role.GRID_MEMBERS):
            return role.get_kind_display()
    if user.is_staff or user.is_superuser:
        return "平台管理员"
    return "居民"
