"""Remedial actions, Management Decisions, disagreements, the four-month compliance review
and the six-monthly action plan (SPEC §8-§9; Bury 9-10, Leeds 7 and Appendix B, P&Q 23-27,
Bradford 2-3, Hillingdon 2.14).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from accounts.models import Team, User
from sampling.models import Case


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULFILLED = "fulfilled", "Fulfilled"
    COMPLETED = "completed", "Completed"
    AUTHORISED = "authorised", "Authorised"
    DECISION_PENDING = "decision_pending", "Management Decision waiting"
    CLOSED_BY_DECISION = "closed_by_decision", "Closed by Management Decision"


# An action is finished in these; in any other state the case is not finished (Bury 9.6).
FINISHED = frozenset({ActionStatus.AUTHORISED, ActionStatus.CLOSED_BY_DECISION})
UNFINISHED = tuple(s for s in ActionStatus if s not in FINISHED)
# The team manager still has to act on these by the due date (Bury 9.3): an action that is
# signed off, or whose Management Decision waits for a senior manager, is not late.
WITH_TEAM = (ActionStatus.OPEN, ActionStatus.FULFILLED)


class RemedialAction(models.Model):
    """A SMART action of a finished audit, owned by the case's current team manager with
    the allocated worker named (Bury 9.2), due by the policy's rule (Bury 9.3, Leeds 7.4).

    open → fulfilled (done, with the date: Leeds 7.3) → completed (signed off by the team
    manager) → authorised (confirmed by a service manager) (Bury 10.1). An action that
    cannot be achieved takes a Management Decision, which a service manager or strategic
    lead authorises (closing it) or refuses (reopening it) (Bury 9.4). `action_transition`
    is the only way to move it, and writes an `ActionEvent`.
    """

    Status = ActionStatus
    TRANSITIONS: dict[str, frozenset[str]] = {
        ActionStatus.OPEN: frozenset({ActionStatus.FULFILLED, ActionStatus.DECISION_PENDING}),
        ActionStatus.FULFILLED: frozenset(
            {ActionStatus.COMPLETED, ActionStatus.OPEN, ActionStatus.DECISION_PENDING}
        ),
        ActionStatus.COMPLETED: frozenset({ActionStatus.AUTHORISED, ActionStatus.OPEN}),
        ActionStatus.DECISION_PENDING: frozenset(
            {ActionStatus.CLOSED_BY_DECISION, ActionStatus.OPEN}
        ),
        ActionStatus.AUTHORISED: frozenset(),
        ActionStatus.CLOSED_BY_DECISION: frozenset(),
    }

    smart_action = models.OneToOneField(
        "audits.SmartAction", on_delete=models.PROTECT, related_name="remedial_action"
    )
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.PROTECT, related_name="remedial_actions"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="remedial_actions")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="remedial_actions")
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
        help_text="The team's manager, who answers for the action (Bury 9.2-9.3).",
    )
    worker = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="named_actions",
        help_text="The case's allocated worker when the action was made.",
    )
    carried_by_team_manager = models.BooleanField(
        default=False,
        help_text="The worker is absent (or there is none): the team manager does the work "
        "(Bury 9.5).",
    )
    absence_note = models.CharField(max_length=500, blank=True)
    what = models.TextField()
    who = models.CharField(max_length=200, blank=True, help_text="As the audit put it.")
    asked_for = models.DateField(null=True, blank=True, help_text="The audit's own date.")
    created_on = models.DateField()
    received_on = models.DateField(help_text="The day it reached the team manager.")
    due_on = models.DateField()
    awaits_supervision = models.BooleanField(
        default=False,
        help_text="Due at the team manager's next supervision, not yet recorded: the "
        "fallback date stands until it is (Hillingdon 2.14).",
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    fulfilled_on = models.DateField(null=True, blank=True, help_text="The day it was done.")
    fulfilled_note = models.TextField(blank=True)
    fulfilled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Claims: set by a conditional UPDATE before a notice goes, so a sweep that runs twice
    # or on two workers at once sends each reminder once.
    reminder_sent_on = models.DateField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["team", "status", "due_on"], name="action_team_status_due"),
            models.Index(fields=["status", "due_on"], name="action_status_due"),
            models.Index(fields=["case", "status"], name="action_case_status"),
            # A social worker's actions (the home page's count and their worktray).
            models.Index(fields=["worker", "status"], name="action_worker_status"),
            # The dashboard's actions of a summarised month: only those still moving are
            # counted (reporting.dashboard.actions), and those finished since the summary.
            models.Index(
                fields=["created_on"],
                condition=~models.Q(status__in=sorted(s.value for s in FINISHED)),
                name="action_moving_created",
            ),
            models.Index(
                fields=["closed_on"],
                condition=models.Q(closed_on__isnull=False),
                name="action_closed_on",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk} on case {self.case_id}: {self.what[:50]}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in WITH_TEAM and self.due_on < today

    @property
    def carrier(self) -> User | None:
        """Who does the work: the worker, or the team manager when the worker is absent."""
        if self.carried_by_team_manager or self.worker is None:
            return self.owner
        return self.worker


class ActionEvent(models.Model):
    """Each move of an action: who, when, from, to, and their note."""

    action = models.ForeignKey(RemedialAction, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.from_status or 'new'} → {self.to_status}"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for authorisation"
    AUTHORISED = "authorised", "Authorised"
    REFUSED = "refused", "Refused"


class ManagementDecision(models.Model):
    """A team manager's recorded reason why an action cannot be achieved (Bury 9.4, 9.7),
    authorised by a service manager or strategic lead before the action closes; a refused
    decision reopens the action."""

    action = models.ForeignKey(RemedialAction, on_delete=models.CASCADE, related_name="decisions")
    reason = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=models.Q(status="pending"),
                name="one_pending_decision_an_action",
            )
        ]

    def __str__(self) -> str:
        return f"Management Decision on action {self.action_id}"


class DisagreementStatus(models.TextChoices):
    OPEN = "open", "Being discussed"
    RESOLVED = "resolved", "Resolved"
    REFERRED = "referred", "Referred"


class Disagreement(models.Model):
    """A disagreement between the auditor and the team manager or worker about whether an
    action is needed or can be done (Bury 9.8, Bradford 3). They try to resolve it first;
    one about safeguarding, or one they cannot resolve, goes to the case's strategic lead
    (or, without one, its head of service or service manager)."""

    action = models.ForeignKey(
        RemedialAction, on_delete=models.CASCADE, related_name="disagreements"
    )
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    position = models.TextField(help_text="What is disputed, and why.")
    safeguarding = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=DisagreementStatus.choices, default=DisagreementStatus.OPEN
    )
    referred_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"Disagreement about action {self.action_id}"


class ComplianceReview(models.Model):
    """The month's four-month compliance review (Bury 10): every audit whose review day
    (the policy's months after it reached the team manager) fell in the month, with each
    of its actions as it stood that day. One row a month; the sweep returns what exists.
    Sent once, after the month ends, to each team manager, copied to the service manager
    and strategic lead (Bury 10.2)."""

    month = models.DateField(unique=True, help_text="The first day of the month.")
    opened_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="compliance_review_month_is_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"Compliance review for {self.month:%B %Y}"


class Outstanding(models.TextChoices):
    """What is still to do for an action at its review, the "nature" counted for the
    senior managers' meeting (Bury 10.2)."""

    NONE = "none", "Nothing"
    NOT_FULFILLED = "not_fulfilled", "Not done"
    NOT_COMPLETED = "not_completed", "Done, not signed off"
    NOT_AUTHORISED = "not_authorised", "Signed off, not authorised"
    DECISION_PENDING = "decision_pending", "Management Decision waiting"


class ComplianceItem(models.Model):
    """One action as it stood on its audit's review day: fulfilled, completed, authorised,
    and what was outstanding (Bury 10.1). An action is reviewed once."""

    review = models.ForeignKey(ComplianceReview, on_delete=models.CASCADE, related_name="items")
    action = models.OneToOneField(
        RemedialAction, on_delete=models.CASCADE, related_name="compliance_item"
    )
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    due_for_review_on = models.DateField()
    reviewed_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    fulfilled = models.BooleanField()
    fulfilled_on = models.DateField(null=True, blank=True)
    completed = models.BooleanField()
    authorised = models.BooleanField()
    closed_by_decision = models.BooleanField(default=False)
    outstanding = models.CharField(max_length=20, choices=Outstanding.choices)

    class Meta:
        ordering = ["team__name", "audit_id", "action_id"]
        indexes = [models.Index(fields=["review", "team"], name="compliance_item_review_team")]

    def __str__(self) -> str:
        return f"{self.review}: action {self.action_id}"


class Held(models.TextChoices):
    YES = "yes", "Yes, the improvement held"
    PARTLY = "partly", "Partly"
    NO = "no", "No, it did not hold"


class FollowUp(models.Model):
    """The "review of reviews": QA staff look again at an audit from an earlier review and
    record whether the improvement its actions made has held (Bury 10.2)."""

    review = models.ForeignKey(
        ComplianceReview, on_delete=models.CASCADE, related_name="follow_ups"
    )
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    held = models.CharField(max_length=8, choices=Held.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "audit"], name="follow_up_an_audit_once")
        ]

    def __str__(self) -> str:
        return f"Follow-up of audit {self.audit_id}: {self.get_held_display()}"


class ActionPlanItem(models.Model):
    """A row of the six-monthly report's action plan (Leeds Appendix B): a shortfall in the
    service that senior leaders are asked to act on. Entered by QA staff."""

    half_year = models.DateField(help_text="1 January or 1 July: the report it belongs to.")
    title = models.CharField(max_length=200)
    action = models.TextField("action to be taken")
    taken_to_date = models.TextField("action taken to date", blank=True)
    responsible_officer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="plan_items"
    )
    completed_on = models.DateField("date completed", null=True, blank=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["half_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(half_year__day=1, half_year__month__in=[1, 7]),
                name="plan_half_year_starts_jan_or_jul",
            )
        ]

    def __str__(self) -> str:
        return self.title
