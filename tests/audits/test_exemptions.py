"""Exemptions after allocation: asked with a reason, agreed or refused by the approver the
policy names, and an agreed one reallocated at once (P&Q 4-5, 29-31; Hillingdon 2.17;
Bury 7.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.errors import RuleViolation
from accounts.models import Role, User
from audits.models import AllocationStatus, ExemptionStatus
from audits.selectors import exemption_approver_for
from audits.services import exemption_decide, exemption_request

from ..accounts.factories import TeamFactory, UserFactory
from .factories import allocation, case_in

TODAY = dt.date(2026, 11, 9)


@pytest.fixture
def allocated(org, policy):
    """Ari (south) has a North case; Tia (north team manager) could take it over? No: it is
    her team's. The east auditor can."""
    east = TeamFactory(name="East Assessment", service_area=org.south)
    case = case_in(org.north_team, worker=org.social_worker)
    return allocation(auditor=org.auditor, case=case), east


def test_social_care_staffs_exemptions_go_to_the_assistant_director(org, policy):
    """P&Q 4: exemptions for Children's Social Care staff only by the Assistant Director."""
    policy.exemption_approver_roles = [Role.ASSISTANT_DIRECTOR]
    assert exemption_approver_for(auditor=org.team_manager, policy=policy) == org.senior_manager


def test_qa_staffs_exemptions_go_to_their_strategic_lead(org, policy):
    """P&Q 4: exemptions for P&Q auditors only by the Strategic Lead."""
    policy.qa_exemptions_by_strategic_lead = True
    assert exemption_approver_for(auditor=org.qa_officer, policy=policy) == org.strategic_lead
    policy.qa_exemptions_by_strategic_lead = False
    assert exemption_approver_for(auditor=org.qa_officer, policy=policy) == org.senior_manager


def test_hillingdon_exemptions_go_to_the_principal_social_worker(org, preset):
    """Hillingdon 2.17: agreed with the Principal Social Worker."""
    policy = preset("hillingdon")
    psw = UserFactory(email="psw@example.test", role=Role.PRINCIPAL_SOCIAL_WORKER)
    assert exemption_approver_for(auditor=org.auditor, policy=policy) == psw


def test_a_request_goes_to_the_approver_with_the_line_manager_copied(
    org, allocated, django_capture_on_commit_callbacks
):
    """P&Q 4-5: sought as soon as possible; Hillingdon 2.17: discussed with the line
    manager."""
    mine, _ = allocated
    with django_capture_on_commit_callbacks(execute=True):
        request = exemption_request(
            allocation=mine, by=org.auditor, reason="Long leave", today=TODAY
        )
    assert request.approver == org.senior_manager
    assert sorted(m.to[0] for m in mail.outbox) == ["senior@example.test", "tm.south@example.test"]


def test_only_the_auditor_may_ask_and_only_once_at_a_time(org, allocated):
    """P&Q 4: the auditor seeks the exemption."""
    mine, _ = allocated
    with pytest.raises(RuleViolation, match="Only the auditor"):
        exemption_request(allocation=mine, by=org.team_manager, reason="x", today=TODAY)
    exemption_request(allocation=mine, by=org.auditor, reason="Leave", today=TODAY)
    with pytest.raises(RuleViolation, match="already asked"):
        exemption_request(allocation=mine, by=org.auditor, reason="Leave", today=TODAY)


def test_an_agreed_exemption_reallocates_the_case_at_once_to_an_eligible_auditor(
    org, allocated, django_capture_on_commit_callbacks
):
    """P&Q 5, Bury 7.2: the audit is reallocated to a different auditor, who is told."""
    mine, _ = allocated
    User.objects.exclude(pk__in=[org.auditor.pk, org.team_manager.pk]).update(in_audit_pool=False)
    newcomer = UserFactory(
        email="new@example.test", role=Role.TEAM_MANAGER, in_audit_pool=True, team=None
    )
    request = exemption_request(allocation=mine, by=org.auditor, reason="Leave", today=TODAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = exemption_decide(
            request=request, by=org.senior_manager, agree=True, note="Fine", today=TODAY
        )
    mine.refresh_from_db()
    assert mine.status == AllocationStatus.EXEMPTED
    assert decided.status == ExemptionStatus.AGREED
    new = decided.reallocated_to
    # Tia manages the case's team; the newcomer is the only other eligible auditor.
    assert new.auditor == newcomer
    assert new.status == AllocationStatus.ALLOCATED
    assert new.replaces == mine
    assert new.deadline == dt.date(2026, 11, 30)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["auditor@example.test", "new@example.test", "sw@example.test", "tm@example.test"]


def test_an_agreed_exemption_with_no_one_free_tells_qa_staff(
    org, allocated, django_capture_on_commit_callbacks
):
    """P&Q 5: reallocation needs another auditor; when none has room, QA staff place it."""
    mine, _ = allocated
    User.objects.exclude(pk=org.auditor.pk).update(in_audit_pool=False)
    request = exemption_request(allocation=mine, by=org.auditor, reason="Leave", today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        decided = exemption_decide(request=request, by=org.senior_manager, agree=True, today=TODAY)
    assert decided.reallocated_to is None
    assert any(m.to == ["qa@example.test"] and "needs an auditor" in m.subject for m in mail.outbox)


def test_a_refused_exemption_leaves_the_audit_due(
    org, allocated, django_capture_on_commit_callbacks
):
    """P&Q 30: not agreed means non-completion; the audit still has to be done."""
    mine, _ = allocated
    request = exemption_request(allocation=mine, by=org.auditor, reason="Busy", today=TODAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        exemption_decide(request=request, by=org.senior_manager, agree=False, today=TODAY)
    mine.refresh_from_db()
    assert mine.status == AllocationStatus.ALLOCATED
    (message,) = mail.outbox
    assert message.to == ["auditor@example.test"]
    assert "still due by 30 November 2026" in message.body


def test_only_the_named_approver_decides_and_only_once(org, allocated):
    """P&Q 4: "can only be agreed by the Assistant Director"."""
    mine, _ = allocated
    request = exemption_request(allocation=mine, by=org.auditor, reason="Busy", today=TODAY)
    with pytest.raises(RuleViolation, match="Only the person"):
        exemption_decide(request=request, by=org.qa_officer, agree=True, today=TODAY)
    exemption_decide(request=request, by=org.senior_manager, agree=False, today=TODAY)
    with pytest.raises(RuleViolation, match="already been refused"):
        exemption_decide(request=request, by=org.senior_manager, agree=True, today=TODAY)
