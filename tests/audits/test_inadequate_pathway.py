"""The inadequate pathway through `run_sweeps` across months (P&Q 25-26, Hillingdon 2.10):
urgent notice, meeting, review after four weeks, re-audit within two months by another
auditor, the head of service when inadequate again, until it is no longer inadequate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from accounts.models import Notice
from accounts.selectors import policy_get
from audits.models import Allocation, InadequatePathway, PathwayStatus
from audits.services import audit_start, audit_submit

from .factories_form import fill_in, started_audit

pytestmark = pytest.mark.django_db(transaction=False)


def _sweeps(day: str) -> None:
    for _ in range(2):  # safe to run twice
        call_command("run_sweeps", "--today", day, "--only", "inadequate-pathways")


def _reaudit(pathway: InadequatePathway, *, overall: str, grade: str, today: dt.date):
    allocation = pathway.reaudit_allocation
    audit = audit_start(allocation=allocation, by=allocation.auditor)
    fill_in(audit, grade=grade, overall=overall)
    audit_submit(audit=audit, by=allocation.auditor, today=today)
    return audit


def test_the_inadequate_cycle_repeats_until_the_case_is_no_longer_inadequate(org):
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.inadequate_pathway = True
    policy.save()
    audit = fill_in(started_audit(org), grade="inadequate", overall="inadequate")
    audit_submit(audit=audit, by=org.auditor, today=dt.date(2026, 11, 10))

    # Hillingdon 2.10: urgent written notice to the worker and team manager at once.
    urgent = Notice.objects.filter(key=f"inadequate:{audit.pk}", urgent=True)
    assert {n.recipient for n in urgent} == {org.social_worker, org.team_manager}
    first = InadequatePathway.objects.get(audit=audit)
    assert (first.cycle, first.review_due, first.reaudit_due) == (
        1,
        dt.date(2026, 12, 8),
        dt.date(2027, 1, 10),
    )
    meeting = Notice.objects.filter(key=f"inadequate-meeting:{first.pk}")
    assert {n.recipient for n in meeting} == {
        org.service_manager,
        org.team_manager,
        org.social_worker,
    }

    _sweeps("2026-12-01")  # before the review: nothing yet
    first.refresh_from_db()
    assert first.review_reminded_on is None and first.reaudit_allocation is None

    _sweeps("2026-12-08")
    first.refresh_from_db()
    assert first.review_reminded_on == dt.date(2026, 12, 8)
    assert Notice.objects.filter(key=f"inadequate-review:{first.pk}").count() == 3
    reaudit = first.reaudit_allocation
    assert reaudit is not None
    assert reaudit.auditor != org.auditor  # never the same auditor
    assert reaudit.deadline == first.reaudit_due  # within the two-month window
    assert Allocation.objects.filter(case=audit.case).count() == 2  # once, though run twice

    # Inadequate again: the next cycle brings in the head of service (P&Q 25, last point).
    second_audit = _reaudit(
        first, overall="inadequate", grade="inadequate", today=dt.date(2027, 1, 5)
    )
    first.refresh_from_db()
    assert first.status == PathwayStatus.REPEATED
    second = InadequatePathway.objects.get(audit=second_audit)
    assert (second.cycle, second.previous, second.head_of_service_involved) == (2, first, True)
    told = {n.recipient for n in Notice.objects.filter(key=f"inadequate-meeting:{second.pk}")}
    assert org.strategic_lead in told  # the north area's head of service

    _sweeps("2027-02-02")
    second.refresh_from_db()
    third_auditor = second.reaudit_allocation.auditor
    assert third_auditor not in {org.auditor, reaudit.auditor}

    # P&Q 26: the process continues until the case is no longer inadequate.
    _reaudit(
        second,
        overall="requires_improvement",
        grade="requires_improvement",
        today=dt.date(2027, 3, 1),
    )
    second.refresh_from_db()
    assert second.status == PathwayStatus.RESOLVED
    assert InadequatePathway.objects.filter(status=PathwayStatus.OPEN).count() == 0
    _sweeps("2027-04-01")
    assert Allocation.objects.filter(case=audit.case).count() == 3


def test_a_grade_that_is_not_inadequate_starts_no_pathway(org):
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.inadequate_pathway = True
    policy.save()
    audit = fill_in(started_audit(org), grade="good", overall="good")
    audit_submit(audit=audit, by=org.auditor, today=dt.date(2026, 11, 10))
    assert not InadequatePathway.objects.exists()


def test_the_urgent_inadequate_notice_goes_on_submission_before_any_qa_check(org):
    """Hillingdon 2.10: the worker and team manager are told in writing as a matter of
    urgency; it does not wait for QA staff to check the audit. They are told once."""
    from accounts.selectors import policy_get
    from audits import lifecycle
    from audits.services import audit_submit, qa_accept

    policy = policy_get()
    policy.qa_check_percent = 100
    policy.inadequate_pathway = True
    policy.save()
    audit = fill_in(started_audit(org), grade="inadequate", overall="inadequate")
    audit_submit(audit=audit, by=org.auditor, today=dt.date(2026, 11, 16))
    audit.refresh_from_db()
    assert audit.status == lifecycle.QA_CHECK
    urgent = Notice.objects.filter(key=f"inadequate:{audit.pk}", urgent=True)
    assert {n.recipient for n in urgent} == {org.social_worker, org.team_manager}
    qa_accept(audit=audit, by=org.qa_officer, today=dt.date(2026, 11, 17))
    assert Notice.objects.filter(key=f"inadequate:{audit.pk}").count() == 2
