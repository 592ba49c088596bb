"""Who saw which child's records, and who changed what (issue 14).

`AccessRecord` is written by `accounts.access_log.AccessLogMiddleware` for every view or
download of a case, audit, action or export; `Change` rows are written by database
triggers (`accounts.history`), so bulk and raw updates are caught on SQLite and PostgreSQL
alike. Both are kept for a retention period set in the settings.
"""

from __future__ import annotations

from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils import timezone


class AccessKind(models.TextChoices):
    CASE = "case", "Case page"
    AUDIT = "audit", "Audit"
    AUDIT_PDF = "audit_pdf", "Audit PDF"
    AUDIT_WORD = "audit_word", "Audit Word file"
    ALLOCATION = "allocation", "Allocation"
    EXEMPTION = "exemption", "Exemption request"
    ACTION = "action", "Remedial action"
    DECISION = "decision", "Management Decision"
    DISAGREEMENT = "disagreement", "Disagreement"
    LIST = "list", "List naming cases"
    EXPORT = "export", "Export naming cases"


class AccessRecord(models.Model):
    """One opening of a child's record (or of a list or export naming children's cases)."""

    user = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=AccessKind.choices)
    url_name = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80, blank=True)
    # The child's case the record belongs to, when it belongs to one.
    case_external_id = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case_external_id", "-at"], name="access_case_at"),
            models.Index(fields=["user", "-at"], name="access_user_at"),
            models.Index(fields=["at"], name="access_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} opened {self.get_kind_display()} {self.object_id} at {self.at}"


class ChangeOperation(models.TextChoices):
    INSERT = "insert", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"


class Change(models.Model):
    """One row written to a tracked table, as the database saw it: its columns before and
    after (only those that changed, for an update), who was signed in, and when.

    Written only by the triggers that `accounts.history.triggers_install` puts on each
    tracked table; never by the application.
    """

    model = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    operation = models.CharField(max_length=8, choices=ChangeOperation.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # No foreign key constraint: the record outlives the person.
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["model", "object_id", "at"], name="change_object_at"),
            models.Index(fields=["at"], name="change_at"),
            # A record's history finds its child rows (an audit's grades, views and SMART
            # actions; an action's decisions) by the parent's id in their insert.
            models.Index(
                "model",
                KeyTransform("audit_id", "after"),
                condition=models.Q(operation="insert"),
                name="change_insert_audit",
            ),
            models.Index(
                "model",
                KeyTransform("action_id", "after"),
                condition=models.Q(operation="insert"),
                name="change_insert_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.operation} at {self.at}"
