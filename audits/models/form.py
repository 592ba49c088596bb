"""Audit forms: the templates QA staff keep, their frozen versions, and the themes of
organisational learning an audit may be tagged with (Bradford 4)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import User


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
