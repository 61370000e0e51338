"""Text normalisation for Chinese search: one form for what residents type and what the catalog says.

- full-width → half-width and compatibility forms folded (NFKC), lower case;
- traditional → simplified characters (zhconv);
- han characters → toneless pinyin syllables, so 身分证 sounds like 身份证;
- a Latin run split into pinyin syllables ("yibaoka" → yi bao ka) when it is pinyin.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import zhconv
from pypinyin.constants import PINYIN_DICT

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN_RE = re.compile(rf"[{HAN}]+|[a-z]+|[0-9]+")
HAN_RE = re.compile(rf"[{HAN}]")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, simplified characters."""
    text = unicodedata.normalize("NFKC", text).lower()
    return zhconv.convert(text, "zh-cn")


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    return normalize(char)[:1] or char


def fold(text: str) -> str:
    """`normalize`, one character for one: positions stay those of the original (for highlighting)."""
    return "".join(_fold_char(c) for c in text)


def runs(text: str) -> list[str]:
    """Han runs, Latin runs and digit runs of normalised text, in order (punctuation dropped)."""
    return RUN_RE.findall(text)


def is_han(run: str) -> bool:
    return bool(HAN_RE.match(run))


@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[str, ...]:
    """Toneless pinyin readings of one han character, the usual one first (at most two).

    Read straight from pypinyin's character table, which lists the common
    reading first; its phrase tables (tens of MB) are never loaded.
    """
    raw = PINYIN_DICT.get(ord(char))
    if not raw:
        return (char,)
    return tuple(dict.fromkeys(_strip_tone(r) for r in raw.split(",")))[:2]


def sound(char: str) -> str:
    return readings(char)[0]


def _strip_tone(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _all_syllables() -> frozenset[str]:
    out = set()
    for value in PINYIN_DICT.values():
        for reading in value.split(","):
            out.add(_strip_tone(reading))
    return frozenset(s for s in out if s.isascii() and s.isalpha())


SYLLABLES = _all_syllables()
LONGEST_SYLLABLE = max(map(len, SYLLABLES))


@lru_cache(maxsize=4096)
def split_pinyin(run: str) -> tuple[str, ...] | None:
    """Split a Latin run into pinyin syllables, fewest syllables first; None when it is not pinyin."""
    n = len(run)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + LONGEST_SYLLABLE) + 1):
            piece = run[i:j]
            if piece in SYLLABLES:
                candidate = (*best[i], piece)  # type: ignore[misc]
                if best[j] is None or len(candidate) < len(best[j]):  # type: ignore[arg-type]
                    best[j] = candidate
    return best[n]


def word_pinyin(word: str) -> tuple[str, str]:
    """(full pinyin, initials) of a han word by each character's usual reading: 社保 → ("shebao", "sb")."""
    syllables = [sound(c) for c in word]
    return "".join(syllables), "".join(s[0] for s in syllables)
