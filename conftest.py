"""Shared fixtures: the real catalog and reference data are loaded once per test session; personas per role."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

TEST_CATALOG = Path(__file__).parent / "guide" / "tests" / "data" / "TS.yaml"

pytest_plugins = ["minsheng.tests.browser"]  # the shared Chromium, phone/desktop pages, axe-core


def pytest_sessionfinish(session):
    """Remove this run's SQLite test database with its WAL files (the name is per process)."""
    test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{test_name}{suffix}").unlink(missing_ok=True)


def pytest_configure(config):
    # Personas get passwords; the production hasher takes ~0.3 s per user by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test sees the shipped catalog, loaded once (tests roll back their own changes)."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)
        if any(Path(settings.CATALOG_DIR).glob("*.yaml")):
            call_command("load_catalog", verbosity=0)


@pytest.fixture
def test_catalog(db):
    """The small test department TS (TS01 with a two-level flow, TS02 with one situation)."""
    call_command("load_catalog", str(TEST_CATALOG), verbosity=0)
    from guide.models import Matter

    return Matter.objects.get(code="TS01")


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import User

    return User.objects.create_user("editor-t", password="pw-editor-t", is_staff=True)


@pytest.fixture
def fresh_search():
    """A search index built from what this test's database holds now."""
    from guide import searching

    searching.forget_index()
    yield searching
    searching.forget_index()
