"""Management Decisions: an action that cannot be achieved, authorised by a service
manager or strategic lead before it closes; refused, the action reopens (Bury 9.4, 9.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.errors import RuleViolation
from accounts.models import Notice
from audits import lifecycle
from audits.models import Audit
from remediation.models import ActionStatus, DecisionStatus
from remediation.services import decision_decide, decision_record
from tests.remediation.factories import remedial_actions

TODAY = dt.date(2026, 11, 20)
REASON = "The information is held by a worker who has left the authority."


def test_a_recorded_decision_waits_and_the_service_manager_is_asked(org, bury):
    """Bury 9.4: Team Managers explain using a Management Decision; a Service Manager or
    Strategic Lead authorises it."""
    [action] = remedial_actions(org)
    decision = decision_record(action=action, by=org.team_manager, reason=REASON, today=TODAY)
    action.refresh_from_db()
    assert action.status == ActionStatus.DECISION_PENDING
    assert decision.status == DecisionStatus.PENDING
    told = set(
        Notice.objects.filter(template="decision-recorded").values_list(
            "recipient__email", flat=True
        )
    )
    assert {org.service_manager.email, org.strategic_lead.email} <= told


def test_an_authorised_decision_closes_the_action_and_its_audit(org, bury):
    """Bury 9.4; P&Q 23: the audit closes when its last action is closed."""
    [action] = remedial_actions(org)
    decision = decision_record(action=action, by=org.team_manager, reason=REASON, today=TODAY)
    decision_decide(decision=decision, by=org.service_manager, authorise=True, today=TODAY)
    action.refresh_from_db()
    decision.refresh_from_db()
    assert action.status == ActionStatus.CLOSED_BY_DECISION
    assert (
        decision.status == DecisionStatus.AUTHORISED and decision.decided_by == org.service_manager
    )
    assert Audit.objects.get(pk=action.audit_id).status == lifecycle.CLOSED
    assert Notice.objects.filter(recipient=org.team_manager, template="decision-decided").exists()


def test_a_refused_decision_reopens_the_action(org, bury):
    """Bury 9.4: the decision must be authorised before the action closes; refused, the
    team must still do it."""
    [action] = remedial_actions(org)
    decision = decision_record(action=action, by=org.team_manager, reason=REASON, today=TODAY)
    with pytest.raises(RuleViolation):
        decision_decide(decision=decision, by=org.strategic_lead, authorise=False, today=TODAY)
    decision_decide(
        decision=decision,
        by=org.strategic_lead,
        authorise=False,
        today=TODAY,
        note="Ask the new worker",
    )
    action.refresh_from_db()
    decision.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert decision.status == DecisionStatus.REFUSED
    assert Audit.objects.get(pk=action.audit_id).status == lifecycle.WITH_TEAM_MANAGER


def test_only_a_service_manager_or_strategic_lead_over_the_team_decides(org, bury):
    """Bury 9.4: authorised by a Service Manager or Strategic Lead — not the team manager
    who recorded it, not QA staff, not someone from another area."""
    [action] = remedial_actions(org)
    decision = decision_record(action=action, by=org.team_manager, reason=REASON, today=TODAY)
    for person in (
        org.team_manager,
        org.qa_officer,
        org.social_worker,
        org.outsider,
        org.senior_manager,
    ):
        with pytest.raises(RuleViolation):
            decision_decide(decision=decision, by=person, authorise=True, today=TODAY)


def test_a_decided_decision_cannot_be_decided_again(org, bury):
    [action] = remedial_actions(org)
    decision = decision_record(action=action, by=org.team_manager, reason=REASON, today=TODAY)
    decision_decide(decision=decision, by=org.service_manager, authorise=True, today=TODAY)
    with pytest.raises(RuleViolation):
        decision_decide(
            decision=decision, by=org.strategic_lead, authorise=False, today=TODAY, note="x"
        )


def test_only_the_team_manager_records_a_decision_and_with_a_reason(org, bury):
    """Bury 9.4: the Team Manager provides the explanation."""
    [action] = remedial_actions(org)
    with pytest.raises(RuleViolation):
        decision_record(action=action, by=org.social_worker, reason=REASON, today=TODAY)
    with pytest.raises(RuleViolation):
        decision_record(action=action, by=org.team_manager, reason="  ", today=TODAY)
