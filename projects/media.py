"""Who may fetch a project's photos (ops.media serves them).

Site photos are as public as the project page; a resident's rating photo only once the rating is
published (moderators see it before, to decide).
"""

from __future__ import annotations

from projects.access import can_moderate
from projects.models import ProjectPhoto, Rating


def may_view_project_photo(request, name: str) -> bool:
    return ProjectPhoto.objects.filter(image=name).exists()


def may_view_rating_photo(request, name: str) -> bool:
    rating = Rating.objects.filter(photo=name).first()
    return rating is not None and (rating.is_public or can_moderate(request.user))
