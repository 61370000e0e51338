"""Loads checked catalog data into the database and reads it back in the same shape.

`matter_to_dict` is the exact inverse of what `catalog_check` produces, so a
matter whose data equals its stored form is left alone: loading twice changes
nothing, and a changed file touches only the matters that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from guide import schema
from guide.catalog_check import Problem, read_department_file, spec_matters
from guide.choices import ChangeSource
from guide.models import (
    CatalogChange,
    Department,
    Faq,
    Material,
    Matter,
    Option,
    Parameter,
    Question,
    ReviewPoint,
    Situation,
    Step,
)


def _plain(level) -> dict[str, str]:
    """catalog key -> model attribute for the fields a level keeps as they are."""
    return {f.key: f.model_attr for f in schema.stored_fields(level)}


MATTER_FIELDS = _plain(schema.MATTER)
SITUATION_FIELDS = {k: a for k, a in _plain(schema.SITUATION).items() if k != "key"}
MATERIAL_FIELDS = _plain(schema.MATERIAL)
REVIEW_FIELDS = _plain(schema.REVIEW_POINT)
STEP_FIELDS = _plain(schema.STEP)
FAQ_FIELDS = _plain(schema.FAQ)
PARAMETER_FIELDS = _plain(schema.PARAMETER)


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} 处错误")
        self.problems = problems


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"新增 {len(self.created)}，更新 {len(self.updated)}，未变 {len(self.unchanged)}"


def _fields(obj, fields: dict[str, str]) -> dict:
    return {key: getattr(obj, attr) for key, attr in fields.items()}


def matter_to_dict(matter: Matter) -> dict:
    """A stored matter in the normalised catalog shape."""
    m = {"code": matter.code, **_fields(matter, MATTER_FIELDS), "keywords": matter.keyword_list}
    m["steps"] = [_fields(s, STEP_FIELDS) for s in matter.steps.all()]
    m["faqs"] = [_fields(f, FAQ_FIELDS) for f in matter.faqs.all()]
    m["parameters"] = [_fields(p, PARAMETER_FIELDS) for p in matter.parameters.all()]
    m["situations"] = [
        {
            "key": s.key,
            **_fields(s, SITUATION_FIELDS),
            "materials": [_fields(mat, MATERIAL_FIELDS) for mat in s.materials.all()],
            "review_points": [
                {**_fields(rp, REVIEW_FIELDS), "material": rp.material.name if rp.material else ""}
                for rp in s.review_points.all()
            ],
        }
        for s in matter.situations.all()
    ]
    m["questions"] = [
        {
            "key": q.key,
            "text": q.text,
            "help": q.help_text,
            "options": [
                {
                    "key": o.key,
                    "label": o.label,
                    "next": o.next_question.key if o.next_question else None,
                    "situation": o.situation.key if o.situation else None,
                }
                for o in q.options.all()
            ],
        }
        for q in _questions_root_first(matter)
    ]
    return m


def digest(data: dict) -> str:
    """A fingerprint of a matter's content, to tell whether the database changed since a load."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def jsonable(data):
    """The dict shape with dates as text, for history rows."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def _questions_root_first(matter: Matter) -> list[Question]:
    questions = list(matter.questions.prefetch_related("options__next_question", "options__situation"))
    questions.sort(key=lambda q: (q.pk != matter.first_question_id, q.order, q.pk))
    return questions


PREFETCH = ("steps", "faqs", "parameters", "situations__materials", "situations__review_points__material")


def department_to_dict(dept: Department) -> dict:
    matters = dept.matters.prefetch_related(*PREFETCH)
    return {
        "code": dept.code,
        "name": dept.name,
        "order": dept.order,
        "defaults": {},
        "matters": [matter_to_dict(m) for m in matters],
    }


@dataclass
class Writer:
    """Who writes the catalog, for the history rows, and whether a file load may overwrite staff edits."""

    actor: str = "load_catalog"
    source: str = ChangeSource.LOAD
    force: bool = False


class ConflictError(Exception):
    def __init__(self, codes: list[str]):
        super().__init__("、".join(codes))
        self.codes = codes


def save_department(data: dict, result: LoadResult, writer: Writer | None = None) -> Department:
    writer = writer or Writer()
    dept, _ = Department.objects.update_or_create(
        code=data["code"], defaults={"name": data["name"], "order": data["order"]}
    )
    for m in data["matters"]:
        save_matter(dept, m, result, writer)
    return dept


def changed_since_load(matter: Matter, current: dict) -> bool:
    return bool(matter.loaded_digest) and digest(current) != matter.loaded_digest


def save_matter(dept: Department, data: dict, result: LoadResult, writer: Writer | None = None) -> Matter:
    writer = writer or Writer()
    matter = Matter.objects.filter(code=data["code"]).first()
    before = matter_to_dict(matter) if matter is not None else None
    if matter is not None and matter.department_id == dept.pk and before == data:
        result.unchanged.append(data["code"])
        return matter
    if (
        writer.source == ChangeSource.LOAD
        and matter is not None
        and not writer.force
        and changed_since_load(matter, before)
    ):
        result.conflicts.append(data["code"])
        return matter
    (result.updated if matter else result.created).append(data["code"])
    values = {attr: data[key] for key, attr in MATTER_FIELDS.items()}
    values["keywords"] = "\n".join(data["keywords"])
    if matter is None:
        matter = Matter(code=data["code"])
    for attr, value in values.items():
        setattr(matter, attr, value)
    matter.department = dept
    if writer.source == ChangeSource.LOAD:
        matter.loaded_digest = digest(data)
    matter.save()

    matter.steps.all().delete()
    Step.objects.bulk_create(
        Step(matter=matter, order=i, **_attrs(s, STEP_FIELDS)) for i, s in enumerate(data["steps"])
    )
    matter.faqs.all().delete()
    Faq.objects.bulk_create(Faq(matter=matter, order=i, **_attrs(f, FAQ_FIELDS)) for i, f in enumerate(data["faqs"]))
    matter.parameters.all().delete()
    Parameter.objects.bulk_create(
        Parameter(matter=matter, order=i, **_attrs(p, PARAMETER_FIELDS)) for i, p in enumerate(data["parameters"])
    )

    # Situations are matched by key, so their statistics survive a reload.
    existing = {s.key: s for s in matter.situations.all()}
    situations = {}
    for i, sd in enumerate(data["situations"]):
        situation = existing.pop(sd["key"], None) or Situation(matter=matter, key=sd["key"])
        situation.order = i
        for attr, value in _attrs(sd, SITUATION_FIELDS).items():
            setattr(situation, attr, value)
        situation.save()
        _save_materials(situation, sd)
        situations[sd["key"]] = situation
    for leftover in existing.values():
        leftover.delete()

    matter.first_question = None
    matter.save(update_fields=["first_question"])
    matter.questions.all().delete()
    questions = {
        qd["key"]: Question.objects.create(matter=matter, key=qd["key"], order=i, text=qd["text"], help_text=qd["help"])
        for i, qd in enumerate(data["questions"])
    }
    Option.objects.bulk_create(
        Option(
            question=questions[qd["key"]],
            key=od["key"],
            order=j,
            label=od["label"],
            next_question=questions.get(od["next"]) if od["next"] else None,
            situation=situations.get(od["situation"]) if od["situation"] else None,
        )
        for qd in data["questions"]
        for j, od in enumerate(qd["options"])
    )
    if data["questions"]:
        matter.first_question = questions[data["questions"][0]["key"]]
        matter.save(update_fields=["first_question"])
    record_change(writer.actor, writer.source, data["code"], before, data)
    return matter


def _attrs(data: dict, fields: dict[str, str]) -> dict:
    return {attr: data[key] for key, attr in fields.items()}


def record_change(actor: str, source: str, code: str, before: dict | None, after: dict | None) -> CatalogChange | None:
    """One history row for a change of one matter (nothing when nothing changed)."""
    if before == after:
        return None
    action = "create" if before is None else "delete" if after is None else "update"
    return CatalogChange.objects.create(
        actor=actor[:150],
        source=source,
        matter_code=code,
        action=action,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )


def _save_materials(situation: Situation, data: dict) -> None:
    # Materials are matched by name, so files uploaded in the admin survive a reload.
    existing = {m.name: m for m in situation.materials.all()}
    by_name = {}
    for i, md in enumerate(data["materials"]):
        material = existing.pop(md["name"], None) or Material(situation=situation)
        for attr, value in _attrs(md, MATERIAL_FIELDS).items():
            setattr(material, attr, value)
        material.order = i
        material.save()
        by_name[material.name] = material
    for leftover in existing.values():
        leftover.delete()
    situation.review_points.all().delete()
    ReviewPoint.objects.bulk_create(
        ReviewPoint(
            situation=situation,
            order=i,
            material=by_name.get(rp["material"]),
            **_attrs(rp, REVIEW_FIELDS),
        )
        for i, rp in enumerate(data["review_points"])
    )


def check_files(paths: Iterable[Path]) -> tuple[list[dict], list[Problem]]:
    spec = spec_matters()
    departments, problems = [], []
    for path in paths:
        dept, found = read_department_file(path, spec)
        problems += found
        if dept:
            departments.append(dept)
    return departments, problems


def load_departments(departments: list[dict], writer: Writer | None = None) -> LoadResult:
    """Write checked departments in one transaction: all of them or, on any error or conflict, none.

    A file load does not overwrite a matter staff changed in the database since
    it was loaded (the database is canonical); `Writer(force=True)` does.
    """
    result = LoadResult()
    with transaction.atomic():
        for dept in departments:
            save_department(dept, result, writer)
        if result.conflicts:
            transaction.set_rollback(True)
            raise ConflictError(result.conflicts)
    return result


def load_files(paths: Iterable[Path], writer: Writer | None = None) -> LoadResult:
    departments, problems = check_files(paths)
    if problems:
        raise CatalogError(problems)
    return load_departments(departments, writer)
