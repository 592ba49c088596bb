"""Comments and challenges on a shared draft, and moderation of challenges left
unresolved (P&Q 7, 18, 21-22; Hillingdon 2.11-2.12; Bradford 3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import User
from accounts.services import notify

from .. import grading, lifecycle
from ..models import Audit, ChallengeState, Comment, Moderation
from ..selectors import is_case_reader, moderator_refusal, qa_staff
from .routing import audit_route
from .transition import audit_transition


def _url(audit: Audit) -> str:
    return reverse("audit:task-list", args=[audit.pk])


@transaction.atomic
def comment_add(*, audit: Audit, by: User, body: str, challenge: bool = False) -> Comment:
    """The case's worker, team manager or IRO comments on the shared draft, or challenges
    it; the auditor is told (P&Q 18, 21). Only while the draft is shared."""
    if audit.status not in lifecycle.OPEN_FOR_COMMENT:
        raise RuleViolation("Comments are taken only while the draft is shared for comment.")
    if not is_case_reader(by, audit):
        raise RuleViolation("Only the case's worker, team manager or IRO can comment.")
    if not body.strip():
        raise RuleViolation("Enter your comment.")
    comment = Comment.objects.create(
        audit=audit, author=by, body=body.strip(), is_challenge=challenge
    )
    notify(
        recipients=[audit.auditor],
        template="audit-comment",
        key=f"audit-comment:{comment.pk}",
        context={"audit": audit, "case": audit.case, "comment": comment},
        url=_url(audit),
    )
    return comment


@transaction.atomic
def challenge_respond(*, comment: Comment, by: User, resolved: bool, response: str) -> Comment:
    """The auditor answers a challenge: resolved between them, or not (then it goes to
    moderation, see `moderation_request`)."""
    audit = comment.audit
    if audit.allocation.auditor_id != by.pk:
        raise RuleViolation("Only the auditor answers a challenge.")
    if not comment.is_challenge or comment.state != ChallengeState.OPEN:
        raise RuleViolation("This challenge has already been answered.")
    comment.state = ChallengeState.RESOLVED if resolved else ChallengeState.UNRESOLVED
    comment.response = response.strip()
    comment.responded_by = by
    comment.responded_at = timezone.now()
    comment.save()
    if not resolved:
        moderation_request(audit=audit, by=by, reason=comment.body)
    return comment


@transaction.atomic
def challenge_escalate(*, comment: Comment, by: User, reason: str) -> Comment:
    """The worker, team manager or IRO who challenged takes a challenge they could not
    settle with the auditor to moderation themselves (P&Q 21-22): the challenge is
    marked not resolved and QA staff are asked to arrange moderation."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_challenge or comment.author_id != by.pk:
        raise RuleViolation("Only the person who made the challenge can take it to moderation.")
    if comment.state != ChallengeState.OPEN:
        raise RuleViolation("This challenge has already been answered.")
    if not reason.strip():
        raise RuleViolation("Say what could not be agreed with the auditor.")
    audit = comment.audit
    comment.state = ChallengeState.UNRESOLVED
    comment.responded_by = by
    comment.responded_at = timezone.now()
    comment.save(update_fields=["state", "responded_by", "responded_at"])
    moderation_request(audit=audit, by=by, reason=f"{comment.body}\n\n{reason.strip()}")
    return comment


@transaction.atomic
def moderation_request(*, audit: Audit, by: User, reason: str) -> Moderation:
    """A challenge not resolved between auditor, worker and manager goes to QA staff, who
    arrange moderation (P&Q 22). The audit waits in moderation."""
    if not (audit.allocation.auditor_id == by.pk or is_case_reader(by, audit)):
        raise RuleViolation("Only the auditor or the case's team can ask for moderation.")
    audit_transition(audit=audit, to=lifecycle.IN_MODERATION, by=by, why="Challenge unresolved")
    moderation = Moderation.objects.create(audit=audit, requested_by=by, reason=reason)
    notify(
        recipients=qa_staff(),
        template="moderation-requested",
        key=f"moderation-requested:{moderation.pk}",
        context={"audit": audit, "case": audit.case, "reason": reason},
        url=reverse("audit:moderation-assign", args=[audit.pk]),
    )
    return moderation


@transaction.atomic
def moderation_assign(*, audit: Audit, moderator: User, by: User) -> Moderation:
    """QA staff pick the moderator: a senior manager in a service not connected with the
    case (P&Q 22). Anyone connected is refused with the reason."""
    if not by.has_perm("accounts.quality_assure"):
        raise RuleViolation("Only QA staff arrange moderation.")
    moderation = Moderation.objects.select_for_update().get(audit=audit)
    if moderation.decided_at:
        raise RuleViolation("This moderation has been decided.")
    refused = moderator_refusal(audit=audit, user=moderator)
    if refused:
        raise RuleViolation(f"{refused} Choose someone not connected with the case.")
    moderation.moderator = moderator
    moderation.assigned_by = by
    moderation.assigned_at = timezone.now()
    moderation.save()
    notify(
        recipients=[moderator],
        template="moderation-assigned",
        key=f"moderation-assigned:{moderation.pk}:{moderator.pk}",
        context={"audit": audit, "case": audit.case, "reason": moderation.reason},
        url=reverse("audit:moderation-decide", args=[audit.pk]),
    )
    return moderation


@transaction.atomic
def moderation_decide(
    *,
    audit: Audit,
    by: User,
    overall_grade: str,
    actions_decision: str,
    reasons: str,
    today: dt.date,
) -> Moderation:
    """The moderator's decision on the grade and the actions is final and recorded
    (P&Q 22); the audit is then submitted on the moderator's grade and goes on."""
    moderation = Moderation.objects.select_for_update().get(audit=audit)
    if moderation.moderator_id != by.pk:
        raise RuleViolation("Only the assigned moderator can decide.")
    if moderation.decided_at:
        raise RuleViolation("The moderator's decision is final; it has been recorded.")
    if overall_grade not in grading.values(audit.definition, audit.definition["overall"]["scale"]):
        raise RuleViolation("Choose the overall grade.")
    if not reasons.strip():
        raise RuleViolation("Give the reasons for the decision.")
    moderation.overall_grade = overall_grade
    moderation.actions_decision = actions_decision.strip()
    moderation.reasons = reasons.strip()
    moderation.decided_at = timezone.now()
    moderation.save()
    audit_transition(audit=audit, to=lifecycle.SUBMITTED, by=by, why="Moderation decided")
    Audit.objects.filter(pk=audit.pk).update(submitted_at=timezone.now())
    case = audit.case
    notify(
        recipients=[audit.auditor, case.team.manager if case.team_id else None],
        template="moderation-decided",
        key=f"moderation-decided:{moderation.pk}",
        context={"audit": audit, "case": case, "moderation": moderation},
        url=_url(audit),
    )
    audit = Audit.objects.select_related("allocation__case", "form_version").get(pk=audit.pk)
    audit_route(audit=audit, by=by, today=today)
    return moderation
