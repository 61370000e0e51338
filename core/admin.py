"""Admin helpers shared by every app (core registers no models of its own)."""

from __future__ import annotations

from django.contrib import admin


def column(field: str, label: str, *, boolean: bool = False):
    """A list_display column for `field` headed `label`: for fields whose model gives no Chinese name,
    without a migration. Sorts by the field, as the plain field name would."""

    @admin.display(description=label, ordering=field, boolean=boolean or None)
    def show(obj):
        return getattr(obj, field)

    show.__name__ = field
    return show
