"""The organisation: people, teams, service areas, roles, line managers, the audit pool,
the authority's policy, and the in-app notices every app sends through."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Role(models.TextChoices):
    STRATEGIC_DIRECTOR = "strategic_director", "Strategic Director"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant Director"
    HEAD_OF_SERVICE = "head_of_service", "Head of Service"
    SERVICE_MANAGER = "service_manager", "Service Manager"
    GROUP_MANAGER = "group_manager", "Group Manager"
    TEAM_MANAGER = "team_manager", "Team Manager"
    PRACTICE_SUPERVISOR = "practice_supervisor", "Practice Supervisor"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced Practitioner"
    IRO = "iro", "IRO / CP chair"
    PRINCIPAL_SOCIAL_WORKER = "principal_social_worker", "Principal Social Worker"
    QA_OFFICER = "qa_officer", "QA officer"
    SOCIAL_WORKER = "social_worker", "Social Worker"
    PERSONAL_ADVISER = "personal_adviser", "Personal Adviser"
    ADMIN = "admin", "Admin"

    @classmethod
    def lookup(cls, text: str) -> Role | None:
        """A role from its value or its label, ignoring case, spacing and punctuation.

        Imports also accept the seeds' other names for the same job: a Service Delivery
        Manager (Leeds) is a Service Manager, a CP chair an IRO.
        """
        key = _squash(text)
        for role in cls:
            if key in (_squash(role.value), _squash(role.label)):
                return role
        return _ROLE_ALIASES.get(key)


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


_ROLE_ALIASES = {
    "servicedeliverymanager": Role.SERVICE_MANAGER,
    "sdm": Role.SERVICE_MANAGER,
    "cpchair": Role.IRO,
    "independentreviewingofficer": Role.IRO,
    "chiefofficer": Role.STRATEGIC_DIRECTOR,
    "directorofchildrensservices": Role.STRATEGIC_DIRECTOR,
    "assistantchiefofficer": Role.ASSISTANT_DIRECTOR,
    "psw": Role.PRINCIPAL_SOCIAL_WORKER,
    "qualityassuranceofficer": Role.QA_OFFICER,
    "pa": Role.PERSONAL_ADVISER,
    "personaladvisor": Role.PERSONAL_ADVISER,
}


class Persona(models.TextChoices):
    """The kinds of user in SPEC §1. Each is a Django group with its permissions."""

    QA_STAFF = "qa_staff", "QA staff"
    AUDITOR = "auditor", "Auditor"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    ADMIN = "admin", "Administrator"


class ServiceArea(models.Model):
    name = models.CharField(max_length=120, unique=True)
    head_of_service = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Safeguarding alerts about a case in this area go to its strategic lead (Bury 9.1).
    strategic_lead = models.ForeignKey(
        "User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategic_lead_for",
        help_text="Told at once of safeguarding concerns about cases in this area.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    manager = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("full_name", "Administrator")
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Signs in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # For people above team level (heads of service, service managers) and QA staff.
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    in_audit_pool = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=~models.Q(line_manager=models.F("id")),
                name="user_not_own_line_manager",
            ),
        ]
        permissions = [
            ("manage_policy", "Edit the authority's policy"),
            ("import_staff", "Import staff lists"),
            ("manage_sampling", "Import case lists and draw samples"),
            ("manage_allocation", "Allocate audits and grant breaks and exemptions"),
            ("quality_assure", "Check audits, run moderation and compliance reviews"),
            ("conduct_audits", "Audit case files allocated to them"),
            ("manage_team_actions", "See their teams' audits and sign off actions"),
            ("oversee_services", "Oversee their service areas and authorise decisions"),
            ("view_reports", "Read dashboards and reports"),
            ("view_own_cases", "See audits and actions on their own cases"),
            ("view_access_log", "See who opened which child's records"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def area(self) -> ServiceArea | None:
        """The service area they work in: their team's, or their own for staff above teams."""
        if self.team_id:
            return self.team.service_area
        return self.service_area

    def personas(self) -> set[str]:
        """The persona groups they belong to (cached per request on the instance)."""
        if not hasattr(self, "_personas"):
            self.load_access()
        return self._personas

    # The caches Django's permission checks keep on the instance (ModelBackend), filled
    # here with the personas; `forget_access` empties them after a change of groups.
    ACCESS_CACHES = ("_personas", "_perm_cache", "_user_perm_cache", "_group_perm_cache")

    def load_access(self) -> None:
        """Their personas and permissions in one query (`accounts.user_access`)."""
        from .user_access import load_access

        load_access(self)

    def forget_access(self) -> None:
        for name in self.ACCESS_CACHES:
            self.__dict__.pop(name, None)

    def has_persona(self, *personas: Persona) -> bool:
        return bool(self.personas() & {str(p.value) for p in personas})


