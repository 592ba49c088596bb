"""The finished audit as a Word document beside the PDF (issue 15; Bury 6.3): real
headings, header rows that repeat, title and language set, the same content as the PDF."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from accounts.selectors import policy_get
from audits.documents import CONTENT_TYPE, audit_docx
from audits.selectors import pdf_context
from audits.services import action_add, audit_submit

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(org):
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.save()
    audit = fill_in(started_audit(org), grade="good", overall="good")
    action_add(
        audit=audit, by=org.auditor, what="Update the chronology", who="Sky Worker", due_on=TODAY
    )
    action_add(
        audit=audit, by=org.auditor, what="Visit within ten days", who="Tia Manager", due_on=TODAY
    )
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == "with_team_manager"
    return audit


def _doc(data: bytes):
    return Document(io.BytesIO(data))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


class _Text(HTMLParser):
    """The text of the PDF's HTML, piece by piece, leaving out the <title> and <style>."""

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip:
            self.pieces.append(text)


def test_the_word_document_holds_the_same_content_as_the_pdf(finished):
    """Every piece of text the PDF prints is in the Word document."""
    parser = _Text()
    parser.feed(render_to_string("pdf/audit.html", pdf_context(finished)))
    text = _all_text(_doc(audit_docx(audit=finished)))
    missing = [piece for piece in parser.pieces if piece not in text]
    assert missing == []
    assert len(parser.pieces) > 40
    for expected in ("Ari Auditor", "Update the chronology", "Mum said the worker listens"):
        assert expected in text


def test_the_word_document_uses_real_headings_in_order(finished):
    doc = _doc(audit_docx(audit=finished))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Head")]
    assert headings[0] == ("Heading 1", "Case file audit")
    level_two = [text for style, text in headings if style == "Heading 2"]
    assert level_two == [
        "Sections",
        "Overall judgement",
        "Child and family views",
        "Strengths and good practice",
        "Organisational learning",
        "Actions",
        "Moderation",
    ]
    sections = [text for style, text in headings if style == "Heading 3"]
    assert sections[0].startswith("1. Risk and need are identified")
    assert sections[-1].startswith("9. Impact")


def test_the_actions_table_has_a_header_row_that_repeats_on_each_page(finished):
    doc = _doc(audit_docx(audit=finished))
    actions = doc.tables[-1]
    assert [c.text for c in actions.rows[0].cells] == ["What", "Who", "By when"]
    header = actions.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    # Only the heading row repeats; the rows of data do not.
    assert actions.rows[1]._tr.trPr is None or (
        actions.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    )
    assert len(actions.rows) == 3


def test_the_word_document_has_its_title_and_language_set(finished):
    doc = _doc(audit_docx(audit=finished))
    assert doc.core_properties.title == f"Case file audit {finished.case.external_id}"
    assert doc.core_properties.language == "en-GB"
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert lang.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "en-GB"


def test_the_word_page_gives_the_document_to_those_who_may_see_the_audit(org, client_for, finished):
    url = reverse("audit:word", args=[finished.pk])
    response = client_for(org.team_manager).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert f"audit-{finished.case.external_id}.docx" in response["Content-Disposition"]
    assert _doc(response.content).core_properties.title.startswith("Case file audit")
    page = client_for(org.team_manager).get(reverse("audit:task-list", args=[finished.pk]))
    assert url in page.content.decode()


def test_the_word_page_refuses_people_who_may_not_see_the_audit(org, client_for, finished):
    url = reverse("audit:word", args=[finished.pk])
    assert client_for(org.outsider).get(url).status_code == 404


def test_an_unfinished_audit_has_no_word_document(org, client_for):
    audit = started_audit(org)
    url = reverse("audit:word", args=[audit.pk])
    assert client_for(org.auditor).get(url).status_code == 404
    assert client_for(org.qa_officer).get(url).status_code == 404


def test_with_the_word_download_switched_off_there_is_no_link_and_no_document(
    org, client_for, finished, settings
):
    settings.WORD_EXPORT_ENABLED = False
    client = client_for(org.team_manager)
    url = reverse("audit:word", args=[finished.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("audit:task-list", args=[finished.pk])).content.decode()
    assert url not in page
