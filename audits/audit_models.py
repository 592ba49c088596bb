"""The audit itself (issue 5): form templates and their frozen versions, the audit of an
allocation with its answers, conversations, comments and challenges, moderation, QA checks,
paired consensus, safeguarding concerns and the inadequate pathway.

Imported by `audits.models`, so Django finds these models under the audits app.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from accounts.models import User
from sampling.models import Case

from . import lifecycle


class FormStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class FormTemplate(models.Model):
    """A form QA staff keep, in versions. `is_current` marks the one new audits start on."""

    key = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_form_template",
            )
        ]

    def __str__(self) -> str:
        return self.title


class FormVersion(models.Model):
    """One version of a form, its definition frozen as JSON (see audits/form_presets).

    Drafts may be changed and previewed; a published version never changes, and every
    audit shows the version it started on for as long as it exists.
    """

    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT)
    definition = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="form_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number} ({self.get_status_display()})"


class ThemeTag(models.Model):
    """A theme of organisational learning, from the list QA staff keep (Bradford 4)."""

    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Outcomes(models.TextChoices):
    MET = "met", "Met"
    ON_TRACK = "on_track", "Not yet met, but on the way to being met"
    NOT_MET = "not_met", "Not met and not on the way to being met"


class Audit(models.Model):
    """The completed form for one allocation (SPEC §2), pinned to its form version.

    Its status follows `audits.lifecycle.TRANSITIONS`; `audit_transition` is the only way
    to change it, and writes an `AuditEvent` for each move.
    """

    Status = models.TextChoices("Status", [(v, label) for v, label in lifecycle.CHOICES])
    TRANSITIONS = lifecycle.TRANSITIONS

    allocation = models.OneToOneField(
        "audits.Allocation", on_delete=models.PROTECT, related_name="audit"
    )
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="audits")
    status = models.CharField(max_length=20, choices=lifecycle.CHOICES, default=lifecycle.ALLOCATED)
    iro = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits_as_iro",
        help_text="The child's IRO or CP chair, who may comment on the draft (P&Q 18).",
    )
    period_from = models.DateField(null=True, blank=True, help_text="Empty: the whole record.")
    period_to = models.DateField()

    # The overall part of the form.
    overall_grade = models.CharField(max_length=40, blank=True)
    overall_reason = models.TextField(blank=True)
    outcomes_met = models.CharField(max_length=10, choices=Outcomes.choices, blank=True)
    good_elements = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    themes = models.ManyToManyField(ThemeTag, blank=True, related_name="audits")
    revision = models.PositiveIntegerField(default=0)

    # QA sampling (Bury 5.2, 6.5): drawn once, at first submission.
    qa_draw = models.FloatField(null=True, blank=True)
    qa_selected = models.BooleanField(null=True, blank=True)

    # The team manager's supervision (Hillingdon 2.14, Bradford 2, Leeds 7.2).
    supervision_on = models.DateField(null=True, blank=True)
    supervision_note = models.TextField(blank=True)

    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Audit of {self.allocation.case} by {self.allocation.auditor}"

    @property
    def case(self) -> Case:
        return self.allocation.case

    @property
    def auditor(self) -> User:
        return self.allocation.auditor

    @property
    def definition(self) -> dict:
        return self.form_version.definition

    @property
    def is_editable(self) -> bool:
        return self.status in lifecycle.EDITABLE

    @property
    def overall_label(self) -> str:
        """The overall grade in words, on the scale of the form version it was made on."""
        scale = self.definition.get("overall", {}).get("scale")
        for level in self.definition.get("scales", {}).get(scale, ()):
            if level["value"] == self.overall_grade:
                return level["label"]
        return ""

    @property
    def is_paired(self) -> bool:
        return self.allocation.pair_group is not None


class AuditEvent(models.Model):
    """Each move of an audit: who, when, from, to, why."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=lifecycle.CHOICES, blank=True)
    to_status = models.CharField(max_length=20, choices=lifecycle.CHOICES)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    why = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.audit_id}: {self.from_status or 'new'} → {self.to_status}"


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class SectionAnswer(models.Model):
    """One section's grade and evidence. `revision` counts saves: a save names the revision
    it started from, and one made from an older revision is refused, so two tabs never
    overwrite each other silently."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    key = models.CharField(max_length=60)
    grade = models.CharField(max_length=40, blank=True)
    evidence = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=SectionStatus.choices, default=SectionStatus.NOT_STARTED
    )
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["audit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "key"], name="one_answer_a_section"),
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}/{self.key}"


class ChildFamilyViews(models.Model):
    """Whether the child and family were asked for their views, and what they said
    (Hillingdon 2.3-2.8, P&Q 13)."""

    class Contacted(models.TextChoices):
        CHILD_AND_PARENT = "both", "The child and a parent or carer"
        CHILD = "child", "The child or young person"
        PARENT = "parent", "A parent or carer"
        NOT_CONTACTED = "no", "No one was contacted"

    class Consent(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_NEEDED = "not_needed", "Not needed"

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="views")
    contacted = models.CharField(max_length=8, choices=Contacted.choices, blank=True)
    consent = models.CharField(max_length=12, choices=Consent.choices, blank=True)
    parent_consent_before_child = models.BooleanField(
        null=True, blank=True, help_text="For CIN and CP, a parent's consent comes first."
    )
    views = models.TextField(blank=True, help_text="In their own words.")
    not_contacted_reason = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Views for audit {self.audit_id}"


class ContactRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    IRO = "iro", "IRO or CP chair"


class Conversation(models.Model):
    """A conversation, or an attempt at one, with the worker, team manager or IRO
    (P&Q 10-13, Hillingdon 2.2)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="conversations")
    role = models.CharField(max_length=16, choices=ContactRole.choices)
    on = models.DateField()
    answered = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.on}"


