"""Comments and challenges on a shared draft, and moderation of challenges left
unresolved (P&Q 7, 18, 21-22; Hillingdon 2.11-2.12; Bradford 3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import DisputeRoute, User
from accounts.selectors import policy_get
from accounts.services import notify

from .. import grading, lifecycle
from ..models import Audit, ChallengeState, Comment, DisputeStage, Moderation
from ..selectors import (
    case_head_of_service,
    case_team_manager,
    is_case_reader,
    moderator_refusal,
    qa_staff,
)
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
def challenge_respond(
    *, comment: Comment, by: User, resolved: bool, response: str, about: str = "grade"
) -> Comment:
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
        moderation_request(audit=audit, by=by, reason=comment.body, about=about)
    return comment


@transaction.atomic
def challenge_escalate(*, comment: Comment, by: User, reason: str, about: str = "grade") -> Comment:
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
    moderation_request(
        audit=audit, by=by, reason=f"{comment.body}\n\n{reason.strip()}", about=about
    )
    return comment


GRADE, ACTIONS = "grade", "actions"


def _first_step(*, audit: Audit, about: str) -> tuple[str, User | None]:
    """The policy's route for a dispute, and who takes its first step if the policy names
    them: P&Q 22 moderation (QA staff choose); Hillingdon 2.11 a review session of the
    auditor, worker and team manager; Bradford 3 the grade to the head of service for QA,
    the actions to the case-holding head of service."""
    policy = policy_get()
    if policy.dispute_route == DisputeRoute.REVIEW_THEN_MEDIATION:
        return DisputeStage.REVIEW_SESSION, None
    if policy.dispute_route == DisputeRoute.HEADS_OF_SERVICE:
        if about == ACTIONS:
            return DisputeStage.ACTIONS_REVIEW, case_head_of_service(audit.case)
        return DisputeStage.GRADE_REVIEW, policy.qa_head_of_service
    return DisputeStage.MODERATION, None


def _assign_or_ask_qa(*, moderation: Moderation, named: User | None) -> Moderation:
    """Give the step to the person the policy names, if they may take it; otherwise QA
    staff are asked to choose."""
    audit = moderation.audit
    if named is not None and moderator_refusal(audit=audit, user=named, stage=moderation.stage):
        named = None
    if named is None:
        notify(
            recipients=qa_staff(),
            template="moderation-requested",
            key=f"moderation-requested:{moderation.pk}",
            context={"audit": audit, "case": audit.case, "reason": moderation.reason},
            url=reverse("audit:moderation-assign", args=[audit.pk]),
        )
        return moderation
    moderation.moderator = named
    moderation.assigned_at = timezone.now()
    moderation.save(update_fields=["moderator", "assigned_at"])
    _tell_moderator(moderation)
    return moderation


def _tell_moderator(moderation: Moderation) -> None:
    audit = moderation.audit
    notify(
        recipients=[moderation.moderator],
        template="moderation-assigned",
        key=f"moderation-assigned:{moderation.pk}:{moderation.moderator_id}",
        context={"audit": audit, "case": audit.case, "reason": moderation.reason},
        url=reverse("audit:moderation-decide", args=[audit.pk]),
    )


@transaction.atomic
def moderation_request(*, audit: Audit, by: User, reason: str, about: str = GRADE) -> Moderation:
    """A challenge not resolved between auditor, worker and manager takes the policy's
    route (P&Q 22, Hillingdon 2.11-2.12, Bradford 3). The audit waits in moderation; a
    second dispute (Bradford: the actions as well as the grade) is another step beside the
    first."""
    if not (audit.allocation.auditor_id == by.pk or is_case_reader(by, audit)):
        raise RuleViolation("Only the auditor or the case's team can ask for moderation.")
    audit.refresh_from_db(fields=["status"])
    if audit.status != lifecycle.IN_MODERATION:
        audit_transition(audit=audit, to=lifecycle.IN_MODERATION, by=by, why="Challenge unresolved")
    stage, named = _first_step(audit=audit, about=about)
    moderation = Moderation.objects.create(audit=audit, requested_by=by, reason=reason, stage=stage)
    if stage == DisputeStage.REVIEW_SESSION:
        case = audit.case
        notify(
            recipients=[audit.auditor, case.allocated_worker, case_team_manager(case)],
            template="review-session-due",
            key=f"review-session-due:{moderation.pk}",
            context={"audit": audit, "case": case, "reason": reason},
            url=reverse("audit:task-list", args=[audit.pk]),
        )
        return moderation
    return _assign_or_ask_qa(moderation=moderation, named=named)


@transaction.atomic
def review_session_record(
    *, audit: Audit, by: User, findings: str, agreed: bool, today: dt.date
) -> Moderation:
    """The auditor records the review session's findings in the audit (Hillingdon 2.11).
    Agreed: the draft goes back to the auditor to change and submit. Not agreed: mediation
    by the case's head of service is sought (2.12), or QA staff choose who mediates."""
    moderation = (
        Moderation.objects.select_for_update()
        .filter(audit=audit, stage=DisputeStage.REVIEW_SESSION, decided_at__isnull=True)
        .first()
    )
    if moderation is None:
        raise RuleViolation("No review session is waiting for this audit.")
    if audit.allocation.auditor_id != by.pk:
        raise RuleViolation("The auditor records the review session's findings.")
    if not findings.strip():
        raise RuleViolation("Record what the review session found.")
    moderation.moderator = by
    moderation.reasons = findings.strip()
    moderation.actions_decision = "Agreed" if agreed else "Not agreed: mediation sought"
    moderation.decided_at = timezone.now()
    moderation.save(update_fields=["moderator", "reasons", "actions_decision", "decided_at"])
    if agreed:
        audit_transition(
            audit=audit, to=lifecycle.IN_PROGRESS, by=by, why="Review session agreed a change"
        )
        return moderation
    mediation = Moderation.objects.create(
        audit=audit,
        requested_by=by,
        reason=f"{moderation.reason}\n\nReview session: {findings.strip()}",
        stage=DisputeStage.MEDIATION,
    )
    return _assign_or_ask_qa(moderation=mediation, named=case_head_of_service(audit.case))


