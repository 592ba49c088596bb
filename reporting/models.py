"""The senior managers' reports (issue 13; SPEC §10): the monthly report kept as a dated,
unchanging record, and the six-monthly report QA staff write (Leeds Appendix A)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import Team, User
from audits.models import ThemeTag


class ReportChanged(Exception):
    """A report's record is never changed once written: a new version is made instead."""


class MonthlyReport(models.Model):
    """One version of a month's report (Bradford 4, P&Q 27): its figures (`data`, the
    dashboard's sections as JSON, as they stood on `as_of`), and the HTML, PDF and XLSX made
    from them. Version 1 is built by the sweep once every audit of the month is due; QA staff
    add a commentary by making the next version from the same figures. No version is ever
    changed or deleted."""

    month = models.DateField(help_text="The first day of the month reported on.")
    version = models.PositiveSmallIntegerField(default=1)
    as_of = models.DateField(help_text="The day the figures were read.")
    data = models.JSONField()
    commentary = models.TextField(blank=True)
    html = models.TextField()
    pdf = models.BinaryField()
    xlsx = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["month", "version"], name="monthly_report_version"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="monthly_report_month_is_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Monthly report for {self.month:%B %Y}, version {self.version}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ReportChanged("A monthly report is never changed: make a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReportChanged("A monthly report is kept: it cannot be deleted.")


class HalfYearStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


# The narrative sections of Leeds Appendix A, in its order, that QA staff write.
NARRATIVE = (
    ("introduction", "Introduction"),
    ("scope", "Scope"),
    ("methodology", "Methodology"),
    ("cohort", "The cohort"),
    ("findings", "Findings"),
    ("conclusions", "Conclusions and recommendations"),
)


class HalfYearReport(models.Model):
    """The six-monthly report (Leeds Appendix A) for the half year from 1 January or 1 July:
    QA staff write its narrative sections in the app; the figures and charts of the six
    months fill themselves in; the action plan (Appendix B) is the one remediation keeps.

    draft → published (`half_year_publish`, with a history row); once published its
    narrative and figures are fixed, with the PDF and XLSX made then."""

    TRANSITIONS: dict[str, frozenset[str]] = {
        HalfYearStatus.DRAFT: frozenset({HalfYearStatus.PUBLISHED}),
        HalfYearStatus.PUBLISHED: frozenset(),
    }

    half_year = models.DateField(unique=True, help_text="1 January or 1 July.")
    status = models.CharField(
        max_length=10, choices=HalfYearStatus.choices, default=HalfYearStatus.DRAFT
    )
    introduction = models.TextField(blank=True)
    scope = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    cohort = models.TextField(blank=True)
    findings = models.TextField(blank=True)
    conclusions = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="The figures, once published.")
    pdf = models.BinaryField(null=True, blank=True)
    xlsx = models.BinaryField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-half_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(half_year__day=1, half_year__month__in=[1, 7]),
                name="half_year_report_starts_jan_or_jul",
            )
        ]

    def __str__(self) -> str:
        return f"Six-monthly report from {self.half_year:%B %Y}"

    @property
    def is_published(self) -> bool:
        return self.status == HalfYearStatus.PUBLISHED

    def narrative(self) -> list[tuple[str, str, str]]:
        return [(key, label, getattr(self, key)) for key, label in NARRATIVE]


class HalfYearReportEvent(models.Model):
    """Each move of a six-monthly report: who, when, from, to, why."""

    report = models.ForeignKey(HalfYearReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=HalfYearStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=HalfYearStatus.choices)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    why = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status or 'new'} → {self.to_status}"


# The dashboard's summary of closed months (reporting.dashboard.summary) ---------------------


class SummaryMonth(models.Model):
    """A closed month whose summary rows below were built on `built_on` by the
    `month-summaries` sweep; the row the sweep locks while it rebuilds the month. A month
    without one is read live."""

    month = models.DateField(unique=True, help_text="The first day of the month summarised.")
    built_on = models.DateField()
    built_at = models.DateTimeField(default=timezone.now)
    # N_h of each stratum of the month's confirmed samples: [[sample id, stratum, N_h], …].
    frame_sizes = models.JSONField(default=list, blank=True)
    # The agreement figures' counts for the month: {"paired_cases": n, "qa_checks": n,
    # "versions": [form version ids graded]} (`reporting.agreement.kept_tally`).
    agreement = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Summary of {self.month:%B %Y}, built {self.built_on}"


class TeamMonth(models.Model):
    """What every summary of a closed month is counted by: the month, and the case's team and
    type (the reader's scope and the dashboard's filters are on these)."""

    month = models.DateField()
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    case_type = models.CharField(max_length=20, blank=True)

    class Meta:
        abstract = True


class GradeSummary(TeamMonth):
    """The finished audits of a closed month's confirmed sample (each case once), counted by
    the sample's stratum, the case's team and type, and the overall grade that stands: what
    the dashboard's quality figures read for that month (`dashboard.quality.read_cells`)."""

    sample_id = models.IntegerField()
    stratum = models.CharField(max_length=200, blank=True)
    grade = models.CharField(max_length=40, blank=True)
    audits = models.PositiveIntegerField()

    class Meta:
        # The dashboard's trend and period reads: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_grade_summary_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.audits} audits graded {self.grade or '(none)'}"


