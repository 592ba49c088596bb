"""Cases: the children's (or carers') records that samples are drawn from.

We hold a case's external ID and only the fields that sampling, allocation and reporting
need (SPEC §2): never a name, never narrative.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

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
    """Annex A's gender list: a) Male, b) Female, c) Not stated/recorded, d) Neither."""

    FEMALE = "f", "Female"
    MALE = "m", "Male"
    OTHER = "o", "Neither"
    UNKNOWN = "u", "Not stated or recorded"


class Ethnicity(models.TextChoices):
    """The DfE's ethnicity codes, which Annex A lists as a) WBRI to t) NOBT."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other Mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class LegalStatus(models.TextChoices):
    """A looked-after child's legal status (the DfE's codes, Annex A List 8), and a care
    leaver's eligibility category (List 9), which the lists give in its place."""

    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    V2 = "V2", "Single period of accommodation under section 20"
    V3 = "V3", "Short-term breaks, individual episodes recorded"
    V4 = "V4", "Short-term breaks, agreement recorded"
    L1 = "L1", "Police protection, in local authority accommodation"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Child assessment order, in local authority accommodation"
    J1 = "J1", "Remanded to local authority or youth detention accommodation"
    J2 = "J2", "In local authority accommodation under PACE"
    J3 = "J3", "Youth rehabilitation order with residence or fostering requirement"
    RELEVANT = "relevant", "Relevant child"
    FORMER_RELEVANT = "former_relevant", "Former relevant child"
    QUALIFYING = "qualifying", "Qualifying care leaver"
    ELIGIBLE = "eligible", "Eligible child"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AnnexList(models.TextChoices):
    """The Ofsted Annex A lists the frame is imported from (Bury 6.1)."""

    REFERRALS = "3", "List 3: referrals"
    CHILDREN_IN_NEED = "6", "List 6: children in need"
    CHILD_PROTECTION = "7", "List 7: child protection"
    LOOKED_AFTER = "8", "List 8: children looked after"
    CARE_LEAVERS = "9", "List 9: care leavers"


