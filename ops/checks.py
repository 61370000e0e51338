"""System checks for running the site (shown by `manage.py check`, and with --deploy)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host

LOCAL = {"127.0.0.1", "localhost", "testserver", "[::1]"}


@register(Tags.security, deploy=True)
def production_profile(app_configs, **kwargs):
    """`check --deploy` outside the production profile: the profile is what turns the protections on."""
    if settings.PRODUCTION:
        return []
    return [
        Warning(
            "MINSHENG_ENV is not 'production': HTTPS redirects, HSTS, secure cookies and the refusal of "
            "unsafe settings are off.",
            hint="Set MINSHENG_ENV=production on every server that faces users.",
            id="ops.W001",
        )
    ]


@register()
def site_url_is_served(app_configs, **kwargs):
    """QR codes and posters carry SITE_URL: a host this app refuses would print dead links."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if host in LOCAL and not settings.PRODUCTION:
        return []
    errors = []
    if not validate_host(host, settings.ALLOWED_HOSTS):
        errors.append(
            Warning(
                f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS: links in QR codes and posters would be refused.",
                id="ops.W002",
            )
        )
    if settings.PRODUCTION and not settings.SITE_URL.startswith("https://"):
        errors.append(
            Warning(
                "SITE_URL is not https://: printed QR codes would send residents to an unencrypted address.",
                id="ops.W003",
            )
        )
    return errors
