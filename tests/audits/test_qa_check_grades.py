"""QA staff may give their own grades at the QA check; they are kept beside the auditor's
as they stood, for agreement statistics, and change nothing of the audit (Bury 5.2, 6.5:
QA checks for consistency; Bury 8.1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.selectors import policy_get
from audits import lifecycle
from audits.models import QACheck
from audits.services import audit_submit, qa_check_decide

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(org):
    policy = policy_get()
    policy.qa_check_percent = 100
    policy.save()
    audit = fill_in(started_audit(org), grade="good", overall="good")
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.QA_CHECK
    return audit


def test_the_qa_officers_grades_are_kept_beside_the_auditors_as_they_stood(org, checked):
    check = qa_check_decide(
        audit=checked,
        by=org.qa_officer,
        accept=True,
        grades={"overall": "requires_improvement", "sections": {"assessments": "good"}},
        today=TODAY,
    )
    check.refresh_from_db()
    assert check.outcome == "accepted"
    assert check.qa_grades == {
        "overall": "requires_improvement",
        "sections": {"assessments": "good"},
    }
    assert check.auditor_grades["overall"] == "good"
    assert check.auditor_grades["sections"]["risk_and_need"] == "good"
    checked.refresh_from_db()
    assert checked.overall_grade == "good"
    assert checked.status == lifecycle.WITH_TEAM_MANAGER


def test_without_grades_the_check_is_as_before(org, checked):
    check = qa_check_decide(
        audit=checked, by=org.qa_officer, accept=False, reason="Add the views.", today=TODAY
    )
    assert check.outcome == "returned" and check.qa_grades == {} and check.due_on


def test_a_grade_off_the_scale_is_refused_and_nothing_changes(org, checked):
    with pytest.raises(RuleViolation, match="Assessments"):
        qa_check_decide(
            audit=checked,
            by=org.qa_officer,
            accept=True,
            grades={"overall": "good", "sections": {"assessments": "splendid"}},
            today=TODAY,
        )
    checked.refresh_from_db()
    assert checked.status == lifecycle.QA_CHECK
    assert not QACheck.objects.filter(audit=checked).exists()


def test_the_qa_check_page_takes_optional_grades(org, client_for, checked):
    client = client_for(org.qa_officer)
    url = reverse("audit:qa-check", args=[checked.pk])
    page = client.get(url).content.decode()
    assert "Give your own grades (optional)" in page
    response = client.post(
        url, {"decision": "accept", "reason": "", "qa-overall": "good", "qa-grade-records": "good"}
    )
    assert response.status_code == 302
    check = QACheck.objects.get(audit=checked)
    assert check.qa_grades == {"overall": "good", "sections": {"records": "good"}}
