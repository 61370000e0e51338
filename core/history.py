"""Append-only history tables: rows are written once and never changed or deleted.

Three layers refuse a change: the model (save of an existing row, delete), the queryset
(update, delete) and, on PostgreSQL, a trigger that refuses UPDATE and DELETE whoever asks
(a migration adds it with `AppendOnlyTrigger("app_table")`). SQLite gets an UPDATE trigger
only: a DELETE trigger there would also stop the test database's flush, which deletes row by
row (PostgreSQL's TRUNCATE fires no row triggers).
"""

from __future__ import annotations

from django.db import models
from django.db.migrations.operations.base import Operation

REFUSED = "历史记录只能追加，不能修改或删除"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(REFUSED)

    def delete(self):
        raise PermissionError(REFUSED)


class AppendOnlyModel(models.Model):
    """Base for history rows (case events, project activity, catalog changes)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError(REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(REFUSED)


class AppendOnlyTrigger(Operation):
    """Migration operation: the database itself refuses changes to `table`'s rows."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str):
        self.table = table

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table], {})

    def describe(self):
        return f"Make {self.table} append-only"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        t = self.table
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {t}_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{t} is append-only'; END; $$ LANGUAGE plpgsql"
            )
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_no_change ON {t}")
            schema_editor.execute(
                f"CREATE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION {t}_append_only()"
            )
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
            schema_editor.execute(
                f"CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t} "
                f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        t = self.table
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_no_change ON {t}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {t}_append_only()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
