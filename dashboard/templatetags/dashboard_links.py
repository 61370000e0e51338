"""{% dashboard_links %}: links to the yardstick and the cockpit for those who may see them (work page)."""

from django import template
from django.utils.html import format_html

from dashboard.access import viewer_of

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_links(context) -> str:
    viewer = viewer_of(context["request"].user)
    if viewer is None:
        return ""
    cockpit = format_html(' · <a href="{}">驾驶舱</a>', "/dashboard/cockpit/") if viewer.district else ""
    return format_html('<p class="small"><a href="/dashboard/">一把尺考评</a>{}</p>', cockpit)
