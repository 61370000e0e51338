"""Who may do what with a project, asked one way for pages, API and tests.

Lookups answer "missing" and "not yours" alike (a Chinese 404), so a code that is
not yours to edit cannot be told apart from one that does not exist.

- anyone: a project's public page, QR codes, poster, the API;
- residents with a verified phone (grid.Person.phone): rate and report problems;
- staff of the responsible unit (grid Role with that unit, kind in Role.UNIT_STAFF): progress updates;
- the Django permission projects.change_rating (or superuser): moderation;
- district leaders and dispatchers (or superuser): statistics and export.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404

from grid.access import is_dispatcher, is_leader, person_of, unit_ids_of
from projects.models import CODE_PATTERN, Project, Rating

_CODE_RE = re.compile(f"^{CODE_PATTERN}$")


def _projects() -> QuerySet[Project]:
    return Project.objects.select_related("unit", "region__parent__parent__parent")


def get_public_project(code: str) -> Project:
    """The project behind a printed code; a 404 for anything else."""
    code = (code or "").strip().lower()
    if not _CODE_RE.match(code):
        raise Http404("没有这个项目")
    try:
        return _projects().get(code=code)
    except Project.DoesNotExist:
        raise Http404("没有这个项目") from None


def updatable_projects(user) -> QuerySet[Project]:
    """The projects whose progress this user reports: those of the units they work in."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return _projects()
    return _projects().filter(unit_id__in=unit_ids_of(user))


def get_project_to_update(user, code: str) -> Project:
    """The project if this user may post its progress; otherwise 404, whether it exists or not."""
    project = get_public_project(code)
    if not can_update(user, project):
        raise Http404("没有这个项目")
    return project


def is_project_staff(user) -> bool:
    """Works in a unit (any unit may be made responsible for a project), or runs the platform."""
    return user.is_authenticated and (user.is_superuser or bool(unit_ids_of(user)))


def can_update(user, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return project.unit_id in unit_ids_of(user)


def can_moderate(user) -> bool:
    return user.is_authenticated and user.has_perm("projects.change_rating")


def can_see_stats(user) -> bool:
    if not user.is_authenticated:
        return False
    if is_dispatcher(user):  # superusers included
        return True
    return is_leader(user)


def verified_phone(user) -> str | None:
    """The phone a resident signed in with (a one-time code proved it); None for anyone else."""
    person = person_of(user)
    if person is None or not person.phone:
        return None
    return person.phone


def get_rating_to_moderate(user, pk: int) -> Rating:
    """A rating for a moderator; a 404 for anyone else, whether it exists or not."""
    if not can_moderate(user):
        raise Http404("没有这条评价")
    try:
        return Rating.objects.select_related("project").get(pk=pk)
    except Rating.DoesNotExist:
        raise Http404("没有这条评价") from None
