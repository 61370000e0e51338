"""Bundle files into the database and back, in the shape `schema` checks.

`bundle_to_dict` is the inverse of `schema.normalize`, so a bundle whose file
equals its stored form is left alone: loading twice changes nothing, and a
changed file rewrites only its own bundle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from bundles import schema
from bundles.models import (
    AnswerMapping,
    Bundle,
    Component,
    FormField,
    PlannedMatter,
    PresetAnswer,
    SharedOption,
    SharedQuestion,
)
from guide.models import Matter, Option


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"新增 {len(self.created)}，更新 {len(self.updated)}，未变 {len(self.unchanged)}"


class BundleError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} 处错误")
        self.problems = problems


def catalog_questions() -> schema.Catalog:
    """Every matter's question keys with their option keys, as the catalog holds them now."""
    catalog: schema.Catalog = {code: {} for code in Matter.objects.values_list("code", flat=True)}
    for code, question, option in Option.objects.values_list("question__matter__code", "question__key", "key"):
        catalog[code].setdefault(question, set()).add(option)
    for matter in Matter.objects.prefetch_related("questions"):
        for q in matter.questions.all():
            catalog[matter.code].setdefault(q.key, set())
    return catalog


def bundle_to_dict(bundle: Bundle) -> dict:
    """A stored bundle in the file's normalised shape."""
    components = list(bundle.components.select_related("matter").prefetch_related("presets").order_by("order", "id"))
    code_of = {c.pk: c.matter.code for c in components}
    form: list[dict] = []
    for f in bundle.form_fields.all():
        if not form or form[-1]["section"] != f.section:
            form.append({"section": f.section, "fields": []})
        form[-1]["fields"].append(f.label)
    questions = []
    for q in bundle.questions.prefetch_related("options__answers"):
        options = []
        for o in q.options.all():
            answers: dict[str, dict[str, str]] = {}
            for a in o.answers.all():
                answers.setdefault(code_of[a.component_id], {})[a.question_key] = a.option_key
            options.append({"key": o.key, "label": o.label, "answers": answers, "skip": sorted(set(o.skip_codes))})
        questions.append({"key": q.key, "text": q.text, "help": q.help_text, "options": options})
    return {
        "code": bundle.code,
        "name": bundle.name,
        "lead": bundle.lead,
        "summary": bundle.summary,
        "popular": bundle.popular,
        "order": bundle.order,
        "keywords": bundle.keyword_list,
        "components": [
            {
                "matter": c.matter.code,
                "stage": c.stage,
                "waits_for": c.waits_for,
                "note": c.note,
                "answers": {p.question_key: p.option_key for p in c.presets.all()},
            }
            for c in components
        ],
        "questions": questions,
        "form": form,
        "planned": [
            {"code": p.code, "name": p.name, "department": p.department, "note": p.note} for p in bundle.planned.all()
        ],
    }


def save_bundle(data: dict, result: LoadResult) -> Bundle:
    """Write one checked bundle (its children replaced as a whole) unless it is stored exactly so."""
    bundle = Bundle.objects.filter(code=data["code"]).first()
    if bundle is not None and bundle_to_dict(bundle) == data:
        result.unchanged.append(data["code"])
        return bundle
    (result.updated if bundle else result.created).append(data["code"])
    values = {key: data[key] for key in ("name", "lead", "summary", "popular", "order")}
    values["keywords"] = "\n".join(data["keywords"])
    bundle, _ = Bundle.objects.update_or_create(code=data["code"], defaults=values)
    bundle.questions.all().delete()
    bundle.components.all().delete()
    bundle.form_fields.all().delete()
    bundle.planned.all().delete()
    matters = Matter.objects.in_bulk([c["matter"] for c in data["components"]], field_name="code")
    components = {
        c["matter"]: Component.objects.create(
            bundle=bundle,
            matter=matters[c["matter"]],
            order=i,
            stage=c["stage"],
            waits_for=c["waits_for"],
            note=c["note"],
        )
        for i, c in enumerate(data["components"])
    }
    PresetAnswer.objects.bulk_create(
        PresetAnswer(component=components[c["matter"]], question_key=qkey, option_key=okey)
        for c in data["components"]
        for qkey, okey in c["answers"].items()
    )
    for i, qd in enumerate(data["questions"]):
        question = SharedQuestion.objects.create(
            bundle=bundle, key=qd["key"], order=i, text=qd["text"], help_text=qd["help"]
        )
        for j, od in enumerate(qd["options"]):
            option = SharedOption.objects.create(
                question=question, key=od["key"], order=j, label=od["label"], skips=" ".join(od["skip"])
            )
            AnswerMapping.objects.bulk_create(
                AnswerMapping(option=option, component=components[code], question_key=qkey, option_key=okey)
                for code, pairs in od["answers"].items()
                for qkey, okey in pairs.items()
            )
    FormField.objects.bulk_create(
        FormField(bundle=bundle, order=i, section=section["section"], label=label)
        for i, (section, label) in enumerate((s, label) for s in data["form"] for label in s["fields"])
    )
    PlannedMatter.objects.bulk_create(PlannedMatter(bundle=bundle, order=i, **p) for i, p in enumerate(data["planned"]))
    return bundle


def check_files(paths: Iterable[Path]) -> tuple[list[dict], list[str]]:
    """Every file read and checked against the catalog as the database holds it."""
    catalog = catalog_questions()
    bundles, found = [], []
    for path in paths:
        data, problems = read_bundle_file_checked(path, catalog)
        found += problems
        if data is not None:
            bundles.append(data)
    codes = [b["code"] for b in bundles]
    for code in {c for c in codes if codes.count(c) > 1}:
        found.append(f"一件事编码 {code} 重复")
    return bundles, found


def read_bundle_file_checked(path: Path, catalog: schema.Catalog) -> tuple[dict | None, list[str]]:
    data, found = schema.read_bundle_file(path)
    if data is not None and not found:
        found = [f"{path.name}: {p}" for p in schema.problems(data, catalog)]
    return data, found


def load_bundles(bundles: list[dict]) -> LoadResult:
    """Write checked bundles in one transaction: all of them or, on any error, none."""
    result = LoadResult()
    with transaction.atomic():
        for data in bundles:
            save_bundle(data, result)
    return result


def load_files(paths: Iterable[Path]) -> LoadResult:
    bundles, problems = check_files(paths)
    if problems:
        raise BundleError(problems)
    return load_bundles(bundles)


def audit_all() -> dict[str, list[str]]:
    """Problems of every stored bundle against the catalog as it is now (after admin edits or reloads)."""
    catalog = catalog_questions()
    found = {}
    for bundle in Bundle.objects.all():
        problems = schema.problems(bundle_to_dict(bundle), catalog)
        if problems:
            found[bundle.code] = problems
    return found
