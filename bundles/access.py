"""The one way pages and the API find a bundle: missing means a 404, in Chinese."""

from django.http import Http404

from bundles.models import Bundle


def get_bundle(code: str) -> Bundle:
    bundle = Bundle.objects.filter(code=code.lower()[:16]).first() if code.isascii() else None
    if bundle is None:
        raise Http404("没有这件事")
    return bundle
