"""The autosave of a saved section is one conditional UPDATE that holds the auditor's
checks (issue 16): no re-read of the audit, no read of the answer before or after, and
still no write when the audit stopped being theirs to change after the page read it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.errors import RuleViolation
from audits import lifecycle
from audits.errors import EditConflict
from audits.models import Allocation, Audit, SectionAnswer
from audits.selectors import audit_for
from audits.services import section_save

from .factories_form import started_audit

pytestmark = pytest.mark.django_db


def _post(client, audit, key, **data):
    return client.post(reverse("audit:autosave", args=[audit.pk, key]), data)


def test_an_autosave_of_a_saved_section_reads_the_audit_once_and_writes_once(org, client_for):
    audit = started_audit(org)
    client = client_for(org.auditor)
    assert _post(client, audit, "records", evidence="First", revision=0).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = _post(client, audit, "records", grade="good", evidence="Second", revision=1)
    assert response.status_code == 200 and response.json()["revision"] == 2
    sql = [q["sql"] for q in ctx.captured_queries]
    # The session, the user, the audit the view checks, and the save itself.
    assert len(sql) == 4, sql
    assert sql[-1].startswith("UPDATE")
    answer = SectionAnswer.objects.get(audit=audit, key="records")
    assert (answer.grade, answer.evidence, answer.status, answer.revision) == (
        "good",
        "Second",
        "in_progress",
        2,
    )
    assert answer.updated_by_id == org.auditor.pk


@pytest.mark.parametrize("change", ["submitted", "moved", "another auditor"])
def test_a_save_from_a_page_read_before_the_audit_stopped_being_theirs_writes_nothing(org, change):
    """The page's copy of the audit says editable; the database no longer does: the
    UPDATE's own condition refuses, and the auditor is told why."""
    audit = started_audit(org)
    section_save(audit=audit, key="records", grade="", evidence="Kept", revision=0, by=org.auditor)
    read_by_the_page = audit_for(user=org.auditor, pk=audit.pk, narrow=True)
    if change == "submitted":
        Audit.objects.filter(pk=audit.pk).update(status=lifecycle.SUBMITTED)
    elif change == "moved":
        Allocation.objects.filter(pk=audit.allocation_id).update(status="reallocated")
    else:
        Allocation.objects.filter(pk=audit.allocation_id).update(auditor=org.qa_officer)
    with pytest.raises(RuleViolation):
        section_save(
            audit=read_by_the_page,
            key="records",
            grade="",
            evidence="Overwritten",
            revision=1,
            by=org.auditor,
        )
    answer = SectionAnswer.objects.get(audit=audit, key="records")
    assert (answer.evidence, answer.revision) == ("Kept", 1)


def test_a_first_save_makes_the_answer_and_a_stale_revision_is_a_conflict(org):
    audit = started_audit(org)
    SectionAnswer.objects.filter(audit=audit, key="records").delete()
    assert (
        section_save(audit=audit, key="records", grade="", evidence="A", revision=0, by=org.auditor)
        == 1
    )
    with pytest.raises(EditConflict) as clash:
        section_save(audit=audit, key="records", grade="", evidence="B", revision=0, by=org.auditor)
    assert clash.value.revision == 1 and clash.value.current["evidence"] == "A"
    assert SectionAnswer.objects.get(audit=audit, key="records").evidence == "A"


def test_a_grade_not_on_the_sections_scale_is_refused_and_nothing_is_written(org):
    audit = started_audit(org)
    section_save(audit=audit, key="records", grade="", evidence="Kept", revision=0, by=org.auditor)
    with pytest.raises(RuleViolation):
        section_save(
            audit=audit, key="records", grade="splendid", evidence="X", revision=1, by=org.auditor
        )
    assert SectionAnswer.objects.get(audit=audit, key="records").revision == 1
