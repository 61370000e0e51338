"""Settings of 民生实事码上通, each with a default (read with getattr, so settings.py need not list them).

PROJECT_RATING_PERIOD_DAYS (30)      one rating per verified phone per project within this many days
PROJECT_SUPERVISION_PHONE ("12345")  the supervision phone on posters when a project names none
PROJECT_SENSITIVE_WORDS_FILE         the word list for comments (default: projects/sensitive_words.txt)
PROJECT_COMMENT_MAX (500)            longest comment a resident may write
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_WORDS_FILE = Path(__file__).resolve().parent / "sensitive_words.txt"


def _positive_int(name: str, default: int, minimum: int = 1) -> int:
    value = getattr(settings, name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ImproperlyConfigured(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    return value


def rating_period_days() -> int:
    return _positive_int("PROJECT_RATING_PERIOD_DAYS", 30)


def supervision_phone() -> str:
    return str(getattr(settings, "PROJECT_SUPERVISION_PHONE", "12345"))


def sensitive_words_file() -> Path:
    return Path(getattr(settings, "PROJECT_SENSITIVE_WORDS_FILE", DEFAULT_WORDS_FILE))


def comment_max() -> int:
    return _positive_int("PROJECT_COMMENT_MAX", 500)
