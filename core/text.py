"""Text that people type: refuse what no one types (NUL, control characters), keep what they meant."""

from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; DEL; C1 controls; lone surrogates;
# and the two non-characters XML 1.0 cannot carry.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 cannot carry at all (used when rendering text already stored).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class TextError(ValueError):
    """The text holds characters no one types; the message says so in Chinese."""


def has_control_characters(value: str) -> bool:
    return bool(_FORBIDDEN.search(value or ""))


def check_text(value: str, label: str = "内容") -> str:
    """The value unchanged, or TextError naming the field when it holds control characters."""
    if has_control_characters(value):
        raise TextError(f"{label}含有无法识别的控制字符，请删除后重试")
    return value


def xml_safe(value: str) -> str:
    """The text without the characters XML 1.0 cannot represent (for output of stored text)."""
    return _NOT_XML.sub("", value)
