"""The audit of an allocation (SPEC §2) and what the auditor records in it: section
answers, the child and family's views, conversations and their escalation, SMART actions
and safeguarding concerns."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import User
from sampling.models import Case

from .. import lifecycle
from .form import FormVersion, ThemeTag


def overall_grade_label(definition: dict, grade) -> str:
    """An overall grade in words, on the overall scale of a form version's definition."""
    scale = definition.get("overall", {}).get("scale")
    for level in definition.get("scales", {}).get(scale, ()):
        if level["value"] == grade:
            return level["label"]
    return ""


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
    worker_input_missing_reason = models.TextField(
        blank=True,
        help_text="Why the allocated worker could not give their input (P&Q 8: absence).",
    )

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

    # The team of the audit's case, as the case has it now: kept by the database, never
    # by the code (`audits.case_copies`), so that a team manager's lists find their teams'
    # audits by an index, not by looking up every audit's case (issue 16).
    case_team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"]),
            # Finished audits by the order they finished in.
            models.Index(fields=["status", "finished_at"], name="audit_status_finished"),
            # A team manager's home: their teams' finished audits waiting for their
            # oversight, longest first, found by the case's team the database keeps on the
            # audit (`reporting.selectors._audits_waiting`).
            models.Index(
                fields=["status", "case_team", "finished_at", "id"], name="audit_team_waiting"
            ),
            # The QA queue: audits to check or moderate, in the order they were submitted.
            models.Index(fields=["status", "submitted_at"], name="audit_status_submitted"),
        ]

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
        """Open for the auditor's changes: in an editable status, and the allocation still
        live (an exempted or moved auditor's closed draft is read only)."""
        return self.status in lifecycle.EDITABLE and self.allocation.status == "allocated"

    @property
    def overall_label(self) -> str:
        """The overall grade in words, on the scale of the form version it was made on."""
        return overall_grade_label(self.definition, self.overall_grade)

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
