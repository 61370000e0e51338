"""The search indexes of this process: built from the database, rebuilt when content changes.

Any save or delete of searchable content moves SearchIndexVersion (once per
transaction, after commit). Each process looks at that counter at most every
REFRESH_SECONDS and rebuilds its in-memory indexes when it moved, so an admin
edit is searchable in every worker within seconds, with no restart.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass

from django.db import models as dj_models
from django.db import transaction

from search import registry
from search.engine import Hit, SearchIndex, SearchResult
from search.models import SearchIndexVersion, Synonym

REFRESH_SECONDS = 2.0

_lock = threading.Lock()
_states: dict[str, dict] = {}
_pending = threading.local()


def build_index(name: str = registry.SERVICES) -> SearchIndex:
    kinds = registry.kinds(name)
    return SearchIndex(
        itertools.chain.from_iterable(kind.documents() for kind in kinds),
        Synonym.objects.values_list("phrase", "means"),
        preferred=[kind.name for kind in kinds if kind.preferred],
        cues={kind.name: kind.cues for kind in kinds if kind.cues},
    )


def current_version() -> int:
    row = SearchIndexVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


def _state(name: str) -> dict:
    return _states.setdefault(name, {"index": None, "version": None, "checked": 0.0, "building": False})


def get_index(name: str = registry.SERVICES) -> SearchIndex:
    """This process's index; when content changed, a fresh one is built in the background.

    Until the new index is ready, searches use the previous one: no request
    waits for a rebuild, except the very first of the process.
    """
    state = _state(name)
    now = time.monotonic()
    if state["index"] is not None and now - state["checked"] < REFRESH_SECONDS:
        return state["index"]
    with _lock:
        state["checked"] = time.monotonic()
        version = current_version()
        if state["index"] is None:
            state["index"], state["version"] = build_index(name), version
        elif version != state["version"] and not state["building"]:
            state["building"] = True
            threading.Thread(target=_rebuild, args=(name, version), daemon=True, name=f"search-{name}").start()
        return state["index"]


def _rebuild(name: str, version: int) -> None:
    from django.db import connection

    state = _state(name)
    try:
        index = build_index(name)
        with _lock:
            state["index"], state["version"] = index, version
    finally:
        state["building"] = False
        connection.close()  # this thread's own connection


def forget_index() -> None:
    """Drop this process's indexes (tests; the next search rebuilds them)."""
    _states.clear()


def bump_version() -> None:
    updated = SearchIndexVersion.objects.filter(pk=1).update(version=dj_models.F("version") + 1)
    if not updated:
        # A counter that starts again (a new or restored database) must not start at a value a
        # running process already built its index from, or that process would never rebuild.
        SearchIndexVersion.objects.get_or_create(pk=1, defaults={"version": time.time_ns() // 1000})


def _flush_pending() -> None:
    # The first callback after a commit bumps once; the others find nothing pending.
    if getattr(_pending, "count", 0):
        _pending.count = 0
        bump_version()


def content_changed(sender, **kwargs) -> None:
    """Signal handler: move the version after the change commits (once, however many rows changed).

    A rolled-back transaction drops its callbacks; its pending count then rides
    along with the next commit, which costs at most one extra rebuild.
    """
    _pending.count = getattr(_pending, "count", 0) + 1
    transaction.on_commit(_flush_pending)


def with_urls(hits: list[Hit]) -> list[Hit]:
    """Fill each hit's page from its kind (a hit of a kind no longer registered keeps none)."""
    for hit in hits:
        kind = registry.get_kind(hit.kind)
        if kind is not None:
            hit.url, hit.badge = kind.url(hit.code, hit.part_key), kind.badge
    return hits


def find(query: str, limit: int = 10, offset: int = 0) -> SearchResult:
    """The services that answer a query, with their pages."""
    result = get_index().search(query, limit + offset)
    result.hits = with_urls(result.hits[offset:])
    return result


def suggest(query: str, limit: int = 6) -> list[Hit]:
    return with_urls(get_index().suggest(query, limit))


def popular(limit: int) -> list[Hit]:
    return with_urls(get_index().most_popular(limit))


@dataclass
class Report:
    """An offer to report a problem (反映问题), with the category prefilled when one fits."""

    url: str
    code: str = ""
    name: str = ""


def report_offer(query: str, services: SearchResult) -> Report | None:
    """Offer 反映问题 when the words describe a problem rather than a service.

    A problem category is offered when it covers the words better than any
    service does, or as well when the resident used a problem word (坏了,
    投诉): "电梯坏了" is a report, "社保卡坏了" a new card. With a problem word
    and nothing else that fits, the plain report form is offered.
    """
    kinds = registry.kinds(registry.PROBLEMS)
    if not kinds or not query.strip():
        return None
    index = get_index(registry.PROBLEMS)
    problems = index.search(query, 1)
    cued = bool(index.parse(query).cue_kinds)
    better = problems.coverage > services.coverage or (cued and problems.coverage >= services.coverage)
    if not problems.fallback and (services.fallback or better):
        hit = with_urls(problems.hits[:1])[0]
        return Report(url=hit.url, code=hit.code, name=hit.name)
    if cued and services.fallback:
        return Report(url=kinds[0].url("", None))
    return None
