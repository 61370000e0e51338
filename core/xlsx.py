"""Cells of spreadsheets we export: text that a spreadsheet would run as a formula stays text.

A resident's comment "=HYPERLINK(…)" or "+1 坏了" must be shown as typed, never evaluated
(formula injection). Such a value is written as a string cell with Excel's quote prefix: the
value itself is unchanged (so a round trip through Excel gives it back), only its type is fixed.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(ws, value):
    """The value, or for text that starts like a formula a text cell with the quote prefix."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def safe_row(ws, values) -> list:
    return [safe_cell(ws, v) for v in values]
