"""The code on the site board: QR images (SVG, PNG) and the printable A4 poster (公示牌) as a PDF."""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string

from core.pdf import html_to_pdf
from core.urls import absolute
from projects.models import Project


def page_url(project: Project) -> str:
    """The address a scan opens: SITE_URL, whatever address the poster was printed from."""
    return absolute(project.get_absolute_url())


def _code(url: str) -> segno.QRCode:
    # Level Q: a board outdoors gets dirty and scratched; up to a quarter of it may be lost.
    return segno.make(url, error="q", micro=False)


def svg(url: str) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=10, border=4, dark="#111", xmldecl=True)
    return out.getvalue()


def png(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def png_data_uri(url: str) -> str:
    # A PNG (not inline SVG) so that the PDF carries the code as one image, exactly as printed.
    return _code(url).png_data_uri(scale=12, border=4)


def poster_pdf(project: Project, context: dict) -> bytes:
    url = page_url(project)
    html = render_to_string(
        "projects/poster.html", {**context, "project": project, "page_url": url, "qr": png_data_uri(url)}
    )
    return html_to_pdf(html)
