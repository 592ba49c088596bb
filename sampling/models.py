"""Cases: the children's (or carers') records that samples are drawn from.

We hold a case's external ID and only the fields that sampling, allocation and reporting
need (SPEC §2): never a name, never narrative.
"""

from __future__ import annotations

from django.db import models

from accounts.models import Team, User


class CaseType(models.TextChoices):
    EARLY_HELP = "early_help", "Early Help"
    CIN = "cin", "Child in need"
    CP = "cp", "Child protection"
    CLA = "cla", "Child looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"
    CWD = "cwd", "Children with disabilities"
    FOSTERING = "fostering", "Fostering"
    ADOPTION = "adoption", "Adoption"


class AgeBand(models.TextChoices):
    UNBORN = "unborn", "Unborn"
    UNDER_1 = "under_1", "Under 1"
    AGE_1_4 = "1_4", "1 to 4"
    AGE_5_9 = "5_9", "5 to 9"
    AGE_10_15 = "10_15", "10 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_PLUS = "18_plus", "18 and over"
    UNKNOWN = "unknown", "Not known"


class Gender(models.TextChoices):
    FEMALE = "f", "Female"
    MALE = "m", "Male"
    OTHER = "o", "Other or not stated"
    UNKNOWN = "u", "Not known"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    external_id = models.CharField("case ID", max_length=64, unique=True)
    case_type = models.CharField(max_length=16, choices=CaseType.choices)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    allocated_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocated_cases"
    )
    legal_status = models.CharField(max_length=80, blank=True)
    opened_on = models.DateField(null=True, blank=True, help_text="Referral or start date.")
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    gender = models.CharField(max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=80, blank=True)
    disability = models.BooleanField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    reopened_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["external_id"]
        indexes = [
            models.Index(fields=["status", "case_type"]),
            models.Index(fields=["team", "status"]),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def team_manager(self) -> User | None:
        return self.team.manager if self.team_id else None


class SampleKind(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    THEMATIC = "thematic", "Thematic"


class SampleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONFIRMED = "confirmed", "Confirmed"


class Sample(models.Model):
    """The cases drawn for an audit period (or a thematic exercise), with everything needed
    to draw the same cases again: the method, strata, seed and exclusions (SPEC §2)."""

    kind = models.CharField(max_length=10, choices=SampleKind.choices, default=SampleKind.MONTHLY)
    period = models.DateField(help_text="The first day of the audit month.")
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=SampleStatus.choices, default=SampleStatus.DRAFT
    )
    seed = models.BigIntegerField()
    strata = models.JSONField(default=list, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-created_at"]
        constraints = [
            # The month has one confirmed monthly sample.
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(kind="monthly", status="confirmed"),
                name="one_confirmed_monthly_sample_a_period",
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} sample for {self.period:%B %Y}"


class SampleCase(models.Model):
    """One case drawn into a sample, with its stratum and weight (N_h / n_h)."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="sample_cases")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sample_entries")
    stratum = models.CharField(max_length=200, blank=True)
    weight = models.FloatField(default=1.0)

    class Meta:
        ordering = ["sample", "stratum", "case__external_id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "case"], name="case_once_a_sample"),
        ]

    def __str__(self) -> str:
        return f"{self.case} in {self.sample}"
