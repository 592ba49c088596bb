"""The finished audit as a PDF for the child's record (Bury 6.3), read back as text."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from accounts.selectors import policy_get
from audits.services import action_add, audit_pdf, audit_submit

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


def _text(pdf: bytes) -> str:
    if PDFTOTEXT is None:  # `make test` provides it (scripts/ensure-browser)
        pytest.fail("pdftotext is missing: install poppler-utils (apt-get install poppler-utils)")
    result = subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def finished(org):
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.save()
    audit = fill_in(started_audit(org), grade="good", overall="good")
    action_add(
        audit=audit, by=org.auditor, what="Update the chronology", who="Sky Worker", due_on=TODAY
    )
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    return audit


def test_the_pdf_holds_every_part_of_the_finished_audit(finished):
    text = _text(audit_pdf(audit=finished))
    for expected in (
        finished.case.external_id,
        "Period reviewed",
        "Ari Auditor",
        "1. Risk and need are identified",
        "9. Impact",
        "Evidence for records: the file shows it.",
        "Overall grade Good",
        "Mum said the worker listens",
        "Warm, steady direct work with the child.",
        "Chronologies fall behind when workers change.",
        "Update the chronology",
        "The audit was not moderated.",
    ):
        assert expected in text, expected


def test_making_the_pdf_again_gives_the_same_document(finished):
    """The PDF is built from the audit when asked for, so a second download says the same.
    (How long it takes is a benchmark's figure: `python -m benchmarks.pdf`.)"""
    first, second = audit_pdf(audit=finished), audit_pdf(audit=finished)
    assert first.startswith(b"%PDF") and second.startswith(b"%PDF")
    assert _text(first) == _text(second)


def test_the_pdf_page_refuses_people_who_may_not_see_the_audit(org, client_for, finished):
    url = reverse("audit:pdf", args=[finished.pk])
    response = client_for(org.team_manager).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client_for(org.outsider).get(url).status_code == 404
