"""Per-integration API keys and the record of every pull made with one (issue 15)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from accounts.models import Persona, User


class KeyReader(models.TextChoices):
    """Whom a key reads as: it sees what a person in that persona would see (SPEC §1).

    Senior managers read the reports without the names of staff; QA staff also see which
    auditor did what (the completion page is theirs, P&Q 28)."""

    SENIOR_MANAGER = Persona.SENIOR_MANAGER.value, "Senior manager (no staff names)"
    QA_STAFF = Persona.QA_STAFF.value, "QA staff (with staff names)"


class ApiKey(models.Model):
    """A key for one integration (a Power BI report, a data warehouse), never a person's
    password. Shown once when made; only its hash is kept. Read-only, and it expires."""

    name = models.CharField(max_length=100, unique=True, help_text="What uses the key.")
    # The first characters of the key, kept in clear so a key can be found and named in
    # the list and in the record of pulls without keeping the key itself.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, help_text="SHA-256 of the whole key.")
    scope = models.CharField(max_length=10, default="read", editable=False)
    reads_as = models.CharField(
        max_length=20, choices=KeyReader.choices, default=KeyReader.SENIOR_MANAGER
    )
    expires_on = models.DateField(help_text="The key works up to and including this day.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"
        permissions = [("manage_api_keys", "Create, list and revoke API keys")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, today: dt.date) -> bool:
        return self.expires_on < today

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def state(self, today: dt.date) -> str:
        if self.is_revoked:
            return "Revoked"
        if self.is_expired(today):
            return "Expired"
        return "Active"


class ApiPull(models.Model):
    """One request made with a key: which key, which dataset, when, with what filters
    (never the key), how many rows, and whether it was refused."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="pulls")
    dataset = models.CharField(max_length=40)
    method = models.CharField(max_length=8, default="GET")
    query = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=8, blank=True)
    rows = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(default=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["key", "-at"], name="api_pull_key_at")]

    def __str__(self) -> str:
        return f"{self.key.name}: {self.dataset} at {self.at:%Y-%m-%d %H:%M}"