class AuditDeadlineRule(models.TextChoices):
    WORKING_DAYS = "working_days", "A number of working days from allocation"
    MONTH_END = "month_end", "The last calendar day of the month"


class ActionDeadlineRule(models.TextChoices):
    WORKING_DAYS = "working_days", "A number of working days from creation"
    CALENDAR_DAYS = "calendar_days", "A number of calendar days from the team manager's receipt"
    NEXT_SUPERVISION = (
        "next_supervision",
        "The team manager's next recorded supervision, else a number of working days",
    )


class FinishedAuditRecipient(models.TextChoices):
    """Who is sent a finished audit (Bradford App. 1, "Sharing the audit")."""

    TEAM_MANAGER = "team_manager", "The case's team manager"
    WORKER = "worker", "The allocated worker"
    SERVICE_MANAGER = "service_manager", "The service manager over the case"
    IRO = "iro", "The child's IRO or CP co-ordinator"
    QA_STAFF = "qa_staff", "The quality assurance and audit officers"


def default_finished_audit_recipients() -> list[str]:
    """The team manager and worker (P&Q 23, Bury 6.5, Hillingdon 2.13)."""
    return [FinishedAuditRecipient.TEAM_MANAGER.value, FinishedAuditRecipient.WORKER.value]


class DisputeRoute(models.TextChoices):
    """Where a challenge the auditor and the case's team cannot settle goes."""

    MODERATION = (
        "moderation",
        "Moderation by a senior manager in a service not connected with the case (P&Q 22)",
    )
    HEADS_OF_SERVICE = (
        "heads_of_service",
        "The grade to the head of service for QA, the actions to the case's head of service "
        "(Bradford 3)",
    )
    REVIEW_THEN_MEDIATION = (
        "review_then_mediation",
        "A review session, then mediation by the head of service (Hillingdon 2.11-2.12)",
    )


class PolicyPreset(models.TextChoices):
    BURY = "bury", "Bury"
    HILLINGDON = "hillingdon", "Hillingdon"
    LEEDS = "leeds", "Leeds"
    PQ = "pq", "Performance and Quality Service (P&Q)"
    BRADFORD = "bradford", "Bradford"
    CUSTOM = "custom", "Custom"


class Stratum(models.TextChoices):
    SERVICE_AREA = "service_area", "Service area"
    CASE_TYPE = "case_type", "Case type"
    TEAM = "team", "Team"


def default_exemption_approver_roles() -> list[str]:
    """P&Q 4: the Assistant Director agrees exemptions for social care staff."""
    return [Role.ASSISTANT_DIRECTOR.value]


