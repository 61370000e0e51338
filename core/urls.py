"""Absolute links from SITE_URL, never from the request's Host header.

A QR code or poster printed from a page opened at an internal address would otherwise carry that
address forever, and a forged Host header could put someone else's site into a PDF.
"""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """SITE_URL + path: absolute("/p/abcd2345/") → "https://minsheng.example.gov.cn/p/abcd2345/"."""
    if not path.startswith("/"):
        raise ValueError(f"absolute() takes a path from the site root, got {path!r}")
    return settings.SITE_URL + path
