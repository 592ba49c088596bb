# ruff: noqa: F811 (the frame fixtures are imported from the sampling tests)
"""A case closed during an audit stays open for it and closes when the audit does
(Bury 9.6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.selectors import policy_get
from audits import lifecycle
from audits.services import audit_close, audit_submit, supervision_record
from sampling.models import Case, CaseStatus
from tests.sampling.conftest import AS_OF, annex, child, frame_media, imported  # noqa: F401

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db

WEEK = dt.timedelta(days=7)


def _case(external_id: str = "C00002") -> Case:
    return Case.objects.get(external_id=external_id)


def test_a_case_closed_during_its_audit_is_held_open_and_closes_with_the_audit(
    org, annex, imported, client_for
):
    """Bury 9.6: "a case should not close while an audit is in progress ... closure will be
    contingent on completion of the audit and fulfilment of any and all remedial
    actions". The list that drops the case leaves it open (shown as held open), the audit
    goes on, and the case closes when the audit closes."""
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.save()
    imported(annex("6", [child("6", 1), child("6", 2)]))
    audit = started_audit(org, case=_case())
    later = imported(annex("6", [child("6", 1)]), as_of=AS_OF + WEEK)
    assert later.closed == 0
    held = _case()
    assert held.status == CaseStatus.OPEN
    assert held.close_pending_on == AS_OF + WEEK
    page = client_for(org.qa_officer).get(reverse("reporting:case", args=[held.external_id]))
    assert "Held open for its audit" in page.content.decode()
    # The audit goes on, and reaching the team manager does not yet close the case.
    audit = fill_in(audit, grade="good", overall="good")
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    assert _case().status == CaseStatus.OPEN
    # A later list that still lacks it does not close it either.
    imported(annex("6", [child("6", 1)]), as_of=AS_OF + 2 * WEEK)
    assert _case().status == CaseStatus.OPEN
    supervision_record(audit=audit, by=org.team_manager, on=TODAY)
    audit_close(audit=audit, by=org.team_manager)
    closed = _case()
    assert closed.status == CaseStatus.CLOSED
    assert closed.close_pending_on is None and closed.closed_on is not None


def test_a_held_case_back_on_the_list_is_no_longer_waiting_to_close(org, annex, imported):
    """Bury 9.6-9.7: a case the lists bring back while held open simply stays open; its
    audit's closing then leaves it open."""
    imported(annex("6", [child("6", 1), child("6", 2)]))
    started_audit(org, case=_case())
    imported(annex("6", [child("6", 1)]), as_of=AS_OF + WEEK)
    assert _case().close_pending_on == AS_OF + WEEK
    imported(annex("6", [child("6", 1), child("6", 2)]), as_of=AS_OF + 2 * WEEK)
    case = _case()
    assert case.status == CaseStatus.OPEN and case.close_pending_on is None
