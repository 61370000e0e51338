"""The one way pages and the API find catalog objects: missing means a 404, in Chinese."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from guide.models import Matter, Situation


def get_matter(code: str) -> Matter:
    return get_object_or_404(Matter.objects.select_related("department"), code=code.upper())


def get_situation(matter: Matter, key: str) -> Situation:
    try:
        return matter.situations.get(key=key)
    except Situation.DoesNotExist:
        raise Http404("没有这个情形") from None
