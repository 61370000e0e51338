"""Case events are append-only at the database too, whoever asks.

PostgreSQL refuses UPDATE and DELETE of a row. SQLite refuses UPDATE; a
DELETE is already refused by the ORM (PROTECT, and the model and queryset
guards), and a trigger there would also stop test-database flushes, which
delete row by row (PostgreSQL's TRUNCATE fires no row triggers).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'case events are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_caseevent_no_change BEFORE UPDATE OR DELETE ON cases_caseevent
       FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only()""",
]


def create(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_caseevent_no_change ON cases_caseevent")
        schema_editor.execute("DROP FUNCTION IF EXISTS cases_caseevent_append_only()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_caseevent_no_update")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
