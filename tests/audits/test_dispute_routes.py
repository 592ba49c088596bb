"""Dispute routes per policy: P&Q 22 moderation; Bradford 3's two heads of service;
Hillingdon 2.11-2.12's review session, then mediation by the head of service. An audit may
hold more than one step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import DisputeRoute, Role
from accounts.policy_presets import preset_values
from audits import lifecycle
from audits.models import DisputeStage, Moderation
from audits.selectors import final_grade, moderator_refusal
from audits.services import (
    audit_share_for_comment,
    audit_submit,
    challenge_respond,
    comment_add,
    moderation_assign,
    moderation_decide,
    review_session_record,
)
from tests.accounts.factories import UserFactory

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


def _policy(preset, name):
    policy = preset(name)
    policy.qa_check_percent = 0
    policy.worker_input_before_submit = False
    policy.save()
    return policy


def _disputed(org, about="grade"):
    audit = fill_in(
        started_audit(org), grade="requires_improvement", overall="requires_improvement"
    )
    audit_share_for_comment(audit=audit, by=org.auditor)
    challenge = comment_add(
        audit=audit, by=org.team_manager, body="The grade is too low.", challenge=True
    )
    challenge_respond(
        comment=challenge, by=org.auditor, resolved=False, response="I disagree.", about=about
    )
    audit.refresh_from_db()
    return audit


def test_each_preset_takes_its_seeds_dispute_route():
    """P&Q 22 moderation; Bradford 3 the heads of service; Hillingdon 2.11-2.12 a review
    session then mediation; Bury and Leeds say nothing of their own and keep P&Q's."""
    routes = {name: preset_values(name)["dispute_route"] for name in ("pq", "bury", "leeds")}
    assert set(routes.values()) == {DisputeRoute.MODERATION}
    assert preset_values("bradford")["dispute_route"] == DisputeRoute.HEADS_OF_SERVICE
    assert preset_values("hillingdon")["dispute_route"] == DisputeRoute.REVIEW_THEN_MEDIATION


def test_bradford_sends_a_disputed_grade_to_the_head_of_service_for_qa_and_actions_to_the_cases(
    org, preset
):
    """Bradford 3: "if there is a disagreement regarding the grade, the case file needs to
    be reviewed by the Head of Service for Quality Assurance. If there is disagreement
    regarding the actions identified, this needs to be reviewed by the Head of Service for
    the relevant area (case holding)". The case's own head of service is not refused for
    being in its area; an audit holds both reviews."""
    policy = _policy(preset, "bradford")
    qa_head = UserFactory(
        email="hos.qa@example.test", role=Role.HEAD_OF_SERVICE, full_name="Quin Head"
    )
    policy.qa_head_of_service = qa_head
    policy.save()
    audit = _disputed(org, about="grade")
    grade_review = Moderation.objects.get(audit=audit)
    assert grade_review.stage == DisputeStage.GRADE_REVIEW
    assert grade_review.moderator == qa_head
    assert qa_head.notices.filter(template="moderation-assigned").exists()
    # A second dispute, about the actions, goes to the case-holding head of service.
    from audits.services import moderation_request

    moderation_request(audit=audit, by=org.team_manager, reason="Drop action 2", about="actions")
    actions_review = Moderation.objects.filter(audit=audit).last()
    assert actions_review.stage == DisputeStage.ACTIONS_REVIEW
    assert actions_review.moderator == org.strategic_lead  # the north area's head of service
    assert moderator_refusal(audit=audit, user=org.strategic_lead, stage="actions_review") is None
    moderation_decide(
        audit=audit,
        by=org.strategic_lead,
        overall_grade="",
        actions_decision="Drop action 2.",
        reasons="It repeats action 1.",
        today=TODAY,
    )
    audit.refresh_from_db()
    assert audit.status == lifecycle.IN_MODERATION  # the grade review still waits
    moderation_decide(
        audit=audit,
        by=qa_head,
        overall_grade="good",
        actions_decision="",
        reasons="The plan was reviewed in time.",
        today=TODAY,
    )
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    assert final_grade(audit) == "good"
    assert Moderation.objects.filter(audit=audit).count() == 2


def test_hillingdon_holds_a_review_session_then_mediation_by_the_head_of_service(
    org, preset, client_for
):
    """Hillingdon 2.11: the auditor, social worker and team managers have a review session,
    its findings recorded in the audit form; 2.12: if consensus cannot be reached,
    mediation from the head of service. The case's head of service may mediate."""
    _policy(preset, "hillingdon")
    audit = _disputed(org)
    session = Moderation.objects.get(audit=audit)
    assert session.stage == DisputeStage.REVIEW_SESSION
    assert org.team_manager.notices.filter(template="review-session-due").exists()
    url = reverse("audit:review-session", args=[audit.pk])
    assert client_for(org.team_manager).get(url).status_code == 403
    auditor = client_for(org.auditor)
    assert auditor.post(url, {"findings": "", "agreed": "no"}).status_code == 400
    assert (
        auditor.post(url, {"findings": "We still differ on 4.2.", "agreed": "no"}).status_code
        == 302
    )
    mediation = Moderation.objects.filter(audit=audit).last()
    assert mediation.stage == DisputeStage.MEDIATION
    assert mediation.moderator == org.strategic_lead
    moderation_decide(
        audit=audit,
        by=org.strategic_lead,
        overall_grade="good",
        actions_decision="",
        reasons="Mediated.",
        today=TODAY,
    )
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    assert final_grade(audit) == "good"


def test_hillingdon_review_session_that_agrees_sends_the_draft_back_to_change(org, preset):
    """Hillingdon 2.11: the review session reviews the grading together; agreed, the
    auditor changes the audit and submits it."""
    _policy(preset, "hillingdon")
    audit = _disputed(org)
    with pytest.raises(RuleViolation):
        review_session_record(
            audit=audit, by=org.team_manager, findings="x", agreed=True, today=TODAY
        )
    review_session_record(
        audit=audit, by=org.auditor, findings="Agreed: good.", agreed=True, today=TODAY
    )
    audit.refresh_from_db()
    assert audit.status == lifecycle.IN_PROGRESS
    audit = fill_in(audit, grade="good", overall="good")
    audit_submit(audit=audit, by=org.auditor, today=TODAY)


def test_pq_moderation_still_refuses_anyone_connected_with_the_case(org, preset):
    """P&Q 22: a senior manager in a service not connected with the audited case; the
    case's head of service is refused there, as before."""
    _policy(preset, "pq")
    audit = _disputed(org)
    assert Moderation.objects.get(audit=audit).stage == DisputeStage.MODERATION
    with pytest.raises(RuleViolation, match="not connected"):
        moderation_assign(audit=audit, moderator=org.strategic_lead, by=org.qa_officer)
