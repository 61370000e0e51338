"""The comment filter: words from a list, web links and phone numbers hold a comment for a moderator.

Matching runs on a normalised copy of the text (NFKC, lower case, no spaces or
punctuation), so "傻 逼" and "加 微 信" are caught; the comment itself is kept as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from projects import conf

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_LINK = re.compile(r"(https?://|www\.|\.com\b|\.cn\b|\.net\b)", re.IGNORECASE)
# Advertising leaves a way to get in touch: a phone number (digits, possibly spaced or dashed).
_PHONE = re.compile(r"1[3-9]\d{9}|\d{3,4}-?\d{7,8}")


def normalise(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> tuple[str, ...]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word = normalise(line)
            if word:
                words.add(word)
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def word_list() -> tuple[str, ...]:
    path = conf.sensitive_words_file()
    return _load(path, path.stat().st_mtime)  # a changed file is read again


def flagged(text: str) -> list[str]:
    """What in this text needs a moderator's eye (empty when the text may be published at once)."""
    if not text:
        return []
    plain = normalise(text)
    found = [w for w in word_list() if w in plain]
    if _LINK.search(text):
        found.append("网址")
    if _PHONE.search(re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text))):
        found.append("电话号码")
    return found
