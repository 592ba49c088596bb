"""An audit is not finalised past an open challenge; the one who challenged can take it to
moderation themselves (P&Q 21-22)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from audits import lifecycle
from audits.models import ChallengeState, Moderation
from audits.services import (
    audit_share_for_comment,
    audit_submit,
    challenge_escalate,
    comment_add,
)

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


def _challenged(org, by="social_worker"):
    audit = fill_in(started_audit(org), grade="good", overall="good")
    audit_share_for_comment(audit=audit, by=org.auditor)
    challenge = comment_add(
        audit=audit, by=getattr(org, by), body="The grade is too high.", challenge=True
    )
    return audit, challenge


def test_an_audit_cannot_be_submitted_past_an_open_challenge(org):
    """P&Q 21: a challenge is discussed with the auditor "before the audit is finalised";
    P&Q 22: one not agreed goes to moderation. The auditor cannot submit over it, from the
    shared draft nor after taking it back."""
    audit, challenge = _challenged(org)
    with pytest.raises(RuleViolation, match="challenge"):
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.SHARED
    challenge.refresh_from_db()
    assert challenge.state == ChallengeState.OPEN


@pytest.mark.parametrize("who", ["social_worker", "team_manager"])
def test_the_challenger_takes_an_unresolved_challenge_to_moderation(org, who):
    """P&Q 22: "where a consensus cannot be reached ... this should be communicated to the
    Performance and Quality Service": the practitioner or manager who challenged can do so
    themselves, not only the auditor."""
    audit, challenge = _challenged(org, by=who)
    challenge_escalate(comment=challenge, by=getattr(org, who), reason="We could not agree.")
    audit.refresh_from_db()
    challenge.refresh_from_db()
    assert audit.status == lifecycle.IN_MODERATION
    assert challenge.state == ChallengeState.UNRESOLVED
    assert Moderation.objects.get(audit=audit).requested_by == getattr(org, who)
    assert org.qa_officer.notices.filter(template="moderation-requested").exists()


def test_only_the_challenger_takes_their_challenge_to_moderation(org):
    """P&Q 22: it is the challenger's disagreement; someone else on the case cannot send it."""
    audit, challenge = _challenged(org)
    for person in (org.team_manager, org.outsider, org.auditor):
        with pytest.raises(RuleViolation):
            challenge_escalate(comment=challenge, by=person, reason="x")
    with pytest.raises(RuleViolation, match="what could not be agreed"):
        challenge_escalate(comment=challenge, by=org.social_worker, reason=" ")
    audit.refresh_from_db()
    assert audit.status == lifecycle.SHARED


def test_the_challengers_moderation_page_and_its_refusals(org, client_for):
    """P&Q 22: the page the challenger uses; others get 403 or 404, and a blank reason
    is refused with a message and changes nothing."""
    audit, challenge = _challenged(org)
    url = reverse("audit:challenge-moderation", args=[audit.pk, challenge.pk])
    worker = client_for(org.social_worker)
    page = worker.get(url)
    assert page.status_code == 200
    assert "Take your challenge to moderation" in page.content.decode()
    blank = worker.post(url, {"reason": ""})
    assert blank.status_code == 400
    assert "what could not be agreed" in blank.content.decode()
    assert client_for(org.team_manager).get(url).status_code == 403
    assert client_for(org.outsider).get(url).status_code == 404
    worker = client_for(org.social_worker)
    assert worker.post(url, {"reason": "We met and still disagree."}).status_code == 302
    audit.refresh_from_db()
    assert audit.status == lifecycle.IN_MODERATION
    # Once it is in moderation the challenge is no longer open: the page refuses.
    assert worker.get(url).status_code == 403
