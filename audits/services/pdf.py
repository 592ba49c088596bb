"""The finished audit as a PDF, laid out for filing in the child's record (Bury 6.3)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from ..models import Audit


def audit_pdf(*, audit: Audit) -> bytes:
    """Render the audit with WeasyPrint: case ID, period, auditor, dates, each section's
    grade and evidence, the overall grade, views, strengths, learning, actions and any
    moderation outcome. Uses only built-in fonts and no network, so it takes well under a
    second."""
    from weasyprint import HTML

    from ..selectors import pdf_context

    html = render_to_string("pdf/audit.html", pdf_context(audit))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
