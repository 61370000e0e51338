"""Uploads are not public files: each one is served only to whoever may see it.

settings.MEDIA_RULES maps a prefix of the stored name ("cases/2026/05/x.jpg") to a rule, a function
(request, name) -> bool that the owning app supplies (cases.media, projects.media). The longest prefix
wins; a name no rule covers is refused. What is refused answers 404, like a file that is not there.

The file then goes out one of three ways: behind nginx, an X-Accel-Redirect to an internal location
(MEDIA_ACCEL_REDIRECT) so nginx sends it; behind Apache/lighttpd, X-Sendfile (MEDIA_SENDFILE); with
no proxy (make run), Django streams it. Never django.views.static.serve.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.module_loading import import_string

Rule = Callable[..., bool]
# An uploaded file is shown, never run: no scripts, no styles but its own, no page around it.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def public(request, name: str) -> bool:
    """For files of the public service guide (blank forms, samples)."""
    return True


@lru_cache(maxsize=32)
def _rule(path: str) -> Rule:
    return import_string(path)


def rule_for(name: str) -> Rule | None:
    prefixes = [p for p in settings.MEDIA_RULES if name.startswith(p)]
    if not prefixes:
        return None
    return _rule(settings.MEDIA_RULES[max(prefixes, key=len)])


def clean_name(path: str) -> str | None:
    """The stored name the URL asks for, or None when it tries to leave the media directory."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    if posixpath.normpath(path) != path or path.split("/", 1)[0] in ("..", "."):
        return None
    return path


def serve(request, path: str) -> HttpResponse:
    name = clean_name(path)
    rule = rule_for(name) if name else None
    if rule is None or not rule(request, name) or not default_storage.exists(name):
        raise Http404("没有这个文件")
    return file_response(name)


def file_response(name: str) -> HttpResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type.startswith("image/") and content_type != "image/svg+xml"
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
    elif settings.MEDIA_SENDFILE:
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = default_storage.path(name)
    else:
        response = FileResponse(default_storage.open(name), content_type=content_type)
    if not inline:
        filename = posixpath.basename(name)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    # Private: a shared cache must not hand a case photo to the next person who asks.
    response["Cache-Control"] = "private, max-age=86400"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response
