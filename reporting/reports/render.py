"""The reports' HTML, PDF and XLSX, from the same sections the dashboard shows. The PDF is
WeasyPrint's rendering of the same section include the page uses, with every table printed
in full; the XLSX has a sheet for each table."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from ..dashboard.tables import Section, Table, tables_xlsx


def sections_from(data: dict) -> list[Section]:
    return [Section.from_dict(s) for s in data.get("sections", [])]


def sections_data(sections: list[Section]) -> dict:
    return {"sections": [s.to_dict() for s in sections]}


def all_tables(sections: list[Section], extra: list[Table] | None = None) -> list[Table]:
    return [t for s in sections for t in s.tables] + list(extra or [])


def pdf_bytes(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {**context, "print_version": True})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# The monthly report ---------------------------------------------------------------------------


def monthly_table_url(month: dt.date, version: int):
    def download(key: str, fmt: str) -> str:
        return reverse("reporting:monthly-report-table", args=[f"{month:%Y-%m}", version, key, fmt])

    download.do_not_call_in_templates = True
    return download


def monthly_context(
    *, month: dt.date, version: int, as_of: dt.date, sections: list[Section], commentary: str
) -> dict:
    return {
        "title": f"Monthly audit report, {month:%B %Y}",
        "month": month,
        "version": version,
        "as_of": as_of,
        "sections": sections,
        "commentary": commentary,
        "authority_name": settings.AUTHORITY_NAME,
    }


def monthly_files(context: dict) -> tuple[str, bytes, bytes]:
    """The report's HTML (the body shown on the page), PDF and XLSX."""
    download = monthly_table_url(context["month"], context["version"])
    html = render_to_string(
        "reporting/reports/_monthly_body.html", {**context, "download": download}
    )
    pdf = pdf_bytes("pdf/monthly_report.html", context)
    notes = [
        f"{context['authority_name']}. Figures as they stood on {context['as_of']:%d %B %Y}; "
        f"version {context['version']}.",
    ]
    if context["commentary"]:
        notes.append(f"Commentary: {context['commentary']}")
    xlsx = tables_xlsx(all_tables(context["sections"]), title=context["title"], notes=notes)
    return html, pdf, xlsx


# The six-monthly report -----------------------------------------------------------------------


def half_year_label(start: dt.date) -> str:
    end = dt.date(start.year, start.month + 5, 1)
    return f"{start:%B} to {end:%B %Y}"