class Case(models.Model):
    external_id = models.CharField("case ID", max_length=64, unique=True)
    case_type = models.CharField(max_length=16, choices=CaseType.choices)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    allocated_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocated_cases"
    )
    legal_status = models.CharField(max_length=80, blank=True, choices=LegalStatus.choices)
    opened_on = models.DateField(null=True, blank=True, help_text="Referral or start date.")
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    gender = models.CharField(max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=80, blank=True, choices=Ethnicity.choices)
    disability = models.BooleanField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(
        null=True, blank=True, help_text="When it last closed (kept when it reopens)."
    )
    reopened_on = models.DateField(
        null=True, blank=True, help_text="When it last came back after closing (Bury 9.7)."
    )
    # The Annex A list that gave the case its type; a child on several lists takes the type
    # of the most specific one (looked after over child protection over child in need).
    source_list = models.CharField(max_length=2, choices=AnnexList.choices, blank=True)
    # The team and worker as the case list names them, kept so that QA staff can map a name
    # the organisation does not know; the mapping then applies to every case with it.
    team_source = models.CharField(max_length=120, blank=True)
    worker_source = models.CharField(max_length=150, blank=True)
    # Set by the audits app through sampling.services.case_mark_audit_* (never directly):
    # sampling excludes cases under an open audit and those audited within the look-back.
    audit_open = models.BooleanField(default=False)
    last_audited_on = models.DateField(null=True, blank=True)
    # Bury 9.6: a case does not close while an audit of it is under way. `held_for_audit`
    # is set while an audit of it has begun and is not closed; a list that drops the case
    # meanwhile leaves it open with `close_pending_on`, and it closes when the audit does.
    held_for_audit = models.BooleanField(default=False, db_default=False)
    close_pending_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the case list closed it, while it is held open for an audit.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["external_id"]
        indexes = [
            models.Index(fields=["status", "case_type"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["team_source"], name="case_team_source_idx"),
            models.Index(fields=["worker_source"], name="case_worker_source_idx"),
            models.Index(
                fields=["allocated_worker", "status", "external_id"], name="case_worker_open_idx"
            ),
            # The sampling frame's counts of every case by status, type and team, with
            # how many reopened and how many are being audited (`selectors._open_case_counts`),
            # read from this index alone and in its order (issue 16).
            models.Index(
                fields=["status", "case_type", "team", "audit_open", "reopened_on"],
                name="case_frame_counts_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def is_held_open(self) -> bool:
        return self.close_pending_on is not None

    @property
    def team_manager(self) -> User | None:
        return self.team.manager if self.team_id else None

    @property
    def legal_status_label(self) -> str:
        """The label of the stored code (a value from before codes were stored, as it is)."""
        return self.get_legal_status_display()

    @property
    def ethnicity_label(self) -> str:
        return self.get_ethnicity_display()


class DataVersion(models.Model):
    """A token that changes with every committed write to what a page counts (issue 16):
    the sampling frame's counts are kept per process for the token they were read under
    (`sampling.frame_version`). Written only by database triggers."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"
    REPLACED = "replaced", "Replaced by a corrected list"


class SnapshotSource(models.TextChoices):
    UPLOAD = "upload", "Uploaded"
    COMMAND = "command", "Command line"
    FOLDER = "folder", "Watched folder"


class Snapshot(models.Model):
    """One import of one Annex A list: the cases open on its date (SPEC §2, Bury 6.1).

    The row is created when the import starts, records its progress for the page to show,
    and once imported is the dated snapshot; the cases open that day are its entries.
    A rejected import keeps its errors and has no entries.
    """

    annex_list = models.CharField(max_length=2, choices=AnnexList.choices, blank=True)
    as_of = models.DateField(help_text="The day the list describes.")
    complete = models.BooleanField(
        default=True,
        help_text="A complete list closes the cases missing from it; a partial one does not.",
    )
    status = models.CharField(
        max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED
    )
    source = models.CharField(
        max_length=10, choices=SnapshotSource.choices, default=SnapshotSource.UPLOAD
    )
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # Where an upload waits for the worker; emptied once the import has finished.
    stored_path = models.CharField(max_length=500, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_expected = models.PositiveIntegerField(default=0)
    open_count = models.PositiveIntegerField(default=0)
    closed_rows = models.PositiveIntegerField(
        default=0, help_text="Rows of episodes that had ended by the list's date."
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    columns_used = models.JSONField(default=list, blank=True)
    columns_ignored = models.JSONField(default=list, blank=True)
    unknown_teams = models.JSONField(default=list, blank=True)
    unknown_workers = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    more_errors = models.PositiveIntegerField(default=0)
    # Awkward values that were imported all the same, counted by column and reason, each
    # with up to five examples: [{"column", "reason", "count", "examples": [[line, value]]}].
    notes = models.JSONField(default=list, blank=True)
    note_count = models.PositiveIntegerField(default=0)
    # A workbook of every list is one upload and a snapshot a list: the first is the lead,
    # the others point to it, and the lead names the sheets it ignored.
    lead = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    sheet_name = models.CharField(max_length=120, blank=True)
    ignored_sheets = models.JSONField(default=list, blank=True)
    # A corrected list for a day replaces the snapshot imported for it (kept, marked replaced).
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced"
    )
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-as_of", "annex_list", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["annex_list", "as_of"],
                condition=models.Q(status="imported"),
                name="one_snapshot_a_list_a_day",
            ),
        ]
        indexes = [
            models.Index(fields=["annex_list", "status", "-as_of"], name="snapshot_latest_idx"),
            models.Index(fields=["sha256"], name="snapshot_sha_idx"),
            # The sampling frame page's recent imports, newest first.
            models.Index(fields=["-created_at"], name="snapshot_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"List {self.annex_list} as of {self.as_of.day} {self.as_of:%B %Y}"

    @property
    def finished(self) -> bool:
        return self.status not in (SnapshotStatus.QUEUED, SnapshotStatus.RUNNING)

    @property
    def with_parts(self) -> list[Snapshot]:
        """This snapshot and, for a workbook of several lists, the others it brought."""
        return [self, *self.parts.order_by("annex_list")]

    @property
    def error_count(self) -> int:
        return sum(len(s.errors) + s.more_errors for s in self.with_parts)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.rows_expected:
            return 0
        return min(99, int(100 * self.rows_read / self.rows_expected))


class SnapshotCase(models.Model):
    """A case open on a snapshot's day, with the case type its list gave it."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="entries")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="snapshot_entries")
    case_type = models.CharField(max_length=16, choices=CaseType.choices)
    # Who held the case that day: the case's earlier teams and workers, so that nobody
    # who has had involvement in it audits it (Hillingdon 2.1).
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "case"], name="case_once_a_snapshot"),
        ]
        indexes = [models.Index(fields=["case", "snapshot"], name="snapshotcase_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} in snapshot {self.snapshot_id}"


class StagedRow(models.Model):
    """A checked row of a file being imported, held until the whole file is known good.

    The import streams the file into these rows (so memory does not grow with the file),
    checks across rows in the database, then merges them into the cases in one
    transaction and deletes them. They never outlive their import.
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField()
    external_id = models.CharField(max_length=64)
    is_open = models.BooleanField(default=True)
    case_type = models.CharField(max_length=16)
    team_id = models.BigIntegerField(null=True)
    team_source = models.CharField(max_length=120, blank=True)
    worker_id = models.BigIntegerField(null=True)
    worker_source = models.CharField(max_length=150, blank=True)
    team_key = models.CharField(max_length=120, blank=True)
    legal_status = models.CharField(max_length=80, blank=True)
    opened_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)
    age_band = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=1, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    disability = models.BooleanField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "external_id"], name="stagedrow_id_idx"),
        ]

    def __str__(self) -> str:
        return f"Line {self.line} of snapshot {self.snapshot_id}"


class NameKind(models.TextChoices):
    TEAM = "team", "Team"
    WORKER = "worker", "Worker"


class NameMapping(models.Model):
    """A team or worker name from the case lists, matched once by QA staff to the
    organisation and remembered for every later import. Nothing is created from a name."""

    kind = models.CharField(max_length=8, choices=NameKind.choices)
    source_key = models.CharField(max_length=150, help_text="The name, squashed for matching.")
    source_name = models.CharField(max_length=150)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE)
    mapped_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mapped_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "source_name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_key"], name="name_mapped_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} “{self.source_name}”"


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
    method = models.CharField(max_length=300, blank=True)
    min_per_stratum = models.PositiveSmallIntegerField(default=1)
    lookback_months = models.PositiveSmallIntegerField(default=12)
    requested_size = models.PositiveIntegerField(
        default=0, help_text="The size asked for: the pool's quotas, or a thematic size."
    )
    pool_size = models.PositiveIntegerField(default=0)
    drawn_on = models.DateField(null=True, blank=True, help_text="The day the draw used.")
    frame_snapshots = models.JSONField(
        default=list, blank=True, help_text="The snapshots the frame came from (ids)."
    )
    frame_size = models.PositiveIntegerField(default=0)
    exclusions = models.JSONField(default=dict, blank=True)
    strata_table = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    history = models.JSONField(
        default=list, blank=True, help_text="Each draw and redraw: who, when, which seed."
    )
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
            ),
            # ...and at most one draft, which a redraw replaces.
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(kind="monthly", status="draft"),
                name="one_draft_monthly_sample_a_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} sample for {self.period:%B %Y}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == SampleStatus.CONFIRMED


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
