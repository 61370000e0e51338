"""Showing rates: percentages with one decimal, "—" where there is nothing to divide."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.625 → "62.5%"; None → "—"."""
    return "—" if value is None else f"{100 * value:.1f}%"


@register.filter
def score(value) -> str:
    """The composite score out of 100: 0.6358 → "63.58"; None → "—"."""
    return "—" if value is None else f"{100 * value:.2f}"


@register.filter
def width(value) -> int:
    """A rate as a bar width in percent (0–100)."""
    return 0 if value is None else max(0, min(100, round(100 * value)))


@register.filter
def change(now, before) -> str:
    """The change from `before` to `now` in percentage points: "+3.2" or "−1.0"; "" when either is missing."""
    if now is None or before is None:
        return ""
    points = 100 * (now - before)
    return f"{'+' if points >= 0 else '−'}{abs(points):.1f}"


@register.filter
def weight(value) -> str:
    """A weight as written: Decimal("0.600") → "0.6", Decimal("1.000") → "1"."""
    from decimal import Decimal

    return format(Decimal(value).normalize(), "f")
