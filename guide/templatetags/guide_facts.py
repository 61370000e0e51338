"""{{ text|facts:matter }}: a catalog text with its dated parameters filled in."""

from django import template

register = template.Library()


@register.filter
def facts(text: str, matter) -> str:
    return matter.render(text or "")
