"""Category suggestion from a report's text, with the same engine as the service-guide search.

Each category of the responsibility list is a document: its name, the words
residents use for it (content/cases/categories.yaml, editable in the admin)
and its description. The search lexicon (群众说法) applies here too.
"""

from __future__ import annotations

import threading

from cases.models import Category
from guide.models import Synonym
from guide.search import SITUATION_TEXT, MatterDoc, SearchIndex

_lock = threading.Lock()
_state: dict = {"index": None, "version": None}


def _build() -> SearchIndex:
    docs = (
        MatterDoc(
            code=c.code,
            name=c.name,
            department="",
            popular=0,
            keywords=[c.name, *c.keyword_list],
            texts=[(c.description, SITUATION_TEXT)],
            guide=c.description,
            situations=[],
        )
        for c in Category.objects.order_by("code")
    )
    return SearchIndex(docs, Synonym.objects.values_list("phrase", "means"))


def category_index() -> SearchIndex:
    from guide.searching import current_version

    version = current_version()
    with _lock:
        if _state["index"] is None or _state["version"] != version:
            _state["index"], _state["version"] = _build(), version
        return _state["index"]


def suggest_codes(text: str, limit: int = 3) -> list[str]:
    """Category codes for a report, best first; empty when nothing fits."""
    if not text.strip():
        return []
    result = category_index().search(text[:500], limit)
    return [] if result.fallback else [hit.code for hit in result.hits]


def suggest_category(text: str) -> Category | None:
    codes = suggest_codes(text, 1)
    return Category.objects.filter(code=codes[0]).first() if codes else None
