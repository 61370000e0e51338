"""Cells of spreadsheets we export: text that a spreadsheet would run as a formula is kept as text."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value for openpyxl: strings starting like a formula (=, +, -, @, tab, CR) get a leading apostrophe,
    so a resident's comment "=HYPERLINK(…)" is shown as typed, never evaluated (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
