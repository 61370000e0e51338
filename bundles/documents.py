"""Bundles as search documents (kind "bundle"): a life-event query answers the bundle first."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from bundles.models import Bundle, Component, SharedQuestion
from search.engine import SITUATION_TEXT, Document
from search.registry import SERVICES, Kind

# Words a resident uses when asking for everything an event takes, not one matter.
CUES = ("哪些手续", "要办哪些", "办哪些", "哪些事", "一件事", "都要办", "全套手续", "一条龙", "要跑哪些")


def documents() -> Iterator[Document]:
    for bundle in Bundle.objects.prefetch_related("components__matter__department"):
        components = list(bundle.components.all())
        departments = {c.matter.department_id for c in components}
        yield Document(
            kind="bundle",
            code=bundle.code,
            name=bundle.name,
            department=f"{len(departments)} 个部门联办",
            popular=bundle.popular,
            keywords=bundle.keyword_list,
            # Its own words only: the matters' names would make it answer every query one of them answers.
            texts=[(bundle.summary, SITUATION_TEXT)],
            guide=bundle.summary,
            parts=[],
        )


def url(code: str, part: str | None = None) -> str:
    return reverse("bundles:detail", args=[code])


def locate(code: str, part: str) -> str | None:
    return url(code) if Bundle.objects.filter(code=code).exists() else None


BUNDLES = Kind(
    name="bundle",
    index=SERVICES,
    documents=documents,
    url=url,
    locate=locate,
    models=(Bundle, Component, SharedQuestion),
    preferred=True,
    cues=CUES,
    badge="一件事",
)
