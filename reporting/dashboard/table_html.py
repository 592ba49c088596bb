"""A `Table` as a GOV.UK table in HTML, for the dashboard, its lists and the reports.

Written in Python rather than as a template include: the dashboard prints a few thousand
cells, and the template language spent more time on them than the database did on the
figures. The markup is what `_table.html` was: a caption, a header row, each row's first
cell as a row header, numeric cells right-aligned, and a cell's link (screen only) with
hidden text naming the column and the row for screen-reader users.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .tables import Table


def table_html(table: Table, *, full: bool = False, print_version: bool = False) -> SafeString:
    """The table's rows (the first `screen_rows` unless `full`); links only on screen."""
    columns = table.columns
    head = "".join(
        '<th scope="col" class="govuk-table__header'
        + (" govuk-table__header--numeric" if c.numeric else "")
        + f'">{escape(c.label)}</th>'
        for c in columns
    )
    hidden = [escape(c.label.lower()) for c in columns]
    out = [
        f'<table class="govuk-table app-table--small" id="table-{escape(table.key)}">\n'
        f'  <caption class="govuk-table__caption govuk-table__caption--s">'
        f"{escape(table.caption)}</caption>\n"
        f'  <thead class="govuk-table__head">\n    <tr class="govuk-table__row">{head}</tr>\n'
        f'  </thead>\n  <tbody class="govuk-table__body">\n'
    ]
    rows = list(table.cells(limit=not full))
    for row in rows:
        cells = []
        name = escape(row[0][1])
        for i, (column, text, link) in enumerate(row):
            text = escape(text)
            if link and not print_version:
                if i:
                    text = (
                        f'<a class="govuk-link" href="{escape(link)}">{text}<span '
                        f'class="govuk-visually-hidden"> ({hidden[i]}, {name}): see the list'
                        "</span></a>"
                    )
                else:
                    text = f'<a class="govuk-link" href="{escape(link)}">{text}</a>'
            if i == 0:
                cells.append(f'<th scope="row" class="govuk-table__header">{text}</th>')
            elif column.numeric:
                cells.append(
                    f'<td class="govuk-table__cell govuk-table__cell--numeric">{text}</td>'
                )
            else:
                cells.append(f'<td class="govuk-table__cell">{text}</td>')
        out.append(f'    <tr class="govuk-table__row">{"".join(cells)}</tr>\n')
    if not rows:
        out.append(
            f'    <tr class="govuk-table__row"><td class="govuk-table__cell" '
            f'colspan="{len(columns)}">Nothing in this period.</td></tr>\n'
        )
    out.append("  </tbody>\n</table>\n")
    if table.note:
        out.append(f'<p class="govuk-body-s">{escape(table.note)}</p>\n')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
