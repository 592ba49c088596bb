"""Template helpers for the dashboard and the reports: a cell shown by its column's kind, and
a chart with the table of its numbers (one include for the page and the PDF)."""

from __future__ import annotations

from dataclasses import replace

from django import template

from reporting.dashboard.chart_svg import chart_svg as svg_of
from reporting.dashboard.charts import draw
from reporting.dashboard.table_html import table_html
from reporting.dashboard.tables import Table, show

register = template.Library()


@register.filter
def cell(value, kind: str = "int") -> str:
    """A value shown by its column's kind (see `reporting.dashboard.tables.show`)."""
    return show(value, kind)


@register.simple_tag
def chart_svg(drawing):
    """A chart's drawing as SVG (see `reporting.dashboard.chart_svg`)."""
    return svg_of(drawing)


@register.simple_tag
def dashboard_table(table, full=False, print_version=False):
    """A table as GOV.UK HTML (see `reporting.dashboard.table_html`)."""
    return table_html(table, full=full, print_version=print_version)


# A printed table (the PDFs) holds at most this many rows, its chart drawn from the same
# rows; the spreadsheet has them all. WeasyPrint took 18 s over a national month's report
# with its tables of 150 service areas and 1,500 teams in full.
PRINT_ROWS = 20


def printed(table: Table) -> Table:
    """The table as printed: its first `PRINT_ROWS` rows (or fewer, its screen rows)."""
    limit = min(table.screen_rows or PRINT_ROWS, PRINT_ROWS)
    if len(table.rows) <= limit:
        return replace(table, screen_rows=None)
    return replace(
        table,
        rows=table.rows[:limit],
        links=table.links[:limit] if table.links else None,
        screen_rows=limit,
        total_rows=len(table.rows) if table.total_rows is None else table.total_rows,
    )


@register.inclusion_tag("reporting/dashboard/_block.html")
def figure_block(chart, table, print_version=False, download=None):
    """A table, with its chart above it when it has one. On screen a chart's table is folded
    in a details element; printed, it is shown in full up to `PRINT_ROWS` rows (the chart
    drawn from the rows printed). `download(table_key, fmt)` gives the download links, or
    None for none."""
    if print_version:
        table = printed(table)
    drawing = draw(chart, table, f"chart-{table.key}") if chart else None
    links = None
    if download is not None and not print_version:
        links = {"csv": download(table.key, "csv"), "xlsx": download(table.key, "xlsx")}
    return {
        "chart": chart,
        "drawing": drawing,
        "table": table,
        "all_rows": table.total_rows if table.total_rows is not None else len(table.rows),
        "print_version": print_version,
        "links": links,
    }
