"""Who may see and do what with a case. One helper answers "missing" and "not yours" alike (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.choices import Status
from cases.models import Case
from grid.access import community_units_of, is_dispatcher, is_leader, person_of, unit_ids_of, volunteer_regions


def _signed_in_phone(user) -> str:
    person = person_of(user)
    return (person.phone or "") if person else ""


def reported_by(user) -> Q:
    """The cases a signed-in person reported: with their account, for a neighbour or caller they entered,
    or before signing in with the phone they have now signed in with (reports with no account)."""
    rule = Q(reporter=user) | Q(entered_by=user)
    phone = _signed_in_phone(user)
    if phone:
        rule |= Q(reporter__isnull=True, reporter_phone=phone)
    return rule


SESSION_CASES = "my_case_numbers"  # what an anonymous reporter may follow from this browser


def get_reporters_case(request, number: str) -> Case:
    """A case its reporter may follow (public page, rating, photos): by account, or from the browser
    that submitted or tracked it. 404 otherwise, whether it exists or not."""
    case = Case.objects.filter(number=number).first()
    mine = case is not None and (
        number in request.session.get(SESSION_CASES, [])
        or (request.user.is_authenticated and Case.objects.filter(reported_by(request.user), pk=case.pk).exists())
    )
    if not mine:
        raise Http404("没有这个诉求")
    return case


def visible_cases(user) -> QuerySet[Case]:
    """The cases this user may open."""
    cases = Case.objects.all()
    if not user.is_authenticated:
        return cases.none()
    if is_dispatcher(user) or is_leader(user):
        return cases
    rule = reported_by(user) | Q(claimed_by=user)
    units = unit_ids_of(user)
    if units:
        rule |= Q(unit_id__in=units)
    communities = volunteer_regions(user)
    if communities:
        rule |= Q(status=Status.POOL, unit__region_id__in=communities)
    return cases.filter(rule)


def get_case(user, number: str) -> Case:
    """The case if this user may see it; otherwise 404, whether it exists or not."""
    try:
        return visible_cases(user).select_related("category", "unit", "region", "claimed_by").get(number=number)
    except Case.DoesNotExist:
        raise Http404("没有这个诉求") from None


def is_handler(user, case: Case) -> bool:
    """Staff of the unit the case is with."""
    return case.unit_id is not None and case.unit_id in unit_ids_of(user)


def is_community_of(user, case: Case) -> bool:
    return case.unit_id is not None and case.unit_id in community_units_of(user)


def can_claim(user, case: Case) -> bool:
    if case.status != Status.POOL or case.unit is None:
        return False
    return case.unit.region_id in volunteer_regions(user)


def is_reporter(user, case: Case) -> bool:
    """The resident who reported it: by account, or by the phone they left and have now signed in with."""
    if not user.is_authenticated:
        return False
    if case.reporter_id is None:
        return bool(case.reporter_phone) and case.reporter_phone == _signed_in_phone(user)
    return case.reporter_id == user.pk


def sees_phone(user, case: Case) -> bool:
    """Reporters' phones are shown in full only to the handling unit and the dispatchers who call back."""
    return is_handler(user, case) or is_dispatcher(user) or case.claimed_by_id == getattr(user, "pk", None)


def sees_internal(user, case: Case) -> bool:
    """Internal notes (supervision, extensions, merges, mediation) are for those handling the case."""
    return (
        is_dispatcher(user)
        or is_leader(user)
        or is_handler(user, case)
        or is_community_of(user, case)
        or (user.is_authenticated and case.claimed_by_id == user.pk)
    )


def lost_claim(user, number: str) -> bool:
    """A small need of this volunteer's community that someone else claimed first (so: 409, not 404)."""
    communities = volunteer_regions(user)
    return bool(communities) and (
        Case.objects.filter(number=number, claimed_by__isnull=False, unit__region_id__in=communities)
        .exclude(claimed_by=user)
        .exists()
    )
