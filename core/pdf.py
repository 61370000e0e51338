"""HTML → PDF (checklists, one-form applications, posters, monthly reports) with WeasyPrint.

Relative links in the document resolve against SITE_URL, never the request's host: a PDF printed
from an internal address must still point residents to the public site.
"""

from core.urls import absolute


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it is heavy and only PDFs need it

    return HTML(string=html, base_url=absolute("/")).write_pdf()
