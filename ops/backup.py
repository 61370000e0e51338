"""Backups: the database (pg_dump, or SQLite's online backup API) and the uploaded files, in one directory.

A backup directory holds db.dump (PostgreSQL, custom format) or db.sqlite3, media.tar.gz and
manifest.json (when, which engine, row counts per model to check a restore against). It is written
under a temporary name and renamed when complete, so a half-written backup never looks like one.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _engine(alias: str = "default") -> str:
    return "postgresql" if connections[alias].vendor == "postgresql" else "sqlite"


def pg_env(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore/psql, the password in the environment (not argv)."""
    db = settings.DATABASES[alias]
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def row_counts(alias: str = "default") -> dict[str, int]:
    """Rows per model of every installed app (the manifest's and the restore check's figures)."""
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._base_manager.using(alias).count()
    return counts


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup(target_dir: Path | None = None, keep: int | None = None) -> Path:
    """Write a complete backup and return its directory; older ones beyond `keep` are removed."""
    root = Path(target_dir or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    name = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = root / name
    partial = root / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)  # phone numbers and photos of residents: for the site's own account only
    engine = _engine()
    try:
        counts = row_counts()
        if engine == "postgresql":
            args, env = pg_env()
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial / 'db.dump'}", *args],
                env,
            )
        else:
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            copy = sqlite3.connect(partial / "db.sqlite3")
            with copy:
                source.backup(copy)  # consistent while the site keeps writing
            copy.close()
            source.close()
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / "media.tar.gz", "w:gz") as tar:
            if media.is_dir():
                tar.add(media, arcname="media")
        manifest = {"created": timezone.now().isoformat(), "engine": engine, "counts": counts}
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).exists())[
        : -(keep or settings.BACKUP_KEEP)
    ]:
        shutil.rmtree(old)
    return final


def read_manifest(source: Path) -> dict:
    try:
        return json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{source} is not a complete backup (no readable {MANIFEST})") from None


def database_is_empty(alias: str = "default") -> bool:
    with connections[alias].cursor() as cursor:
        return "django_migrations" not in connections[alias].introspection.table_names(cursor)


def restore(source: Path, alias: str = "default") -> dict[str, tuple[int, int]]:
    """Load a backup into the (empty) configured database and media directory.

    Returns {model: (rows in the manifest, rows now)} for every model whose figures differ; empty when
    the restore matches the backup.
    """
    source = Path(source)
    manifest = read_manifest(source)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of {manifest['engine']}, the database is {engine}")
    if not database_is_empty(alias):
        raise BackupError("the database is not empty: restore into a new database (see the README)")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise BackupError(f"{media} is not empty: restore into a new media directory")
    if engine == "postgresql":
        args, env = pg_env(alias)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(source / "db.dump"),
            ],
            env,
        )
    else:
        connections[alias].close()
        backup_db = sqlite3.connect(source / "db.sqlite3")
        target = sqlite3.connect(settings.DATABASES[alias]["NAME"])
        with target:
            backup_db.backup(target)
        target.close()
        backup_db.close()
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
        for member in tar.getmembers():
            member.name = member.name.removeprefix("media").lstrip("/") or "."
        tar.extractall(media, filter="data")
    connections[alias].close()
    now = row_counts(alias)
    return {label: (n, now.get(label, -1)) for label, n in manifest["counts"].items() if now.get(label, -1) != n}
