"""Reference data of the request hub, loaded from content/reference/ (and editable in the admin afterwards).

- units.tsv: the 26 units of the 综治中心 (codes and names as the district gave them);
- case-categories.tsv: the responsibility list (category → level, unit, time limits);
- holidays.yaml: public holidays and make-up workdays;
- content/cases/categories.yaml: residents' words for each category (for the suggestion).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from cases.models import Category, Holiday
from grid.models import Unit

REFERENCE = Path(settings.BASE_DIR) / "content" / "reference"
CATEGORY_WORDS = Path(settings.BASE_DIR) / "content" / "cases" / "categories.yaml"


def _update_or_create(model, key: dict, values: dict) -> None:
    model.objects.update_or_create(**key, defaults=values)


def _create_missing(model, key: dict, values: dict) -> None:
    model.objects.get_or_create(**key, defaults=values)


def _tsv(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@transaction.atomic
def load_reference(
    directory: Path = REFERENCE, words: Path = CATEGORY_WORDS, *, only_missing: bool = False
) -> dict[str, int]:
    """Create or update units, categories and holidays; idempotent.

    With only_missing, rows that exist are left as they are (so `make run` never
    undoes what staff changed in the admin).
    """
    save = _create_missing if only_missing else _update_or_create
    for row in _tsv(directory / "units.tsv"):
        save(Unit, {"code": row["code"]}, {"name": row["unit"], "kind": row["kind"]})
    extra = {}
    if words.exists():
        for entry in (yaml.safe_load(words.read_text(encoding="utf-8")) or {}).get("categories", []):
            extra[entry["code"]] = entry
    for row in _tsv(directory / "case-categories.tsv"):
        more = extra.get(row["code"], {})
        save(
            Category,
            {"code": row["code"]},
            {
                "name": row["category"],
                "default_level": row["default_level"],
                "default_unit": Unit.objects.get(code=row["default_unit"]),
                "respond_hours": int(row["respond_hours"]),
                "resolve_workdays": int(row["resolve_workdays"]),
                "description": more.get("description", ""),
                "keywords": "\n".join(more.get("keywords", [])),
            },
        )
    holidays = yaml.safe_load((directory / "holidays.yaml").read_text(encoding="utf-8"))
    for is_workday, key in ((False, "days_off"), (True, "workdays")):
        for entry in holidays.get(key, []):
            day = entry["date"] if isinstance(entry["date"], dt.date) else dt.date.fromisoformat(entry["date"])
            save(Holiday, {"date": day}, {"is_workday": is_workday, "note": entry["note"]})
    return {"units": Unit.objects.count(), "categories": Category.objects.count(), "holidays": Holiday.objects.count()}
