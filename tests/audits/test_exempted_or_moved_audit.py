"""An exempted or moved auditor's audit stops being theirs (issue 17 item 8; P&Q 4-5,
Bury 7.2): the draft is handed on, or closed, as the approver chooses; a submitted audit
is never moved."""

from __future__ import annotations

import pytest

from accounts.errors import RuleViolation
from accounts.models import Role, User
from audits import lifecycle
from audits.models import Allocation, AllocationStatus, Audit
from audits.services import (
    allocation_move,
    audit_submit,
    exemption_decide,
    exemption_request,
)

from ..accounts.factories import UserFactory
from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


def _newcomer():
    return UserFactory(
        email="new@example.test",
        full_name="Nell Newcomer",
        role=Role.ADVANCED_PRACTITIONER,
        in_audit_pool=True,
        team=None,
    )


def _only(*people):
    User.objects.exclude(pk__in=[p.pk for p in people]).update(in_audit_pool=False)


def test_pq_after_an_agreed_exemption_the_first_auditor_cannot_submit(org):
    """P&Q 4-5: an exemption is agreed "to allow time for the audit to be reallocated to a
    different auditor": the first auditor can no longer submit, so the case does not get
    two audits; the approver chose to close the draft, so the new auditor starts afresh."""
    audit = fill_in(started_audit(org))
    newcomer = _newcomer()
    _only(org.auditor, newcomer)
    request = exemption_request(
        allocation=audit.allocation, by=org.auditor, reason="Leave", today=TODAY
    )
    decided = exemption_decide(
        request=request, by=org.senior_manager, agree=True, today=TODAY, hand_on_draft=False
    )
    assert decided.reallocated_to.auditor == newcomer
    with pytest.raises(RuleViolation, match="no longer yours"):
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.IN_PROGRESS and audit.allocation_id == request.allocation_id
    assert not audit.is_editable
    assert not Audit.objects.filter(allocation=decided.reallocated_to).exists()


def test_bury_a_moved_audit_hands_its_draft_on_to_the_new_auditor(org):
    """Bury 7.2 (reallocation), P&Q 5: moved, the draft goes on with the new auditor, who
    carries on from it and submits it; the first auditor cannot."""
    audit = fill_in(started_audit(org))
    first = audit.allocation
    newcomer = _newcomer()
    new = allocation_move(allocation=first, to_auditor=newcomer, by=org.qa_officer, today=TODAY)
    audit.refresh_from_db()
    assert audit.allocation_id == new.pk and audit.auditor == newcomer
    with pytest.raises(RuleViolation):
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit_submit(audit=audit, by=newcomer, today=TODAY)
    audit.refresh_from_db()
    assert audit.status != lifecycle.IN_PROGRESS
    assert Audit.objects.filter(allocation__case=first.case).count() == 1


def test_pq_a_submitted_audit_is_never_moved_nor_exempted(org):
    """P&Q 4-5: exemptions and reallocation are for an audit the auditor cannot complete;
    one already submitted stays theirs."""
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    first = Allocation.objects.get(pk=audit.allocation_id)
    newcomer = _newcomer()
    with pytest.raises(RuleViolation, match="never moved"):
        allocation_move(allocation=first, to_auditor=newcomer, by=org.qa_officer, today=TODAY)
    with pytest.raises(RuleViolation, match="submitted"):
        exemption_request(allocation=first, by=org.auditor, reason="Leave", today=TODAY)
    first.refresh_from_db()
    assert first.status == AllocationStatus.ALLOCATED


def test_bury_an_audit_may_be_deferred_to_next_month_keeping_its_case(org, preset):
    """Bury 7.2: an auditor who cannot complete an audit within 20 working days asks for
    "a deferment, dispensation or reallocation": the approver defers it to next month, and
    the auditor keeps the case, due 20 working days from December's start."""
    import datetime as dt

    from accounts.models import Role as R

    from .factories import allocation, case_in

    preset("bury")
    psw = UserFactory(
        email="psw@example.test", full_name="Pat Principal", role=R.PRINCIPAL_SOCIAL_WORKER
    )
    mine = allocation(auditor=org.auditor, case=case_in(org.north_team, worker=org.social_worker))
    request = exemption_request(allocation=mine, by=org.auditor, reason="Leave", today=TODAY)
    assert request.approver == psw
    decided = exemption_decide(request=request, by=psw, agree=False, defer=True, today=TODAY)
    mine.refresh_from_db()
    assert decided.status == "deferred"
    assert mine.status == AllocationStatus.ALLOCATED and mine.auditor == org.auditor
    assert mine.period == dt.date(2026, 12, 1)
    assert mine.deadline == dt.date(2026, 12, 31)  # 20 working days from 1 December
    assert Allocation.objects.filter(case=mine.case).count() == 1


def test_deferment_is_refused_where_the_policy_names_none(org, preset):
    """P&Q 4-5 name exemption and reallocation only: no deferment under the P&Q preset."""
    from .factories import allocation, case_in

    preset("pq")
    mine = allocation(auditor=org.auditor, case=case_in(org.north_team, worker=org.social_worker))
    request = exemption_request(allocation=mine, by=org.auditor, reason="Leave", today=TODAY)
    with pytest.raises(RuleViolation, match="does not allow"):
        exemption_decide(request=request, by=request.approver, agree=False, defer=True, today=TODAY)