class ContactEscalation(models.Model):
    """Two unanswered attempts escalated to the group manager (P&Q 12); once per role."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="escalations")
    role = models.CharField(max_length=16, choices=ContactRole.choices)
    to = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "role"], name="escalate_a_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} escalated on audit {self.audit_id}"


class SmartAction(models.Model):
    """A recommendation as a SMART action: what, who, by when (P&Q 17). The remediation
    app turns these into remedial actions once the audit reaches the team manager."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    who = models.CharField(max_length=200)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.what[:60]


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


class Moderation(models.Model):
    """An unresolved challenge decided by a senior manager not connected with the case,
    whose decision on grade and actions is final (P&Q 22, Hillingdon 2.12, Bradford 3)."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="moderation")
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

    def __str__(self) -> str:
        return f"Moderation of audit {self.audit_id}"


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
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "consensus records"

    def __str__(self) -> str:
        return f"Consensus for pair {self.pair_group}"


class SafeguardingConcern(models.Model):
    """An immediate concern for a child's safety, raised at any point of an audit and sent
    at once (Bury 9.1, P&Q 14, Bradford 3)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    concern = models.TextField()
    action_taken = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Safeguarding concern on audit {self.audit_id}"


class PathwayStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "No longer inadequate"
    REPEATED = "repeated", "Inadequate again"


class InadequatePathway(models.Model):
    """What follows an inadequate audit (P&Q 25-26): a meeting of group manager, team
    manager and worker; a review after the policy's weeks; a re-audit within its months,
    by a different auditor. Inadequate again starts the next cycle with the head of
    service; it repeats until the case is no longer inadequate."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="inadequate_pathways")
    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="pathway")
    cycle = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next"
    )
    status = models.CharField(
        max_length=10, choices=PathwayStatus.choices, default=PathwayStatus.OPEN
    )
    graded_on = models.DateField()
    meeting_held_on = models.DateField(null=True, blank=True)
    review_due = models.DateField()
    review_reminded_on = models.DateField(null=True, blank=True)
    reaudit_due = models.DateField()
    reaudit_allocation = models.OneToOneField(
        "audits.Allocation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reaudit_of",
    )
    reaudit_allocated_on = models.DateField(null=True, blank=True)
    reaudit_problem = models.CharField(max_length=300, blank=True)
    head_of_service_involved = models.BooleanField(default=False)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-graded_on", "-id"]
        indexes = [models.Index(fields=["status", "review_due"])]

    def __str__(self) -> str:
        return f"Inadequate pathway {self.cycle} for {self.case}"

    def review_is_due(self, today: dt.date) -> bool:
        return self.status == PathwayStatus.OPEN and self.review_due <= today


__all__ = [
    "Audit",
    "AuditEvent",
    "ChallengeState",
    "ChildFamilyViews",
    "Comment",
    "Consensus",
    "ContactEscalation",
    "ContactRole",
    "Conversation",
    "FormStatus",
    "FormTemplate",
    "FormVersion",
    "InadequatePathway",
    "Moderation",
    "Outcomes",
    "PathwayStatus",
    "QACheck",
    "QAOutcome",
    "SafeguardingConcern",
    "SectionAnswer",
    "SectionStatus",
    "SmartAction",
    "ThemeTag",
]
