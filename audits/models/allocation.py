"""Allocations: the month's sampled cases given to auditors, and exemptions from them.

An allocation is one case given to one auditor in a period (SPEC §2); a paired audit is
two or three allocations of the same case sharing a `pair_group` (Bury 8.1). The audit
itself (issue 5) hangs off an allocation and reports its start and finish through
`allocation_mark_started` / `allocation_mark_completed`.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from accounts.models import User
from sampling.models import Case, Sample


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"


class RunKind(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    THEMATIC = "thematic", "Thematic"


class AllocationRun(models.Model):
    """The allocation of a sample: the month's, one a period, so a second run returns what
    exists; or a thematic sample's (Bury 4.2, 8.1; Leeds 4.5), with its own deadline."""

    period = models.DateField(help_text="The first day of the audit month.")
    kind = models.CharField(max_length=10, choices=RunKind.choices, default=RunKind.MONTHLY)
    deadline = models.DateField(
        null=True, blank=True, help_text="A thematic sample's own deadline for its audits."
    )
    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="allocation_runs")
    seed = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    # Cases no eligible auditor could take, each with the reason: never silently dropped.
    unallocated = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, help_text="What the allocation could not do fully.")
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="allocation_run_period_is_a_month"
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(kind="monthly"),
                name="one_monthly_allocation_a_month",
            ),
            models.UniqueConstraint(fields=["sample"], name="one_allocation_a_sample"),
        ]

    def __str__(self) -> str:
        if self.kind == RunKind.THEMATIC:
            return f"Allocation of the thematic sample {self.sample.name or self.sample_id}"
        return f"Allocation for {self.period:%B %Y}"


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ALLOCATED = "allocated", "Allocated"
    EXEMPTED = "exempted", "Exempted"
    REALLOCATED = "reallocated", "Reallocated"
    CANCELLED = "cancelled", "Cancelled"


# The audit is due on these; the others are history.
LIVE_STATUSES = (AllocationStatus.PROPOSED, AllocationStatus.ALLOCATED)


class Allocation(models.Model):
    """One sampled case given to one auditor for a period.

    proposed → allocated (QA staff confirm, or the sweep where the policy sends without
    review) → exempted (an agreed exemption, P&Q 4-5) or reallocated (QA staff move it);
    cancelled only in exceptional circumstances (P&Q 30). In progress, done and overdue
    are read from `started_at`, `completed_at` and `deadline`.
    """

    TRANSITIONS: dict[str, set[str]] = {
        AllocationStatus.PROPOSED: {AllocationStatus.ALLOCATED, AllocationStatus.CANCELLED},
        AllocationStatus.ALLOCATED: {
            AllocationStatus.EXEMPTED,
            AllocationStatus.REALLOCATED,
            AllocationStatus.CANCELLED,
        },
        AllocationStatus.EXEMPTED: set(),
        AllocationStatus.REALLOCATED: set(),
        AllocationStatus.CANCELLED: set(),
    }

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="allocations")
    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="allocations")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    auditor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="allocations")
    period = models.DateField(help_text="The first day of the audit month.")
    status = models.CharField(
        max_length=12, choices=AllocationStatus.choices, default=AllocationStatus.PROPOSED
    )
    eligibility_reason = models.TextField(help_text="Why this auditor may audit this case.")
    pair_group = models.UUIDField(
        null=True, blank=True, help_text="Shared by the allocations of a paired audit."
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    allocated_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Claims: set by a conditional UPDATE before the notice goes, so a sweep that runs
    # twice or on two workers at once sends each notice once.
    reminder_sent_on = models.DateField(null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The case's ID, as the case has it: kept by the database, never by the code
    # (`audits.case_copies`), so that the review table reads a run's allocations in the
    # case's order from an index, not every one's case looked up to sort them (issue 16).
    case_external_id = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["period", "case__external_id", "auditor__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "case", "auditor"], name="case_once_per_auditor_a_sample"
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            models.Index(fields=["auditor", "period"]),
            # An auditor's home page, "Your audits": their allocated, unfinished
            # allocations, newest month first (`reporting.selectors._my_audits`), found
            # without walking every allocation they have had.
            models.Index(
                fields=["auditor", "status", "period"],
                condition=models.Q(completed_at__isnull=True),
                name="allocation_auditor_open",
            ),
            models.Index(fields=["status", "deadline"]),
            # The review table: a run's allocations by case ID and status
            # (`selectors.allocation._allocation_table`).
            models.Index(fields=["run", "case_external_id", "status"], name="allocation_run_table"),
        ]

    def __str__(self) -> str:
        return f"{self.case} to {self.auditor} ({self.period:%B %Y})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        """Past its deadline and not finished; it stays due all the same (P&Q 30)."""
        return (
            self.status == AllocationStatus.ALLOCATED
            and self.completed_at is None
            and self.deadline is not None
            and self.deadline < today
        )

    def progress(self, today: dt.date) -> str:
        """One word for the completion page: allocated, in progress, done, overdue, …"""
        if self.status == AllocationStatus.EXEMPTED:
            return "exempted"
        if self.status != AllocationStatus.ALLOCATED:
            return self.status
        if self.completed_at is not None:
            return "done"
        if self.is_overdue(today):
            return "overdue"
        return "in_progress" if self.started_at else "allocated"


class AllocationHistory(models.Model):
    """Each change of an allocation's status: who, when, from, to, why."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=AllocationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=AllocationStatus.choices)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    why = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "allocation history"

    def __str__(self) -> str:
        return f"{self.allocation}: {self.from_status or 'new'} → {self.to_status}"


class ExemptionStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a decision"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Refused"
    DEFERRED = "deferred", "Deferred to next month"


class ExemptionRequest(models.Model):
    """An auditor's request to be excused an allocated audit (P&Q 4-5, Hillingdon 2.17,
    Bury 7.2). Agreed: the case goes at once to another eligible auditor. Deferred, where the
    policy allows it (Bury 7.2): the audit moves to next month with its case and auditor.
    Refused, or never asked: the audit stays due (P&Q 30)."""

    TRANSITIONS: dict[str, set[str]] = {
        ExemptionStatus.REQUESTED: {
            ExemptionStatus.AGREED,
            ExemptionStatus.REFUSED,
            ExemptionStatus.DEFERRED,
        },
        ExemptionStatus.AGREED: set(),
        ExemptionStatus.REFUSED: set(),
        ExemptionStatus.DEFERRED: set(),
    }

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="exemption_requests"
    )
    reason = models.TextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approver = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="exemptions_to_decide"
    )
    status = models.CharField(
        max_length=10, choices=ExemptionStatus.choices, default=ExemptionStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    reallocated_to = models.ForeignKey(
        Allocation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation"],
                condition=models.Q(status="requested"),
                name="one_open_exemption_an_allocation",
            )
        ]

    def __str__(self) -> str:
        return f"Exemption from {self.allocation}"
