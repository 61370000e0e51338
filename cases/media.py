"""Who may fetch a case photo (ops.media serves it): whoever may see the case.

Staff see every photo of the cases cases.access lets them open; the reporter (by account, or from the
browser that submitted or tracked the case) sees the photos their public timeline shows.
"""

from __future__ import annotations

from django.http import Http404

from cases.access import get_reporters_case, visible_cases
from cases.models import Photo


def may_view(request, name: str) -> bool:
    photo = Photo.objects.filter(image=name).select_related("case", "event").first()
    if photo is None:
        return False
    if visible_cases(request.user).filter(pk=photo.case_id).exists():
        return True
    if photo.event is None or not photo.event.public:
        return False
    try:
        get_reporters_case(request, photo.case.number)
    except Http404:
        return False
    return True
