"""Loads checked catalog data into the database and reads it back in the same shape.

`matter_to_dict` is the exact inverse of what `catalog_check` produces, so a
matter whose data equals its stored form is left alone: loading twice changes
nothing, and a changed file touches only the matters that changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from guide.catalog_check import Problem, read_department_file, spec_matters
from guide.models import Department, Faq, Material, Matter, Option, Question, ReviewPoint, Situation, Step

# catalog key -> Matter field, for the plain fields
MATTER_FIELDS = {
    "name": "name",
    "type": "matter_type",
    "implementing_body": "implementing_body",
    "service_object": "service_object",
    "legal_basis": "legal_basis",
    "acceptance_conditions": "acceptance_conditions",
    "fee": "fee",
    "place": "place",
    "office_hours": "office_hours",
    "consult_phone": "consult_phone",
    "complaint_phone": "complaint_phone",
    "online_depth": "online_depth",
    "online_url": "online_url",
    "visit_reason": "visit_reason",
    "result_name": "result_name",
    "guide": "plain_guide",
    "legal_limit_days": "legal_limit_days",
    "promised_limit_days": "promised_limit_days",
    "visits": "visits",
    "popular": "popular",
}
MATERIAL_FIELDS = {
    "name": "name",
    "short_name": "short_name",
    "original": "original",
    "medium": "medium",
    "necessity": "necessity",
    "source": "source",
    "issuer": "issuer",
    "blank_form": "blank_form",
    "standard": "standard",
    "tip": "tip",
    "copies": "copies",
    "sample": "has_sample",
}
REVIEW_FIELDS = {
    "legal": "legal_text",
    "plain": "plain_text",
    "kind": "kind",
    "basis": "legal_basis",
    "on_failure": "on_failure",
}


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} 处错误")
        self.problems = problems


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"新增 {len(self.created)}，更新 {len(self.updated)}，未变 {len(self.unchanged)}"


def matter_to_dict(matter: Matter) -> dict:
    """A stored matter in the normalised catalog shape."""
    m = {"code": matter.code}
    m.update({key: getattr(matter, attr) for key, attr in MATTER_FIELDS.items()})
    m["keywords"] = matter.keyword_list
    m["steps"] = [
        {"name": s.name, "description": s.description, "time_limit": s.time_limit} for s in matter.steps.all()
    ]
    m["faqs"] = [{"q": f.question, "a": f.answer} for f in matter.faqs.all()]
    m["situations"] = [
        {
            "key": s.key,
            "name": s.name,
            "description": s.description,
            "fee": s.fee,
            "materials": [{k: getattr(mat, a) for k, a in MATERIAL_FIELDS.items()} for mat in s.materials.all()],
            "review_points": [
                {
                    **{k: getattr(rp, a) for k, a in REVIEW_FIELDS.items()},
                    "material": rp.material.name if rp.material else "",
                }
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


def _questions_root_first(matter: Matter) -> list[Question]:
    questions = list(matter.questions.prefetch_related("options__next_question", "options__situation"))
    questions.sort(key=lambda q: (q.pk != matter.first_question_id, q.order, q.pk))
    return questions


def department_to_dict(dept: Department) -> dict:
    matters = dept.matters.prefetch_related(
        "steps", "faqs", "situations__materials", "situations__review_points__material"
    )
    return {
        "code": dept.code,
        "name": dept.name,
        "order": dept.order,
        "defaults": {},
        "matters": [matter_to_dict(m) for m in matters],
    }


def save_department(data: dict, result: LoadResult) -> Department:
    dept, _ = Department.objects.update_or_create(
        code=data["code"], defaults={"name": data["name"], "order": data["order"]}
    )
    for m in data["matters"]:
        save_matter(dept, m, result)
    return dept


def save_matter(dept: Department, data: dict, result: LoadResult) -> Matter:
    matter = Matter.objects.filter(code=data["code"]).first()
    if matter is not None and matter.department_id == dept.pk and matter_to_dict(matter) == data:
        result.unchanged.append(data["code"])
        return matter
    (result.updated if matter else result.created).append(data["code"])
    values = {attr: data[key] for key, attr in MATTER_FIELDS.items()}
    values["keywords"] = "\n".join(data["keywords"])
    if matter is None:
        matter = Matter.objects.create(code=data["code"], department=dept, **values)
    else:
        for attr, value in values.items():
            setattr(matter, attr, value)
        matter.department = dept
        matter.save()

    matter.steps.all().delete()
    Step.objects.bulk_create(Step(matter=matter, order=i, **s) for i, s in enumerate(data["steps"]))
    matter.faqs.all().delete()
    Faq.objects.bulk_create(
        Faq(matter=matter, order=i, question=f["q"], answer=f["a"]) for i, f in enumerate(data["faqs"])
    )

    # Situations are matched by key, so their statistics survive a reload.
    existing = {s.key: s for s in matter.situations.all()}
    situations = {}
    for i, sd in enumerate(data["situations"]):
        situation = existing.pop(sd["key"], None) or Situation(matter=matter, key=sd["key"])
        situation.order, situation.name, situation.description, situation.fee = (
            i,
            sd["name"],
            sd["description"],
            sd["fee"],
        )
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
    return matter


def _save_materials(situation: Situation, data: dict) -> None:
    # Materials are matched by name, so files uploaded in the admin survive a reload.
    existing = {m.name: m for m in situation.materials.all()}
    by_name = {}
    for i, md in enumerate(data["materials"]):
        material = existing.pop(md["name"], None) or Material(situation=situation)
        for key, attr in MATERIAL_FIELDS.items():
            setattr(material, attr, md[key])
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
            **{attr: rp[key] for key, attr in REVIEW_FIELDS.items()},
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


def load_departments(departments: list[dict]) -> LoadResult:
    """Write checked departments in one transaction: all of them or, on any error, none."""
    result = LoadResult()
    with transaction.atomic():
        for dept in departments:
            save_department(dept, result)
    return result


def load_files(paths: Iterable[Path]) -> LoadResult:
    departments, problems = check_files(paths)
    if problems:
        raise CatalogError(problems)
    return load_departments(departments)
