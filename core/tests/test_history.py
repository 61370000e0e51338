"""Every history table refuses changes: through the ORM, and at the database itself."""

import pytest
from django.apps import apps
from django.db import connection

from core.history import AppendOnlyModel

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]


def test_the_platform_has_history_tables():
    names = {m._meta.label for m in HISTORY_MODELS}
    assert {"cases.CaseEvent", "projects.Activity"} <= names


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.label)
def test_the_database_has_a_trigger_that_refuses_changes(model):
    """A new history table without its AppendOnlyTrigger migration fails here (rows: see each app's tests)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgtype FROM pg_trigger WHERE tgname = %s", [f"{table}_no_change"])
            row = cursor.fetchone()
            assert row is not None
            assert row[0] & 8 and row[0] & 16  # fires on DELETE and on UPDATE
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{table}_no_update"])
            row = cursor.fetchone()
            assert row is not None and "BEFORE UPDATE" in row[0]


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.label)
def test_the_orm_refuses_updates_and_deletes(model):
    with pytest.raises(PermissionError):
        model.objects.all().update(id=1)
    with pytest.raises(PermissionError):
        model.objects.all().delete()