class Policy(models.Model):
    """The authority's audit policy: one row of settings every app reads (SPEC §11).

    Where the five seed policies differ, the difference is a field here; `load_policy`
    fills it from a preset (accounts/policy_presets.py).
    """

    preset = models.CharField(
        max_length=16, choices=PolicyPreset.choices, default=PolicyPreset.CUSTOM
    )
    authority_name = models.CharField(max_length=120, default="Demo Borough Council")

    # Audits
    audit_deadline_rule = models.CharField(
        max_length=16, choices=AuditDeadlineRule.choices, default=AuditDeadlineRule.MONTH_END
    )
    audit_deadline_working_days = models.PositiveSmallIntegerField(
        default=20, help_text="Used when the deadline is a number of working days (Bury: 20)."
    )
    period_reviewed_months = models.PositiveSmallIntegerField(
        default=6,
        help_text="How far back an audit looks, in months; 0 means the whole record.",
    )
    reminder_lead_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="Remind the auditor this many working days before the deadline."
    )
    overdue_escalation_months = models.PositiveSmallIntegerField(
        default=2,
        help_text="Months in a row overdue before the next tier of management is told.",
    )
    qa_check_percent = models.PositiveSmallIntegerField(
        default=20, help_text="Share of finished audits checked by QA staff, in per cent."
    )
    amendment_working_days = models.PositiveSmallIntegerField(
        default=3, help_text="Working days to return an audit sent back for amendment (P&Q 20)."
    )
    reaudit_window_months = models.PositiveSmallIntegerField(
        default=2, help_text="An inadequate case is audited again within this many months."
    )
    inadequate_review_weeks = models.PositiveSmallIntegerField(
        default=4, help_text="Review after an inadequate audit, in weeks (P&Q 25)."
    )
    dispute_route = models.CharField(
        max_length=24, choices=DisputeRoute.choices, default=DisputeRoute.MODERATION
    )
    qa_head_of_service = models.ForeignKey(
        "User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The head of service for quality assurance, who reviews a disputed grade "
        "(Bradford 3).",
    )
    inadequate_pathway = models.BooleanField(
        default=False,
        help_text="An inadequate audit starts the pathway: a meeting, a review after the "
        "weeks below and a re-audit within the months below, repeated until the case is no "
        "longer inadequate (P&Q 25-26).",
    )
    worker_input_before_submit = models.BooleanField(
        default=False,
        help_text="An audit is submitted only once the draft was shared for comment and the "
        "conversation with the allocated worker is recorded, or why it could not happen "
        "(P&Q 8, 18).",
    )
    finished_audit_recipients = models.JSONField(
        default=default_finished_audit_recipients,
        blank=True,
        help_text="Who is sent an audit once its grade is final (Bradford App. 1: also the "
        "service manager, the IRO or CP co-ordinator and the QA officer).",
    )

    # Sampling and allocation
    sampling_working_day = models.PositiveSmallIntegerField(
        default=1, help_text="The month's sample is drawn on this working day of the month."
    )
    strata = models.JSONField(
        default=list, blank=True, help_text="Fields the monthly sample is stratified by."
    )
    min_per_stratum = models.PositiveSmallIntegerField(default=1)
    lookback_months = models.PositiveSmallIntegerField(
        default=12, help_text="Cases audited within this many months are not sampled."
    )
    quotas = models.JSONField(
        default=dict,
        blank=True,
        help_text="Monthly audits for each pool member, by role; roles not named get the "
        "default quota.",
    )
    default_quota = models.PositiveSmallIntegerField(default=1)
    yearly_cap = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most audits a pool member does in a year (P&Q: 10)."
    )
    max_break_percent = models.PositiveSmallIntegerField(
        default=20, help_text="Most of the pool on break in any month, in per cent."
    )
    own_team_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Roles allowed to audit their own team's cases (Leeds: team managers).",
    )
    own_team_only_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Roles that audit only their own team's cases, as a rule (Leeds 5.4: a "
        "sample of their own teams' files).",
    )
    other_area_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Roles that only audit cases from another service area (Leeds 5.2-5.3).",
    )
    paired_percent = models.PositiveSmallIntegerField(
        default=0, help_text="Share of sampled cases audited by two auditors, in per cent."
    )
    paired_auditors = models.PositiveSmallIntegerField(default=2)
    allocate_without_review = models.BooleanField(
        default=False, help_text="Send the month's allocation without QA staff reviewing it."
    )
    yearly_break_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Most months' break a pool member may take in a calendar year (P&Q 2: two). "
        "Empty: no limit.",
    )
    exemption_approver_roles = models.JSONField(
        default=default_exemption_approver_roles,
        blank=True,
        help_text="Roles that agree an auditor's exemption from an allocated audit "
        "(P&Q 4: the Assistant Director).",
    )
    deferment_allowed = models.BooleanField(
        default=False,
        help_text="The approver may defer an audit to next month, keeping its case and "
        "auditor, instead of reallocating it (Bury 7.2: 'deferment, dispensation or "
        "reallocation').",
    )
    qa_exemptions_by_strategic_lead = models.BooleanField(
        default=True,
        help_text="Exemptions for QA staff are agreed by the strategic lead of their service "
        "area (P&Q 4), not by the roles above.",
    )

    # Remedial actions and the compliance review
    action_deadline_rule = models.CharField(
        max_length=16, choices=ActionDeadlineRule.choices, default=ActionDeadlineRule.WORKING_DAYS
    )
    action_deadline_days = models.PositiveSmallIntegerField(default=25)
    action_own_date_stands = models.BooleanField(
        default=False,
        help_text="The date the audit sets for an action stands even when later than the "
        "rule above, which then applies only where the audit sets none (Bradford 2: "
        "timescales set per action). Off: a later date is cut to the rule's (Bury 9.3: "
        "'or as specified if fewer').",
    )
    action_reminder_working_days = models.PositiveSmallIntegerField(default=5)
    action_escalation_working_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="Overdue this long after the service manager is told: the "
        "strategic lead is told.",
    )
    compliance_review_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Months after an audit reaches its team manager that its actions are "
        "reviewed (Bury 10: 4). Empty: no review.",
    )

    closure_days = models.JSONField(
        default=list, blank=True, help_text="The authority's own closure days (ISO dates)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "policy"
        constraints = [
            # One policy for the authority.
            models.CheckConstraint(condition=models.Q(id=1), name="policy_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.authority_name} audit policy ({self.get_preset_display()})"

    @property
    def closures(self) -> frozenset[dt.date]:
        return frozenset(dt.date.fromisoformat(d) for d in self.closure_days)

    def quota_for(self, role: str) -> int:
        return int(self.quotas.get(role, self.default_quota))

    def break_limit(self, pool_size: int) -> int:
        """How many of a pool this size may be on break in one month (P&Q 3)."""
        return pool_size * self.max_break_percent // 100


class BreakStatus(models.TextChoices):
    GRANTED = "granted", "Granted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class BreakRequest(models.Model):
    """A month off auditing that a pool member asked for (P&Q 2-3).

    Asked for before the previous month ends; granted at once when it keeps the person
    within the policy's yearly allowance and the pool within its share on break, refused
    (no row) otherwise. Withdrawn until the month begins.
    """

    TRANSITIONS: dict[str, set[str]] = {
        BreakStatus.GRANTED: {BreakStatus.WITHDRAWN},
        BreakStatus.WITHDRAWN: set(),
    }

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="breaks")
    month = models.DateField(help_text="The first day of the month off.")
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=12, choices=BreakStatus.choices, default=BreakStatus.GRANTED
    )
    assigned = models.BooleanField(
        default=False,
        help_text="A rest month the year plan assigned, not one the member asked for "
        "(P&Q 2-3); a member's own request for a month takes its place.",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["month", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "month"],
                condition=models.Q(status="granted"),
                name="one_granted_break_a_month",
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="break_month_starts_on_the_first"
            ),
        ]
        indexes = [models.Index(fields=["month", "status"])]

    def __str__(self) -> str:
        return f"{self.user} on break in {self.month:%B %Y}"


class Notice(models.Model):
    """A message to one person: shown in the app and sent by email once.

    `key` names the event (e.g. "allocation:42"); one person gets one notice per key,
    so a sweep or a service that runs twice never tells anyone twice.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    key = models.CharField(max_length=200)
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    body_html = models.TextField(blank=True)
    # A permanent refusal by the email route (GOV.UK Notify's 400 or 403): never retried.
    email_failed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The home page's latest notices and the notices page, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notice_recipient_newest"),
        ]

    def __str__(self) -> str:
        return self.subject


class SweepRun(models.Model):
    """One run of a scheduled sweep: the operator's record of what ran, as of which day."""

    name = models.CharField(max_length=100)
    today = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.name} as of {self.today.isoformat()}"


# Who saw which child's records, and who changed what (issue 14).
from .security_models import AccessKind, AccessRecord, Change, ChangeOperation  # noqa: E402, F401
