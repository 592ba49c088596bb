"""The finished audit as a Word document, beside the PDF, for councils that file in Word.

Built from the same context as the PDF (`audits.selectors.pdf_context`), in the same order
and with the same words, so the two never disagree. Made accessible the way Word expects:
real heading styles (so the navigation pane and screen readers list the parts), table
header rows marked to repeat on each page, and the document's title and language set.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.dateformat import format as date_format
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Audit

LANGUAGE = "en-GB"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def audit_docx(*, audit: Audit) -> bytes:
    """The audit as a .docx: everything the PDF holds (Bury 6.3), as Word headings,
    paragraphs and tables."""
    from .selectors import pdf_context

    return _build(pdf_context(audit))


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def _build(ctx: dict[str, Any]) -> bytes:
    audit, case, definition = ctx["audit"], ctx["case"], ctx["definition"]
    doc = Document()
    _set_language(doc)
    props = doc.core_properties
    props.title = f"Case file audit {case.external_id}"
    props.subject = "Case file audit"
    props.language = LANGUAGE
    props.author = settings.AUTHORITY_NAME
    props.keywords = "official sensitive"
    _footer(doc, f"Case {case.external_id} – case file audit – official sensitive")

    doc.add_heading("Case file audit", level=1)
    doc.add_paragraph(
        f"{settings.AUTHORITY_NAME} · {definition['title']} · form version "
        f"{audit.form_version.number}"
    )
    _facts_table(
        doc,
        [
            ("Case ID", case.external_id),
            ("Case type", case.get_case_type_display()),
            ("Team", case.team.name if case.team_id else "Not known"),
            ("Period reviewed", ctx["period_label"]),
            ("Auditor", audit.auditor.full_name),
            ("Started", _day(audit.started_at)),
            ("Submitted", _day(audit.submitted_at) or "Not yet"),
            ("Status", audit.get_status_display()),
            ("Overall grade", ctx["final_label"] or "Not given"),
        ],
    )

    doc.add_heading("Sections", level=2)
    for row in ctx["rows"]:
        doc.add_heading(row.title, level=3)
        _bold(doc, f"Grade: {row.grade_label or 'Not graded'}")
        _text(doc, row.evidence or "No evidence recorded.")

    doc.add_heading("Overall judgement", level=2)
    _bold(doc, ctx["overall_label"] or "Not given")
    if audit.outcomes_met:
        doc.add_paragraph(f"Child's outcomes: {audit.get_outcomes_met_display()}")
    if audit.overall_reason:
        _text(doc, audit.overall_reason)
    if audit.good_elements:
        doc.add_heading("Elements of good practice", level=3)
        _text(doc, audit.good_elements)

    doc.add_heading("Child and family views", level=2)
    views = ctx["views"]
    if views and views.contacted:
        line = f"Contacted: {views.get_contacted_display()}"
        if views.consent:
            line += f"; consent sought: {views.get_consent_display()}"
        doc.add_paragraph(line)
        if views.views:
            _text(doc, views.views)
        if views.not_contacted_reason:
            _text(doc, f"Why not contacted: {views.not_contacted_reason}")
    else:
        doc.add_paragraph("Not recorded.")

    doc.add_heading("Strengths and good practice", level=2)
    _text(doc, audit.strengths or "None recorded.")
    doc.add_heading("Organisational learning", level=2)
    _text(doc, audit.learning or "None recorded.")
    if ctx["themes"]:
        doc.add_paragraph("Themes: " + ", ".join(str(t) for t in ctx["themes"]))

    doc.add_heading("Actions", level=2)
    if ctx["actions"]:
        _header_table(
            doc,
            ("What", "Who", "By when"),
            [(a.what, a.who, _day(a.due_on)) for a in ctx["actions"]],
        )
    else:
        doc.add_paragraph("No actions.")

    doc.add_heading("Moderation", level=2)
    moderation = ctx["moderation"]
    if moderation and moderation.decided_at:
        paragraph = doc.add_paragraph(
            f"Moderated by {moderation.moderator.full_name} on "
            f"{_day(moderation.decided_at)}. Decision: "
        )
        paragraph.add_run(ctx["moderated_label"]).bold = True
        paragraph.add_run(". The moderator's decision is final.")
        _text(doc, moderation.reasons)
        if moderation.actions_decision:
            _text(doc, f"On the actions: {moderation.actions_decision}")
    else:
        doc.add_paragraph("The audit was not moderated.")

    doc.add_paragraph(
        f"Printed {_day(ctx['printed_on'])}. File this in the child's record with a case note."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _text(doc, text: str) -> None:
    """Free text as the auditor typed it: each line its own paragraph."""
    for line in text.splitlines() or [""]:
        doc.add_paragraph(line)


def _bold(doc, text: str) -> None:
    doc.add_paragraph().add_run(text).bold = True


def _facts_table(doc, rows: list[tuple[str, str]]) -> None:
    """The case's details: the first column names each row (a row header)."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = str(value)
    # The table has no header row of its own; say so, so a reader does not take the
    # first fact for column headings.
    _table_look(table, first_row=False, first_column=True)


def _header_table(doc, headings: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A table whose first row holds its column headings and repeats on every page."""
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, heading in zip(header.cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    _repeat_as_header(header)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    _table_look(table, first_row=True, first_column=False)


def _repeat_as_header(row) -> None:
    """Mark a row as the table's header (w:tblHeader): Word repeats it at the top of each
    page and assistive technology reads it as column headings."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
    # A header row should not break across pages.
    no_split = OxmlElement("w:cantSplit")
    no_split.set(qn("w:val"), "true")
    tr_pr.append(no_split)


def _table_look(table, *, first_row: bool, first_column: bool) -> None:
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    look.set(qn("w:firstRow"), "1" if first_row else "0")
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:noHBand"), "1")
    look.set(qn("w:noVBand"), "1")


def _set_language(doc) -> None:
    """English (UK) as the language of every style, for spelling and for screen readers."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), LANGUAGE)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)


def _footer(doc, text: str) -> None:
    """The PDF's footer: the case, and "Page N of M" as Word fields."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.text = f"{text} – Page "
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
