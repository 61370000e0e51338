"""Apps register their documents with search; search imports none of them, and guide and cases not each other."""

import ast
from pathlib import Path

import pytest

from search import registry
from search.indexes import find, get_index

ROOT = Path(__file__).resolve().parents[2]


def imported_apps(app: str) -> set[str]:
    """Top-level packages the app's own modules import (tests and migrations aside)."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(ROOT / app).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return found


def test_search_imports_no_app_that_registers_documents():
    assert not imported_apps("search") & {"guide", "cases", "bundles", "grid", "projects"}


def test_guide_and_cases_do_not_import_each_other():
    assert "cases" not in imported_apps("guide")
    assert "guide" not in imported_apps("cases")


def test_guide_registers_matters_and_cases_registers_categories():
    assert registry.get_kind("matter").index == registry.SERVICES
    assert registry.get_kind("category").index == registry.PROBLEMS
    assert registry.get_kind("category") not in registry.kinds(registry.SERVICES)


@pytest.mark.django_db
def test_hits_carry_their_kind_and_page(fresh_search):
    hit = find("身份证弄丢了", 1).hits[0]
    assert (hit.kind, hit.code, hit.url) == ("matter", "GA07", "/guide/GA07/checklist/lost/")
    category = get_index(registry.PROBLEMS).search("路灯坏了", 1).hits[0]
    assert (category.kind, category.code) == ("category", "C13")


@pytest.mark.django_db
def test_api_results_carry_kind(client, fresh_search):
    results = client.get("/api/guide/search", {"q": "社保卡弄丢了"}).json()["results"]
    assert results and all(r["kind"] in ("matter", "bundle") for r in results)
