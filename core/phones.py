"""Mainland mobile numbers: one normal form everywhere, so 13９… and 139… are the same person."""

from __future__ import annotations

import re
import unicodedata

PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


class PhoneError(ValueError):
    """Not an 11-digit mainland mobile number."""


def normalize_phone(raw: str | None) -> str:
    """The number as 11 ASCII digits; "" for empty input; PhoneError otherwise.

    Full-width and other Unicode digits become ASCII (NFKC), spaces and dashes go, and a
    leading +86 / 0086 country code is dropped. Anything else that is not a digit is refused
    rather than silently removed.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = _SEPARATORS.sub("", text)
    if not text:
        return ""
    for prefix in ("+86", "0086"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix) :]
    if not text.isascii() or not PHONE_RE.match(text):
        raise PhoneError("请输入 11 位手机号")
    return text


def mask_phone(phone: str) -> str:
    """139****0001: enough to recognise one's own number, not enough to call it."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else ("****" if phone else "")