class CompletionCounts(TeamMonth):
    """A closed month's confirmed and exempted allocations counted in each completion state
    (`dashboard.completion.STATES`), by the case's team and type."""

    total = models.PositiveIntegerField()
    on_time = models.PositiveIntegerField()
    late = models.PositiveIntegerField()
    submitted = models.PositiveIntegerField()
    in_progress = models.PositiveIntegerField()
    not_started = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField()
    exempted = models.PositiveIntegerField()

    class Meta:
        abstract = True


class TeamCompletionSummary(CompletionCounts):
    """The counts of `CompletionSummary` added up over the auditors: what the completion
    tables by month, team and service area read (a national month has one row for each
    allocation's auditor, 22,500, and 1,500 teams)."""

    class Meta:
        # The dashboard's completion tables: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_team_completion")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.total} allocations"


class CompletionSummary(CompletionCounts):
    """`CompletionCounts` by the auditor too: what the auditors' table and the repeated
    non-completion read for that month."""

    auditor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )

    class Meta:
        indexes = [
            # The dashboard's completion tables: the months asked for; and how many auditors
            # the period has, read from the index alone.
            models.Index(fields=["month", "auditor"], name="completion_month_auditor"),
            # The repeated non-completion (twelve months, by auditor): only the rows with a
            # late or overdue audit, with the auditor and counts in the index (PostgreSQL reads
            # no table rows: 17,800 of 270,000 rows in a national year).
            models.Index(
                fields=["month", "auditor", "overdue", "late"],
                condition=models.Q(overdue__gt=0) | models.Q(late__gt=0),
                name="reporting_completion_missed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.total} allocations"


class SectionSummary(TeamMonth):
    """A closed month's section grades (the auditor's own answers, and a paired case's agreed
    grades) by the case's team and type: the quality section's sections × grades table."""

    key = models.CharField(max_length=100)
    grade = models.CharField(max_length=40)
    answers = models.PositiveIntegerField()

    class Meta:
        # The dashboard's sections × grades table: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_section_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.key} {self.grade} × {self.answers}"


class LearningSummary(TeamMonth):
    """A closed month's finished audits (each case once) by the case's team and type: how many,
    how many record strengths and learning, and (with `theme`) how many were tagged with each
    learning theme. The learning section's tables read it."""

    theme = models.ForeignKey(
        ThemeTag, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    audits = models.PositiveIntegerField()
    strengths = models.PositiveIntegerField(default=0)
    learning = models.PositiveIntegerField(default=0)

    class Meta:
        # The dashboard's learning tables: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_learning_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.audits} audits"


class AgreementSummary(models.Model):
    """A closed month's overall grades from paired audits and QA checks, counted as the
    agreement figures need them (`reporting.agreement.Tally`): a *pair* is two raters' grades
    of a case (`first` and `second` are the raters), a *unit* one case's grades, sorted. For
    the whole authority: agreement is worked out over it whoever reads it."""

    class Kind(models.TextChoices):
        PAIR = "pair", "Two raters' grades"
        UNIT = "unit", "A case's grades"

    GRADE_SEPARATOR = "|"

    month = models.DateField()
    kind = models.CharField(max_length=4, choices=Kind.choices)
    source = models.CharField(max_length=10)  # "paired", "qa" or "all"
    first = models.IntegerField(null=True, blank=True)
    second = models.IntegerField(null=True, blank=True)
    # The grades, each as its value on the scale ("" for none), joined by GRADE_SEPARATOR:
    # a plain string, so reading a year's rows parses no JSON.
    grades = models.CharField(max_length=300)
    cases = models.PositiveIntegerField()

    class Meta:
        # The dashboard's agreement figures: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_agreement_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.source} {self.grades} × {self.cases}"


class CheckSummary(TeamMonth):
    """A closed month's QA checks by the case's team and type: how many, accepted and
    returned for amendment (the consistency section's table of QA checks by month)."""

    checks = models.PositiveIntegerField()
    accepted = models.PositiveIntegerField()
    returned = models.PositiveIntegerField()

    class Meta:
        # The dashboard's QA checks by month: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_check_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.checks} QA checks"


class SafeguardingSummary(TeamMonth):
    """A closed month's safeguarding concerns raised, inadequate pathways started (graded in
    the month) and pathways resolved (no longer inadequate in the month), by the case's team
    and type: the safeguarding section's counts over the period. Pathways open today and
    their re-audits depend on the day, and are counted live (`dashboard.safeguarding`)."""

    concerns = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        # The dashboard's safeguarding tables: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_safeguarding_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.concerns} concerns, {self.started} pathways started"


class ActionSummary(TeamMonth):
    """The actions raised in a closed month that were finished (authorised, or closed by a
    Management Decision) before the day its summary was built, by their team and the case's
    type: how many, in each finished state, done on time and late, and the days taken and
    allowed for those done. A finished action never moves again, so these counts hold; the
    month's other actions are counted live (`dashboard.actions`)."""

    raised = models.PositiveIntegerField()
    authorised = models.PositiveIntegerField()
    closed_by_decision = models.PositiveIntegerField()
    on_time = models.PositiveIntegerField()
    late = models.PositiveIntegerField()
    days_taken = models.IntegerField(default=0)
    days_allowed = models.IntegerField(default=0)

    class Meta:
        # The dashboard's actions tables: the months asked for.
        indexes = [models.Index(fields=["month"], name="reporting_action_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.raised} finished actions"
