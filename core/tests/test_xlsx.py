"""Text that looks like a formula is written as text, unchanged, so a round trip gives it back."""

import io

from openpyxl import Workbook, load_workbook

from core.xlsx import safe_row


def test_formula_like_text_is_a_quoted_string_and_other_values_are_untouched():
    book = Workbook()
    ws = book.active
    ws.append(safe_row(ws, ["=1+1", "@SUM(A1)", "-3 度", "正常", 42, None]))
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.value for c in row[:5]] == ["=1+1", "@SUM(A1)", "-3 度", "正常", 42]
    assert all(c.data_type == "s" and c.quotePrefix for c in row[:3])
    assert not row[3].quotePrefix and row[4].data_type == "n"
