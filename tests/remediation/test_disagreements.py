"""Disagreement between the auditor and the team manager or worker about an action: they
try to resolve it first; safeguarding, or unresolved, goes to the strategic lead (Bury 9.8,
Bradford 3: action disputes to the case's Head of Service)."""

from __future__ import annotations

import pytest

from accounts.errors import RuleViolation
from accounts.models import Notice
from remediation.models import DisagreementStatus
from remediation.services import disagreement_raise, disagreement_refer, disagreement_resolve
from tests.remediation.factories import remedial_actions


def test_a_disagreement_is_recorded_and_the_other_parties_are_told(org, bury):
    """Bury 9.8: in the first instance resolution rests with the auditor, Team Manager and
    social worker."""
    [action] = remedial_actions(org)
    d = disagreement_raise(action=action, by=org.team_manager, position="Not needed: done in May")
    assert d.status == DisagreementStatus.OPEN and d.referred_to is None
    told = set(
        Notice.objects.filter(template="disagreement-raised").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {org.auditor.email, org.social_worker.email}
    disagreement_resolve(disagreement=d, by=org.auditor, resolution="Agreed: May's plan counts")
    d.refresh_from_db()
    assert d.status == DisagreementStatus.RESOLVED and d.resolved_by == org.auditor


def test_an_unresolved_disagreement_goes_to_the_strategic_lead_who_resolves_it(org, bury):
    """Bury 9.8: disagreements that cannot be resolved are referred to the relevant
    Strategic Lead."""
    [action] = remedial_actions(org)
    d = disagreement_raise(action=action, by=org.auditor, position="The TM says not feasible")
    disagreement_refer(disagreement=d, by=org.team_manager)
    d.refresh_from_db()
    assert d.status == DisagreementStatus.REFERRED and d.referred_to == org.strategic_lead
    assert Notice.objects.filter(
        recipient=org.strategic_lead, template="disagreement-referred"
    ).exists()
    with pytest.raises(RuleViolation):
        disagreement_resolve(disagreement=d, by=org.team_manager, resolution="We agree now")
    disagreement_resolve(disagreement=d, by=org.strategic_lead, resolution="The action stands")
    d.refresh_from_db()
    assert d.status == DisagreementStatus.RESOLVED


def test_a_safeguarding_disagreement_goes_to_the_strategic_lead_at_once(org, bury):
    """Bury 9.8: disagreements relevant to safeguarding must be referred to the Strategic
    Lead."""
    [action] = remedial_actions(org)
    d = disagreement_raise(action=action, by=org.social_worker, position="Risk", safeguarding=True)
    assert d.status == DisagreementStatus.REFERRED and d.referred_to == org.strategic_lead
    notice = Notice.objects.get(template="disagreement-referred")
    assert notice.urgent


def test_without_a_strategic_lead_it_goes_to_the_head_of_service(org, bury):
    """Bradford 3: action disputes go to the case's Head of Service."""
    org.north.strategic_lead = None
    org.north.save()
    [action] = remedial_actions(org)
    d = disagreement_raise(action=action, by=org.auditor, position="x", safeguarding=True)
    assert d.referred_to == org.north.head_of_service


def test_only_the_parties_raise_a_disagreement(org, bury):
    [action] = remedial_actions(org)
    for person in (org.outsider, org.qa_officer, org.service_manager):
        with pytest.raises(RuleViolation):
            disagreement_raise(action=action, by=person, position="x")
