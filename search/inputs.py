"""What a search query may be: checked the same way for pages and the API."""

from __future__ import annotations

import re

from core.text import has_control_characters

QUERY_MAX = 100  # characters; a longer text is a report, not a search
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")  # codes of every kind (GA01, newborn, C13)
PART_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LOG_ID_MAX = 2**63 - 1  # the largest id a search log can have (bigint)


class QueryError(ValueError):
    """A query that cannot be searched; the message tells the resident why, in Chinese."""


def clean_query(raw: str) -> str:
    """The query with tabs and line breaks as spaces, trimmed; QueryError for what cannot be searched.

    core.middleware refuses control characters in every request already; this
    check keeps search safe wherever else a query comes from.
    """
    text = re.sub(r"[\t\n\r]+", " ", raw).strip()
    if has_control_characters(text):
        raise QueryError("搜索词里有无法识别的字符，请重新输入")
    if len(text) > QUERY_MAX:
        raise QueryError(f"搜索词太长了，请控制在 {QUERY_MAX} 个字以内")
    return text
