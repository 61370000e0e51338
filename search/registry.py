"""The kinds of documents search can find. Apps register theirs in `AppConfig.ready()`.

search imports no app that has documents: guide registers matters, bundles
its bundles, cases its categories. A kind says which index it belongs to
(services residents can get done, or problems they can report), how to read
its documents from the database, where its pages are, and which models' saves
must rebuild the index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_delete, post_save

from search.engine import Document

SERVICES = "services"  # matters and bundles: what residents can get done
PROBLEMS = "problems"  # case categories: what residents can report


@dataclass(frozen=True)
class Kind:
    """One kind of document, as its app describes it to search."""

    name: str  # "matter", "bundle", "category": the `kind` of hits and of the API results
    index: str  # SERVICES or PROBLEMS
    documents: Callable[[], Iterable[Document]]  # every document of this kind, from the database
    url: Callable[[str, str | None], str]  # (code, part key) → page; no database access
    locate: Callable[[str, str], str | None]  # (code, part key) → page if it exists, else None
    models: tuple[type[models.Model], ...] = ()  # saving or deleting one of these rebuilds the index
    preferred: bool = False  # answers a whole life event: ahead of single documents when it fits better
    cues: tuple[str, ...] = ()  # words that ask for this kind (要办哪些手续, 坏了)
    badge: str = ""  # shown beside its hits (一件事); empty for the ordinary kind


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add a kind (again: replace it); saves of its models move the index version."""
    from search.indexes import content_changed

    _kinds[kind.name] = kind
    for model in kind.models:
        uid = f"search-{kind.name}-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")


def kinds(index: str | None = None) -> list[Kind]:
    return [k for k in _kinds.values() if index is None or k.index == index]


def get_kind(name: str) -> Kind | None:
    return _kinds.get(name)