@transaction.atomic
def moderation_assign(*, audit: Audit, moderator: User, by: User) -> Moderation:
    """QA staff pick who takes the waiting step: for moderation a senior manager in a
    service not connected with the case (P&Q 22); for the steps that name a head of
    service, that head of service (Hillingdon 2.12, Bradford 3). Anyone else is refused
    with the reason."""
    if not by.has_perm("accounts.quality_assure"):
        raise RuleViolation("Only QA staff arrange moderation.")
    moderation = (
        Moderation.objects.select_for_update()
        .filter(audit=audit, decided_at__isnull=True)
        .exclude(stage=DisputeStage.REVIEW_SESSION)
        .first()
    )
    if moderation is None:
        raise RuleViolation("This moderation has been decided.")
    refused = moderator_refusal(audit=audit, user=moderator, stage=moderation.stage)
    if refused:
        if moderation.stage == DisputeStage.MODERATION:
            raise RuleViolation(f"{refused} Choose someone not connected with the case.")
        raise RuleViolation(f"{refused} Choose the head of service the policy names.")
    moderation.moderator = moderator
    moderation.assigned_by = by
    moderation.assigned_at = timezone.now()
    moderation.save()
    _tell_moderator(moderation)
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
    """The decision of the moderator (or head of service) is final and recorded (P&Q 22,
    Hillingdon 2.12, Bradford 3). A review of the actions alone leaves the grade as it
    was. Once no step is left waiting, the audit is submitted on the decided grade."""
    moderation = (
        Moderation.objects.select_for_update()
        .filter(audit=audit, moderator=by)
        .exclude(stage=DisputeStage.REVIEW_SESSION)
        .order_by("decided_at", "id")
        .first()
    )
    if moderation is None:
        raise RuleViolation("Only the assigned moderator can decide.")
    if moderation.decided_at:
        raise RuleViolation("The moderator's decision is final; it has been recorded.")
    scale = grading.values(audit.definition, audit.definition["overall"]["scale"])
    if moderation.stage == DisputeStage.ACTIONS_REVIEW:
        if overall_grade and overall_grade not in scale:
            raise RuleViolation("Choose the overall grade.")
        if not actions_decision.strip():
            raise RuleViolation("Give the decision on the actions.")
    elif overall_grade not in scale:
        raise RuleViolation("Choose the overall grade.")
    if not reasons.strip():
        raise RuleViolation("Give the reasons for the decision.")
    moderation.overall_grade = overall_grade
    moderation.actions_decision = actions_decision.strip()
    moderation.reasons = reasons.strip()
    moderation.decided_at = timezone.now()
    moderation.save()
    case = audit.case
    notify(
        recipients=[audit.auditor, case.team.manager if case.team_id else None],
        template="moderation-decided",
        key=f"moderation-decided:{moderation.pk}",
        context={"audit": audit, "case": case, "moderation": moderation},
        url=_url(audit),
    )
    if Moderation.objects.filter(audit=audit, decided_at__isnull=True).exists():
        return moderation  # another step of the dispute is still waiting
    audit_transition(audit=audit, to=lifecycle.SUBMITTED, by=by, why="Moderation decided")
    Audit.objects.filter(pk=audit.pk).update(submitted_at=timezone.now())
    audit = Audit.objects.select_related("allocation__case", "form_version").get(pk=audit.pk)
    audit_route(audit=audit, by=by, today=today)
    return moderation
