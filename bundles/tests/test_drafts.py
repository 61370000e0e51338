"""Bundles waiting for matters the catalog lacks (content/bundles/drafts/): well formed, and still waiting."""

from pathlib import Path

import pytest
from django.conf import settings

from bundles.loading import catalog_questions
from bundles.schema import read_bundle_file

DRAFTS = sorted((Path(settings.BUNDLES_DIR) / "drafts").glob("*.yaml"))


@pytest.mark.parametrize("path", DRAFTS, ids=[p.stem for p in DRAFTS])
def test_a_draft_is_well_formed(path):
    data, problems = read_bundle_file(path)
    assert data is not None and problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", DRAFTS, ids=[p.stem for p in DRAFTS])
def test_a_draft_waits_only_while_the_catalog_lacks_its_matters(shipped, path):
    data, _ = read_bundle_file(path)
    catalog = catalog_questions()
    missing = [c["matter"] for c in data["components"] if c["matter"] not in catalog]
    assert missing, f"{path.name}: every matter it needs is in the catalog now; write its questions and ship it"
