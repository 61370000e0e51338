"""The search index of this process: built from the database, rebuilt when the catalog changes.

Any save or delete of searchable content moves SearchIndexVersion (once per
transaction, after commit). Each process looks at that counter at most every
REFRESH_SECONDS and rebuilds its in-memory index when it moved, so an admin
edit is searchable in every worker within seconds, with no restart.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator

from django.db import models as dj_models
from django.db import transaction

from guide.catalog import department_to_dict
from guide.models import Department, Material, Matter, Option, SearchIndexVersion, SearchLog, Situation, Synonym
from guide.search import (
    MATERIAL,
    OPTION_LABEL,
    RESULT,
    SITUATION_TEXT,
    MatterDoc,
    SearchIndex,
    SearchResult,
    SituationDoc,
)
from guide.textnorm import normalize

REFRESH_SECONDS = 2.0
SEARCHABLE = (Department, Matter, Situation, Material, Option, Synonym)

_lock = threading.Lock()
_state: dict = {"index": None, "version": None, "checked": 0.0, "building": False}
_pending = threading.local()


def documents() -> Iterator[MatterDoc]:
    """Every matter with the text of its situations, from the database."""
    departments = Department.objects.prefetch_related(
        "matters__steps",
        "matters__faqs",
        "matters__situations__materials",
        "matters__situations__review_points__material",
    )
    for dept in departments:
        for m in department_to_dict(dept)["matters"]:
            yield matter_doc(m, dept.name)


def matter_doc(m: dict, department: str) -> MatterDoc:
    """A matter in the catalog's dict shape (database or YAML) as a search document."""
    labels = defaultdict(list)
    for q in m["questions"]:
        for o in q["options"]:
            if o["situation"]:
                labels[o["situation"]].append((o["label"], OPTION_LABEL))
    situations = [
        SituationDoc(
            s["key"],
            s["name"],
            [
                (s["description"], SITUATION_TEXT),
                *labels[s["key"]],
                *((text, MATERIAL) for mat in s["materials"] for text in (mat["name"], mat["short_name"])),
            ],
        )
        for s in m["situations"]
    ]
    return MatterDoc(
        code=m["code"],
        name=m["name"],
        department=department,
        popular=m["popular"],
        keywords=m["keywords"],
        texts=[(m["result_name"], RESULT)],
        guide=m["guide"],
        situations=situations,
    )


def build_index() -> SearchIndex:
    return SearchIndex(documents(), Synonym.objects.values_list("phrase", "means"))


def current_version() -> int:
    row = SearchIndexVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


def get_index() -> SearchIndex:
    """This process's index; when the catalog changed, a fresh one is built in the background.

    Until the new index is ready, searches use the previous one: no request
    waits for a rebuild, except the very first of the process.
    """
    now = time.monotonic()
    if _state["index"] is not None and now - _state["checked"] < REFRESH_SECONDS:
        return _state["index"]
    with _lock:
        _state["checked"] = time.monotonic()
        version = current_version()
        if _state["index"] is None:
            _state["index"], _state["version"] = build_index(), version
        elif version != _state["version"] and not _state["building"]:
            _state["building"] = True
            threading.Thread(target=_rebuild, args=(version,), daemon=True, name="search-index").start()
        return _state["index"]


def _rebuild(version: int) -> None:
    from django.db import connection

    try:
        index = build_index()
        with _lock:
            _state["index"], _state["version"] = index, version
    finally:
        _state["building"] = False
        connection.close()  # this thread's own connection


def forget_index() -> None:
    """Drop this process's index (tests; the next search rebuilds it)."""
    _state.update(index=None, version=None, checked=0.0, building=False)


def bump_version() -> None:
    updated = SearchIndexVersion.objects.filter(pk=1).update(version=dj_models.F("version") + 1)
    if not updated:
        SearchIndexVersion.objects.get_or_create(pk=1, defaults={"version": 1})


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


def search(query: str, limit: int = 10, source: str = SearchLog.Source.PAGE, log: bool = True):
    """Run a search and log it anonymously; returns (result, log id or None)."""
    result: SearchResult = get_index().search(query, limit)
    log_id = None
    if log and query.strip():
        entry = SearchLog.objects.create(
            query=query.strip()[:100],
            normalized=normalize(query).strip()[:100],
            source=source,
            result_count=0 if result.fallback else len(result.hits),
            fallback=result.fallback,
            top_code=result.hits[0].code if result.hits and not result.fallback else "",
        )
        log_id = entry.pk
    return result, log_id


def record_click(log_id: int, code: str, rank: int | None) -> None:
    """Remember the first click of a search (later clicks on the same results are not counted)."""
    SearchLog.objects.filter(pk=log_id, clicked_code="").update(clicked_code=code[:16], clicked_rank=rank)
