"""Search pages: results, suggestions while typing (htmx), and the click that leads to a result."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from core.ratelimit import RateLimited, take_for_request
from search import indexes, registry
from search.actions import log_search, record_click
from search.inputs import CODE_RE, LOG_ID_MAX, PART_RE, QueryError, clean_query
from search.models import SearchLog

SEARCH_LIMIT = 10
SUGGEST_LIMIT = 6
POPULAR_LIMIT = 12


def search(request):
    """Results for the words a resident typed; never a blank page, never a confident wrong answer."""
    try:
        query = clean_query(request.GET.get("q", ""))
    except QueryError as exc:
        context = {"query": "", "error": str(exc), "popular": indexes.popular(POPULAR_LIMIT)}
        return render(request, "search/search.html", context, status=400)
    if not query:
        return render(request, "search/search.html", {"query": "", "popular": indexes.popular(POPULAR_LIMIT)})
    result = indexes.find(query, SEARCH_LIMIT)
    log_id = log_search(query, result, SearchLog.Source.PAGE)
    report = indexes.report_offer(query, result)
    return render(request, "search/search.html", {"query": query, "result": result, "log_id": log_id, "report": report})


def suggest(request):
    """Suggestions while typing (htmx fragment); not logged, only the search itself is."""
    try:
        query = clean_query(request.GET.get("q", ""))
    except QueryError:
        query = ""
    hits = indexes.suggest(query, SUGGEST_LIMIT) if query else []
    return render(request, "search/_suggestions.html", {"hits": hits, "query": query})


def click(request, log_id: int):
    """Follow a result and remember, anonymously, which one it was (within the shared click limit)."""
    kind = registry.get_kind(request.GET.get("kind", ""))
    code = request.GET.get("to", "")
    part = request.GET.get("s", "")
    if kind is None or log_id > LOG_ID_MAX or not CODE_RE.match(code):
        raise Http404("没有这个结果")
    url = kind.locate(code, part if PART_RE.match(part) else "")
    if url is None:
        raise Http404("没有这个结果")
    rank = request.GET.get("rank", "")
    try:
        take_for_request(request, "search_click")
    except RateLimited:
        pass  # the resident still gets where they clicked; only the counting stops
    else:
        record_click(log_id, code, int(rank) if rank.isdigit() and int(rank) < 100 else None)
    return redirect(url)
