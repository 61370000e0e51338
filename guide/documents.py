"""The catalog's matters as search documents, registered with search as the kind "matter"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from guide.catalog import department_to_dict
from guide.models import Department, Material, Matter, Option, Situation
from search.engine import MATERIAL, OPTION_LABEL, RESULT, SITUATION_TEXT, Document, Part
from search.registry import SERVICES, Kind


def documents() -> Iterator[Document]:
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


def matter_doc(m: dict, department: str) -> Document:
    """A matter in the catalog's dict shape (database or YAML) as a search document."""
    labels = defaultdict(list)
    for q in m["questions"]:
        for o in q["options"]:
            if o["situation"]:
                labels[o["situation"]].append((o["label"], OPTION_LABEL))
    situations = [
        Part(
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
    return Document(
        kind="matter",
        code=m["code"],
        name=m["name"],
        department=department,
        popular=m["popular"],
        keywords=m["keywords"],
        texts=[(m["result_name"], RESULT)],
        guide=m["guide"],
        parts=situations,
    )


def url(code: str, situation: str | None) -> str:
    if situation:
        return reverse("guide:checklist", args=[code, situation])
    return reverse("guide:matter", args=[code])


def locate(code: str, situation: str) -> str | None:
    """The matter's page (its situation's checklist when that exists), or None when there is no such matter."""
    matter = Matter.objects.filter(code=code.upper()).first()
    if matter is None:
        return None
    if situation and matter.situations.filter(key=situation).exists():
        return url(matter.code, situation)
    return url(matter.code, None)


MATTERS = Kind(
    name="matter",
    index=SERVICES,
    documents=documents,
    url=url,
    locate=locate,
    models=(Department, Matter, Situation, Material, Option),
)
