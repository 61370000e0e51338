"""A backup restores into a fresh database and media directory with every row and file it had."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Case, Photo
from ops.tests.conftest import jpeg

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and the SQLite backup read committed rows
ROOT = Path(__file__).resolve().parents[2]


def restore_command(source: Path, database_url: str, media: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "minsheng.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(source), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database beside the test database, and its URL; dropped afterwards."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"{db['NAME']}_restore"
    admin = dict(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def case_numbers(database_url: str) -> list[str]:
    """The case numbers a database holds, read without Django (it is not this test's database)."""
    query = "SELECT number FROM cases_case ORDER BY number"
    if database_url.startswith("sqlite"):
        import sqlite3

        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as conn:
            return [row[0] for row in conn.execute(query)]
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        return [row[0] for row in conn.execute(query)]


def test_backup_restores_into_a_fresh_database_with_the_same_rows_and_photos(new_case, tmp_path, fresh_database):
    for i in range(3):
        new_case(text=f"路灯坏了 {i}", photos=[jpeg(f"p{i}.jpg")])
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)
    source = Path(out.getvalue().strip())
    assert (source / ("db.dump" if connection.vendor == "postgresql" else "db.sqlite3")).exists()

    media = tmp_path / "restored-media"
    result = restore_command(source, fresh_database, media, "--commit")
    assert result.returncode == 0, result.stderr
    assert "行数与备份一致" in result.stdout  # the command compares every table's rows with the manifest
    assert case_numbers(fresh_database) == sorted(Case.objects.values_list("number", flat=True))
    photos = list(Photo.objects.all())
    assert len(photos) == 3
    for photo in photos:
        assert (media / photo.image.name).read_bytes() == (Path(settings.MEDIA_ROOT) / photo.image.name).read_bytes()


def test_restore_checks_first_and_never_writes_over_a_database_in_use(new_case, tmp_path):
    new_case()
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path), stdout=out)
    source = out.getvalue().strip()
    dry = io.StringIO()
    call_command("restore", source, stdout=dry)
    assert "只是检查；加 --commit 执行。" in dry.getvalue()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", source, "--commit", stdout=io.StringIO())
    assert Case.objects.count() == 1


def test_old_backups_beyond_the_number_kept_are_removed(db, tmp_path):
    from ops.backup import backup

    made = []
    for i in range(3):
        path = backup(tmp_path, keep=2)
        made.append(path.rename(tmp_path / f"2026010{i}-000000"))
    backup(tmp_path, keep=2)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == 2 and "20260100-000000" not in kept and "20260101-000000" not in kept
