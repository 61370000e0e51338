"""Content-Security-Policy from settings.SECURE_CSP (a dict of directive → sources).

A small middleware rather than the django-csp package: the policy is one constant header plus a
nonce for the few <style> elements (print pages), and Django 6.0 brings its own middleware with the
same SECURE_CSP shape, which this one will be swapped for. Templates put the nonce on a <style> or
<script> element as `nonce="{{ request.csp_nonce }}"`; the header carries it only when a page used it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.functional import SimpleLazyObject

NONCE_DIRECTIVES = ("script-src", "style-src-elem")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        used = []

        def make_nonce() -> str:
            used.append(secrets.token_urlsafe(16))
            return used[0]

        request.csp_nonce = SimpleLazyObject(make_nonce)
        response = self.get_response(request)
        header = "Content-Security-Policy-Report-Only" if settings.SECURE_CSP_REPORT_ONLY else "Content-Security-Policy"
        if header not in response:  # a view may set its own
            response[header] = policy(settings.SECURE_CSP, used[0] if used else None)
        return response


def policy(directives: dict[str, list[str]], nonce: str | None = None) -> str:
    parts = []
    for name, sources in directives.items():
        sources = list(sources)
        if nonce and name in NONCE_DIRECTIVES:
            sources.append(f"'nonce-{nonce}'")
        parts.append(" ".join([name, *sources]))
    return "; ".join(parts)
