"""What others make of a submitted audit: comments and challenges, moderation, QA
checks, and the consensus of a paired audit."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import User

from .audit import Audit


class ChallengeState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    UNRESOLVED = "unresolved", "Not resolved: moderation"


class Comment(models.Model):
    """A comment on a shared draft, or a challenge to it (P&Q 7, 18, 21)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    is_challenge = models.BooleanField(default=False)
    state = models.CharField(
        max_length=12, choices=ChallengeState.choices, default=ChallengeState.OPEN
    )
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class DisputeStage(models.TextChoices):
    """The steps of a dispute the policy's route takes (`accounts.models.DisputeRoute`)."""

    MODERATION = "moderation", "Moderation by a senior manager not connected with the case"
    REVIEW_SESSION = "review_session", "Review session of the auditor, worker and team manager"
    MEDIATION = "mediation", "Mediation by the head of service"
    GRADE_REVIEW = "grade_review", "Grade reviewed by the head of service for quality assurance"
    ACTIONS_REVIEW = "actions_review", "Actions reviewed by the case's head of service"


class Moderation(models.Model):
    """One step of resolving a disputed audit: moderation by a senior manager not
    connected with the case (P&Q 22); a review session, then mediation by the head of
    service (Hillingdon 2.11-2.12); or the grade to the head of service for QA and the
    actions to the case's head of service (Bradford 3). An audit may have several; the
    decision of each is final."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="moderations")
    stage = models.CharField(
        max_length=16, choices=DisputeStage.choices, default=DisputeStage.MODERATION
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    moderator = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="moderations"
    )
    assigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    overall_grade = models.CharField(max_length=40, blank=True)
    actions_decision = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} of audit {self.audit_id}"


class QAOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned for amendment"


class QACheck(models.Model):
    """QA staff's decision on a sampled audit (Bury 5.2, 6.5; P&Q 20). A returned audit is
    due back within the policy's working days; the sweep tells QA staff when it is late."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="qa_checks")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=QAOutcome.choices)
    reason = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    resubmitted_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    # For agreement statistics (Bury 5.2, 8.1): the QA officer's own grades, when given, and
    # the auditor's as they stood at the check, each {"overall": v, "sections": {key: v}}.
    qa_grades = models.JSONField(default=dict, blank=True)
    auditor_grades = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"QA check of audit {self.audit_id}: {self.get_outcome_display()}"


class Consensus(models.Model):
    """The grades two or three auditors agreed for a paired case (Bury 8.1). Their own
    audits are kept unchanged for agreement statistics."""

    pair_group = models.UUIDField(unique=True)
    lead_audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="consensus")
    grades = models.JSONField(default=dict)
    overall_grade = models.CharField(max_length=40)
    outcomes_met = models.CharField(max_length=10, blank=True)
    good_elements = models.TextField(blank=True)
    # Each auditor's SMART actions and what the pair decided: kept (on the lead audit),
    # merged into another, or dropped; a list of {"id", "auditor", "what", "decision",
    # "into"}, so none is lost without a decision (Bury 8.1).
    action_decisions = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "consensus records"

    def __str__(self) -> str:
        return f"Consensus for pair {self.pair_group}"
