"""Row locks for read-check-write inside a transaction."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def locked(instance: M) -> M:
    """The row re-read under a lock (PostgreSQL SELECT … FOR UPDATE; SQLite already serialises
    writers with BEGIN IMMEDIATE). Call inside transaction.atomic."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)
