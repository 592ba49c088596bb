"""Comments and challenges on a shared draft; moderation by a senior manager not connected
with the case, whose decision is final (P&Q 18, 21-22; Hillingdon 2.11-2.12)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import Role
from accounts.selectors import policy_get
from audits import lifecycle
from audits.selectors import final_grade, moderator_refusal
from audits.services import (
    audit_share_for_comment,
    challenge_respond,
    comment_add,
    moderation_assign,
    moderation_decide,
)
from tests.accounts.factories import UserFactory

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unconnected(org):
    """A head of service in the south, nowhere near the north team's case."""
    return UserFactory(
        email="hos.south@example.test",
        full_name="Hal South",
        role=Role.HEAD_OF_SERVICE,
        service_area=org.south,
    )


def _challenged(org):
    audit = fill_in(
        started_audit(org), grade="requires_improvement", overall="requires_improvement"
    )
    audit_share_for_comment(audit=audit, by=org.auditor)
    challenge = comment_add(
        audit=audit, by=org.social_worker, body="The plan was reviewed in time.", challenge=True
    )
    challenge_respond(
        comment=challenge, by=org.auditor, resolved=False, response="I still disagree."
    )
    audit.refresh_from_db()
    return audit


def test_the_worker_comments_on_a_shared_draft_and_the_auditor_is_told(org, client_for):
    audit = started_audit(org)
    with pytest.raises(RuleViolation, match="only while the draft is shared"):
        comment_add(audit=audit, by=org.social_worker, body="Early")
    audit_share_for_comment(audit=audit, by=org.auditor)
    response = client_for(org.social_worker).post(
        reverse("audit:comment", args=[audit.pk]), {"body": "Please look at the CIN minutes."}
    )
    assert response.status_code == 302
    assert audit.comments.get().author == org.social_worker
    assert org.auditor.notices.filter(template="audit-comment").exists()


def test_someone_outside_the_case_cannot_comment(org):
    audit = started_audit(org)
    audit_share_for_comment(audit=audit, by=org.auditor)
    with pytest.raises(RuleViolation):
        comment_add(audit=audit, by=org.outsider, body="Me too")


def test_a_challenge_resolved_between_them_does_not_go_to_moderation(org):
    audit = started_audit(org)
    audit_share_for_comment(audit=audit, by=org.auditor)
    challenge = comment_add(audit=audit, by=org.team_manager, body="Grade too low", challenge=True)
    challenge_respond(comment=challenge, by=org.auditor, resolved=True, response="Agreed, changed.")
    audit.refresh_from_db()
    assert audit.status == lifecycle.SHARED


def test_an_unresolved_challenge_goes_to_moderation_and_qa_staff_are_told(org):
    audit = _challenged(org)
    assert audit.status == lifecycle.IN_MODERATION
    assert org.qa_officer.notices.filter(template="moderation-requested").exists()


@pytest.mark.parametrize(
    "who",
    [
        "auditor",
        "team_manager",
        "social_worker",
        "service_manager",
        "strategic_lead",
        "senior_manager",
    ],
)
def test_anyone_connected_with_the_case_is_refused_as_moderator(org, who):
    """P&Q 22: a senior manager in a service not connected with the audited case."""
    audit = _challenged(org)
    person = getattr(org, who)
    assert moderator_refusal(audit=audit, user=person) is not None
    with pytest.raises(RuleViolation, match="not connected"):
        moderation_assign(audit=audit, moderator=person, by=org.qa_officer)


def test_someone_in_the_case_team_or_not_a_senior_manager_is_refused(org, unconnected):
    audit = _challenged(org)
    colleague = UserFactory(role=Role.SERVICE_MANAGER, team=org.north_team)
    assert "team" in moderator_refusal(audit=audit, user=colleague)
    assert "not a senior manager" in moderator_refusal(audit=audit, user=org.outsider)
    assert moderator_refusal(audit=audit, user=unconnected) is None


def test_the_assign_page_refuses_a_connected_moderator_with_the_reason(
    org, client_for, unconnected
):
    audit = _challenged(org)
    url = reverse("audit:moderation-assign", args=[audit.pk])
    client = client_for(org.qa_officer)
    refused = client.post(url, {"moderator": org.service_manager.pk})
    assert refused.status_code == 400
    assert "line-manages" in refused.content.decode() or "service area" in refused.content.decode()
    assert client.post(url, {"moderator": unconnected.pk}).status_code == 302
    assert client_for(org.auditor).get(url).status_code == 403


def test_the_moderators_decision_is_final_and_recorded(org, unconnected):
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.save()
    audit = _challenged(org)
    moderation_assign(audit=audit, moderator=unconnected, by=org.qa_officer)
    with pytest.raises(RuleViolation, match="assigned moderator"):
        moderation_decide(
            audit=audit,
            by=org.qa_officer,
            overall_grade="good",
            actions_decision="",
            reasons="x",
            today=TODAY,
        )
    moderation_decide(
        audit=audit,
        by=unconnected,
        overall_grade="good",
        actions_decision="Keep action 1 only.",
        reasons="Plans were reviewed on time.",
        today=TODAY,
    )
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    assert final_grade(audit) == "good"
    assert audit.overall_grade == "requires_improvement"  # the auditor's own stays on record
    with pytest.raises(RuleViolation, match="final"):
        moderation_decide(
            audit=audit,
            by=unconnected,
            overall_grade="inadequate",
            actions_decision="",
            reasons="x",
            today=TODAY,
        )
