"""Everything the checklist (材料清单预览) shows for one situation, loaded once for page, print, PDF and API."""

from __future__ import annotations

import segno
from django.db.models import Prefetch

from guide.models import Material, Matter, ReviewPoint, Situation


def load_checklist(matter: Matter, situation: Situation) -> Situation:
    """The situation with its materials, review points, and the matter's steps and FAQs prefetched."""
    return (
        Situation.objects.select_related("matter__department")
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.prefetch_related("review_points")),
            Prefetch("review_points", queryset=ReviewPoint.objects.select_related("material")),
            "matter__steps",
            "matter__faqs",
        )
        .get(pk=situation.pk)
    )


def qr_svg(url: str) -> str:
    """An inline SVG QR code that opens `url` (used on the print view and the PDF)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#111")
