"""Requests refused before any view runs: text no one types, and API bodies that are not JSON."""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from core.text import has_control_characters

CONTROL_MESSAGE = "提交的内容含有无法识别的控制字符（如 NUL），请删除后重试"
MACHINE_PREFIXES = ("/api/", "/open311/")


def _strings(value):
    """Every string inside a parsed JSON value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class RejectControlCharacters:
    """NUL and other control characters in a query, a form field, a JSON body or an idempotency header
    are refused with a 400: PostgreSQL cannot store NUL, XML cannot carry it, and no person types it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_control_characters(request):
            if request.path.startswith(MACHINE_PREFIXES):
                return JsonResponse({"detail": CONTROL_MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False})
            body = render_to_string("400.html", {"message": CONTROL_MESSAGE}, request=request)
            return HttpResponse(body, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_control_characters(request) -> bool:
        if has_control_characters(request.path) or has_control_characters(request.headers.get("Idempotency-Key", "")):
            return True
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(has_control_characters(v) for v in values):
                return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                data = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return False  # not JSON at all: the view answers that
            return any(has_control_characters(s) for s in _strings(data))
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, values in request.POST.lists():
                if has_control_characters(key) or any(has_control_characters(v) for v in values):
                    return True
        return False


class JsonOnlyApi:
    """The JSON API takes JSON: a POST with another content type gets a 415, not a guess."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/api/")
            and request.method in ("POST", "PUT", "PATCH")
            and int(request.META.get("CONTENT_LENGTH") or 0) > 0
            and request.content_type != "application/json"
        ):
            return JsonResponse(
                {"detail": "请求体必须是 JSON（Content-Type: application/json）"},
                status=415,
                json_dumps_params={"ensure_ascii": False},
            )
        return self.get_response(request)
