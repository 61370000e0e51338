"""What changes search's records: a search is logged, a click is remembered. Nothing names the resident."""

from __future__ import annotations

from search.engine import SearchResult
from search.models import SearchLog
from search.textnorm import normalize


def log_search(query: str, result: SearchResult, source: str) -> int | None:
    """Log a search anonymously; returns its id (None for an empty query, which is not logged)."""
    query = query.strip()
    if not query:
        return None
    entry = SearchLog.objects.create(
        query=query[:100],
        normalized=normalize(query).strip()[:100],
        source=source,
        result_count=0 if result.fallback else len(result.hits),
        fallback=result.fallback,
        top_code=result.hits[0].code if result.hits and not result.fallback else "",
    )
    return entry.pk


def record_click(log_id: int, code: str, rank: int | None) -> None:
    """Remember the first click of a search (later clicks on the same results are not counted)."""
    SearchLog.objects.filter(pk=log_id, clicked_code="").update(clicked_code=code[:16], clicked_rank=rank)
