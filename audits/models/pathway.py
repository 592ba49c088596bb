"""The inadequate pathway (P&Q 25-26): what follows an audit graded inadequate."""

from __future__ import annotations

import datetime as dt

from django.db import models

from sampling.models import Case

from .audit import Audit


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
    meeting_note = models.TextField(blank=True)
    meeting_recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_due = models.DateField()
    review_reminded_on = models.DateField(null=True, blank=True)
    review_held_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    review_recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
