"""Reads of allocations for pages, exports, services and other apps."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.compiled import holding, rows_for
from accounts.models import Persona, Policy, Role, Team, User
from accounts.selectors import escalation_chain
from sampling.models import Case, Sample, SampleCase, SampleStatus, SnapshotCase

from ..eligibility import AuditorFacts, CaseFacts
from ..models import (
    LIVE_STATUSES,
    Allocation,
    AllocationRun,
    AllocationStatus,
    Audit,
    ExemptionRequest,
    ExemptionStatus,
)

QA_ROLES = (Role.PRINCIPAL_SOCIAL_WORKER, Role.QA_OFFICER)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def confirmed_sample(*, period: dt.date) -> Sample | None:
    """The month's confirmed monthly sample, through sampling's selector where it exists."""
    try:
        from sampling.selectors import confirmed_monthly_sample
    except ImportError:  # the sampling issue has not provided it yet
        return (
            Sample.objects.filter(
                kind="monthly", status=SampleStatus.CONFIRMED, period=month_start(period)
            )
            .order_by("-confirmed_at")
            .first()
        )
    return confirmed_monthly_sample(period=month_start(period))


# Facts for the eligibility rules, for many people or cases in a fixed number of queries.


def auditor_facts(users: Iterable[User]) -> dict[int, AuditorFacts]:
    """Each person's team, area, the teams they are responsible for and the people they
    line-manage. Pass users loaded with `select_related("team__service_area",
    "service_area")`."""
    users = list(users)
    ids = {u.pk for u in users}
    responsible: dict[int, set[int]] = defaultdict(set)
    for team_id, manager_id, above_id in Team.objects.filter(
        Q(manager_id__in=ids) | Q(manager__line_manager_id__in=ids)
    ).values_list("id", "manager_id", "manager__line_manager_id"):
        for person in (manager_id, above_id):
            if person in ids:
                responsible[person].add(team_id)
    reports: dict[int, set[int]] = defaultdict(set)
    for manager_id, person_id in User.objects.filter(line_manager_id__in=ids).values_list(
        "line_manager_id", "id"
    ):
        reports[manager_id].add(person_id)
    facts = {}
    for user in users:
        area = user.team.service_area if user.team_id else user.service_area
        facts[user.pk] = AuditorFacts(
            id=user.pk,
            name=user.full_name,
            role=user.role,
            role_label=user.get_role_display(),
            team_id=user.team_id,
            team_name=user.team.name if user.team_id else "",
            area_id=area.pk if area else None,
            area_name=area.name if area else "",
            responsible_team_ids=frozenset(responsible.get(user.pk, ())),
            report_ids=frozenset(reports.get(user.pk, ())),
        )
    return facts


def _case_facts(rows: Iterable[tuple]) -> list[CaseFacts]:
    return [
        CaseFacts(
            id=case_id,
            external_id=external_id,
            team_id=team_id,
            team_name=team_name or "",
            area_id=area_id,
            area_name=area_name or "",
            worker_id=worker_id,
        )
        for case_id, external_id, team_id, team_name, area_id, area_name, worker_id in rows
    ]


_CASE_FIELDS = (
    "id",
    "external_id",
    "team_id",
    "team__name",
    "team__service_area_id",
    "team__service_area__name",
    "allocated_worker_id",
)


def _with_involvement(facts: list[CaseFacts]) -> list[CaseFacts]:
    """Add who has had involvement in each case (Hillingdon 2.1): the teams and workers
    that held it on earlier case lists, and the IRO named on its earlier audits. Two
    queries whatever the number of cases."""
    ids = [f.id for f in facts]
    teams: dict[int, set[int]] = defaultdict(set)
    workers: dict[int, set[int]] = defaultdict(set)
    held = (
        SnapshotCase.objects.filter(case_id__in=ids)
        .filter(Q(team_id__isnull=False) | Q(worker_id__isnull=False))
        .values_list("case_id", "team_id", "worker_id")
        .distinct()
    )
    for case_id, team_id, worker_id in held:
        if team_id is not None:
            teams[case_id].add(team_id)
        if worker_id is not None:
            workers[case_id].add(worker_id)
    iros: dict[int, set[int]] = defaultdict(set)
    for case_id, iro_id in (
        Audit.objects.filter(allocation__case_id__in=ids, iro__isnull=False)
        .values_list("allocation__case_id", "iro_id")
        .distinct()
    ):
        iros[case_id].add(iro_id)
    return [
        replace(
            f,
            past_team_ids=frozenset(teams[f.id] - {f.team_id}),
            past_worker_ids=frozenset(workers[f.id] - {f.worker_id}),
            iro_ids=frozenset(iros[f.id]),
        )
        for f in facts
    ]


def sample_case_facts(*, sample: Sample) -> list[CaseFacts]:
    """The facts of every case in a sample, in three queries."""
    rows = SampleCase.objects.filter(sample=sample).values_list(
        *(f"case__{f}" for f in _CASE_FIELDS)
    )
    return _with_involvement(_case_facts(rows))


def case_facts(*, case_ids: Collection[int]) -> dict[int, CaseFacts]:
    from sampling.models import Case

    rows = Case.objects.filter(pk__in=case_ids).values_list(*_CASE_FIELDS)
    return {c.id: c for c in _with_involvement(_case_facts(rows))}


def audits_given_in_month(*, period: dt.date, exclude_run: AllocationRun | None = None):
    """Live allocations a person has in a month (their quota's use)."""
    # A thematic sample's audits stand apart from the month's quotas.
    qs = Allocation.objects.filter(
        period=month_start(period), status__in=LIVE_STATUSES, run__kind="monthly"
    )
    if exclude_run is not None:
        qs = qs.exclude(run=exclude_run)
    # order_by(): no join to the case and auditor for the model's default order.
    rows = qs.order_by().values_list("auditor_id").annotate(n=Count("id"))
    return dict(rows.values_list("auditor_id", "n"))


def audits_counted_in_year(period: dt.date, user_ids: Collection[int]) -> dict[int, int]:
    """Audits given in the period's year before the period, for the yearly cap (P&Q 2).

    Exempted and cancelled allocations do not count: they were not done.
    """
    period = month_start(period)
    rows = (
        Allocation.objects.filter(
            auditor_id__in=user_ids,
            period__year=period.year,
            period__lt=period,
            status__in=LIVE_STATUSES,
        )
        .order_by()
        .values_list("auditor_id")
        .annotate(n=Count("id"))
    )
    return dict(rows.values_list("auditor_id", "n"))


# Pages


def run_for(*, period: dt.date) -> AllocationRun | None:
    """The month's monthly run (the review page reads it with `review_run`)."""
    return (
        AllocationRun.objects.select_related("sample", "confirmed_by")
        .filter(period=month_start(period), kind="monthly")
        .first()
    )


# The review page's run: the columns it reads (templates/audits/review.html and the
# selectors it calls; `str(run.sample)` needs the sample's name, kind and period), who
# confirmed it, and how many allocations it has and how many are live.
_REVIEW_RUN = ("id", "period", "kind", "sample_id", "seed", "status", "unallocated", "notes")
_REVIEW_RUN += ("confirmed_at", "confirmed_by_id")
_REVIEW_SAMPLE = ("sample__name", "sample__kind", "sample__period")


@holding("monthly", 1, *LIVE_STATUSES)  # 1: what the EXISTS selects
def _review_run_rows(period: dt.date) -> QuerySet:
    of_run = Allocation.objects.filter(run=OuterRef("pk")).order_by().values("run")
    # How many cases of the sample nobody holds: the page reads those cases only when there
    # are some. Counted, not EXISTS: PostgreSQL plans an EXISTS to stop at the first case,
    # and with none it then compared each case with each allocation (12 ms, not 0.6).
    unplaced = _nobody_holds(OuterRef("sample_id"), OuterRef(OuterRef("sample_id")))
    unplaced = unplaced.order_by().values("sample_id").annotate(n=Count("id")).values("n")
    return (
        AllocationRun.objects.filter(period=period, kind="monthly")
        .order_by(*AllocationRun._meta.ordering, "pk")
        .values_list(
            *_REVIEW_RUN,
            *_REVIEW_SAMPLE,
            "confirmed_by__full_name",
            Subquery(of_run.annotate(n=Count("id")).values("n")),
            Subquery(of_run.filter(status__in=LIVE_STATUSES).annotate(n=Count("id")).values("n")),
            Subquery(unplaced),
        )[:1]
    )


def _loaded(model, values: dict):
    """An instance as Django loads one with `only()`: these columns (by attribute name),
    the others deferred."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", fields, [values[f] for f in fields])


def review_run(*, period: dt.date) -> AllocationRun | None:
    """The month's monthly run for the review page, with SQL built once a process
    (`accounts.compiled`): only the columns the page reads, its sample and who confirmed
    it, `total` and `live`, how many allocations it has and how many are live, and
    `any_unplaced`, whether a case of its sample is held by nobody (`unplaced_rows`)."""
    rows = rows_for(_review_run_rows, month_start(period))
    if not rows:
        return None
    row = rows[0]
    name, kind, sample_period, confirmer, total, live, unplaced = row[len(_REVIEW_RUN) :]
    run = _loaded(AllocationRun, dict(zip(_REVIEW_RUN, row, strict=False)))
    run.sample = _loaded(
        Sample, {"id": run.sample_id, "name": name, "kind": kind, "period": sample_period}
    )
    if run.confirmed_by_id is not None:
        run.confirmed_by = _loaded(User, {"id": run.confirmed_by_id, "full_name": confirmer})
    run.total, run.live = total or 0, live or 0
    run.any_unplaced = bool(unplaced)
    return run


# The columns of the review table (`display.allocation_rows`), in its order.
ALLOCATION_TABLE_COLUMNS = (
    "id",
    "status",
    "pair_group",
    "eligibility_reason",
    "deadline",
    "completed_at",
    "case__external_id",
    "case__team__name",
    "auditor__full_name",
    "auditor__role",
)


def _allocation_table(run_id: int) -> QuerySet:
    """The run's allocations in the table's order, read in the case's order from the index
    of the case ID the database keeps on each allocation (`allocation_run_table`,
    `audits.case_copies`), not every one's case looked up to sort them. The case's team's
    name by subqueries, for the page's rows only (PostgreSQL works out a column the order
    does not need after the LIMIT)."""
    team_id = Case.objects.filter(pk=OuterRef(OuterRef("case_id"))).order_by()[:1]
    team = Team.objects.filter(pk=Subquery(team_id.values("team_id"))).order_by()
    return (
        Allocation.objects.filter(run_id=run_id)
        .annotate(team_name=Subquery(team.values("name")))
        .order_by("case_external_id", "status", "auditor__full_name", "pk")
    )


# The table's columns as `_allocation_table` names them.
_TABLE_QUERY_COLUMNS = [
    {"case__external_id": "case_external_id", "case__team__name": "team_name"}.get(c, c)
    for c in ALLOCATION_TABLE_COLUMNS
]


@functools.cache
def _table_slice(start: int, stop: int):
    """The builder of one slice of the table: one a page of it, so each keeps its SQL
    (there are as many as the longest run has pages)."""

    def rows(run_id: int) -> QuerySet:
        return _allocation_table(run_id).values_list(*_TABLE_QUERY_COLUMNS)[start:stop]

    return rows


@dataclass(frozen=True)
class AllocationTable:
    """The allocations of a run in the review table's order, as plain values of only the
    columns it shows (the case and its team, the auditor), a page at a time: its length the
    run's count, and each page (a slice) read with SQL built once a process
    (`accounts.compiled`), so the page costs the same whatever the size of the sample."""

    run_id: int
    total: int

    def __len__(self) -> int:
        return self.total

    def count(self) -> int:
        return self.total

    def __getitem__(self, where: slice) -> list[dict]:
        start, stop, _step = where.indices(self.total)
        if start >= stop:
            return []
        rows = rows_for(_table_slice(start, stop), self.run_id)
        return [dict(zip(ALLOCATION_TABLE_COLUMNS, row, strict=True)) for row in rows]


@dataclass
class AuditorLoad:
    auditor: User
    quota: int
    given: int = 0


def auditor_loads(*, run: AllocationRun) -> list[AuditorLoad]:
    """Each available auditor's quota and how many live allocations they have this month
    (counted in the query that reads the pool: a thematic sample's audits stand apart)."""
    from accounts.selectors import available_pool

    live = (
        Allocation.objects.filter(
            auditor=OuterRef("pk"),
            period=month_start(run.period),
            status__in=LIVE_STATUSES,
            run__kind="monthly",
        )
        .order_by()
        .values("auditor")
        .annotate(n=Count("id"))
        .values("n")
    )
    pool = available_pool(
        period=run.period, names_only=True, annotate={"given": Coalesce(Subquery(live), 0)}
    )
    return [AuditorLoad(user, quota, user.given) for user, quota in pool]


def allocations_of(*, auditor: User) -> QuerySet[Allocation]:
    """An auditor's confirmed allocations, newest month first (their "Your audits")."""
    return (
        Allocation.objects.filter(auditor=auditor)
        .exclude(status__in=[AllocationStatus.PROPOSED, AllocationStatus.CANCELLED])
        .select_related("case__team", "case__allocated_worker")
        .order_by("-period", "deadline", "case__external_id")
    )


def open_allocations_of(*, auditor: User) -> list[Allocation]:
    return list(
        allocations_of(auditor=auditor).filter(
            status=AllocationStatus.ALLOCATED, completed_at__isnull=True
        )
    )


def allocation_detail(*, pk: int) -> Allocation:
    return (
        Allocation.objects.select_related(
            "case__team__service_area", "case__allocated_worker", "auditor", "run"
        )
        .prefetch_related("history__by", "exemption_requests__approver")
        .get(pk=pk)
    )


def pair_of(*, allocation: Allocation) -> list[Allocation]:
    """The other live allocations of a paired audit (Bury 8.1)."""
    if allocation.pair_group is None:
        return []
    return list(
        Allocation.objects.filter(pair_group=allocation.pair_group, status__in=LIVE_STATUSES)
        .exclude(pk=allocation.pk)
        .select_related("auditor")
    )


def may_view_allocation(*, user: User, allocation: Allocation) -> bool:
    """QA staff see every allocation; an auditor sees only their own."""
    return user.has_perm("accounts.manage_allocation") or allocation.auditor_id == user.pk


def exemption_approver_for(*, auditor: User, policy: Policy) -> User | None:
    """Who agrees this auditor's exemption (P&Q 4, Hillingdon 2.17, Bury 7.2).

    QA staff: the strategic lead of their service area, where the policy says so. Others:
    the nearest person above them in line management with a role the policy names, else
    the first active person with that role. Never the auditor.
    """
    if policy.qa_exemptions_by_strategic_lead and auditor.role in QA_ROLES:
        area = auditor.area
        lead = area.strategic_lead if area else None
        if lead is not None and lead.pk != auditor.pk and lead.is_active:
            return lead
    roles = set(policy.exemption_approver_roles)
    if not roles:
        return None
    for manager in escalation_chain(user=auditor, depth=8):
        if manager.role in roles and manager.is_active:
            return manager
    return (
        User.objects.filter(role__in=roles, is_active=True)
        .exclude(pk=auditor.pk)
        .order_by("pk")
        .first()
    )


def exemptions_for_approver(*, user: User) -> QuerySet[ExemptionRequest]:
    """Requests addressed to this person, undecided first."""
    return (
        ExemptionRequest.objects.filter(approver=user)
        .select_related("allocation__case__team", "allocation__auditor", "requested_by")
        .order_by("-status", "-requested_at")
    )


def open_exemption_count(*, user: User) -> int:
    return ExemptionRequest.objects.filter(approver=user, status=ExemptionStatus.REQUESTED).count()


def qa_staff() -> QuerySet[User]:
    return User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True).distinct()


def auditor_emails_by_case(*, sample: Sample) -> dict[int, list[str]]:
    """The emails of each sampled case's live auditors, by case id, for the sample export."""
    emails: dict[int, list[str]] = defaultdict(list)
    rows = (
        Allocation.objects.filter(sample=sample, status__in=LIVE_STATUSES)
        .order_by("case_id", "auditor__email")
        .values_list("case_id", "auditor__email")
    )
    for case_id, email in rows:
        emails[case_id].append(email)
    return dict(emails)


def auditor_emails_by_sample_case(sample: Sample) -> dict[int, str]:
    """The same, keyed by sample entry, as the sample export's extra column wants it."""
    emails = auditor_emails_by_case(sample=sample)
    entries = SampleCase.objects.filter(sample=sample).values_list("pk", "case_id")
    return {pk: "; ".join(emails[case_id]) for pk, case_id in entries if case_id in emails}


# Completion (P&Q 28; SPEC §10)

PROGRESS_LABELS = {
    "allocated": "Allocated",
    "in_progress": "In progress",
    "done": "Done",
    "overdue": "Overdue",
    "exempted": "Exempted",
}


@dataclass
class CompletionRow:
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROGRESS_LABELS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(label, self.counts[key]) for key, label in PROGRESS_LABELS.items()]


@dataclass
class Completion:
    period: dt.date
    totals: CompletionRow
    by_auditor: list[CompletionRow]
    by_team: list[CompletionRow]
    by_area: list[CompletionRow]
    allocations: list[Allocation]


def completion(*, period: dt.date, today: dt.date) -> Completion:
    """The month's audits: allocated, in progress, done, overdue, exempted, by auditor, by
    the case's team and by service area, in two queries."""
    allocations = list(
        Allocation.objects.filter(
            period=month_start(period),
            status__in=[AllocationStatus.ALLOCATED, AllocationStatus.EXEMPTED],
        )
        .select_related("auditor", "case__team__service_area")
        .order_by("auditor__full_name", "case__external_id")
    )
    totals = CompletionRow("All audits")
    tables: dict[str, dict[str, CompletionRow]] = {"auditor": {}, "team": {}, "area": {}}
    for allocation in allocations:
        state = allocation.progress(today)
        if state not in PROGRESS_LABELS:
            continue
        team = allocation.case.team
        keys = {
            "auditor": allocation.auditor.full_name,
            "team": team.name if team else "No team",
            "area": team.service_area.name if team else "No service area",
        }
        totals.counts[state] += 1
        for table, key in keys.items():
            tables[table].setdefault(key, CompletionRow(key)).counts[state] += 1
    return Completion(
        period=month_start(period),
        totals=totals,
        by_auditor=sorted(tables["auditor"].values(), key=lambda r: r.name),
        by_team=sorted(tables["team"].values(), key=lambda r: r.name),
        by_area=sorted(tables["area"].values(), key=lambda r: r.name),
        allocations=allocations,
    )


def _nobody_holds(sample_id, held_sample_id) -> QuerySet[SampleCase]:
    """The sample's entries whose case nobody holds (live, or done). `sample_id` and
    `held_sample_id`: the sample, as the entries' query and the allocations' subquery in
    it see it (its id, or references to an outer query's)."""
    held = Allocation.objects.filter(sample_id=held_sample_id, case_id=OuterRef("case_id")).filter(
        Q(status__in=LIVE_STATUSES) | Q(completed_at__isnull=False)
    )
    return SampleCase.objects.filter(sample_id=sample_id).filter(~Exists(held))


def _unplaced(sample_id: int) -> QuerySet[Case]:
    nobody = _nobody_holds(sample_id, sample_id)
    return Case.objects.filter(pk__in=nobody.values("case_id")).order_by("external_id")


def unplaced_cases(*, run: AllocationRun) -> list[Case]:
    """Cases of the month's sample that nobody holds: never placed, or left without an
    auditor after an agreed exemption. QA staff place them by hand (one query: the
    sample's cases are picked in a subquery, so the case table is read by its key rather
    than scanned)."""
    return list(
        _unplaced(run.sample_id)
        .select_related("team")
        .only("id", "external_id", "case_type", "team__name")
    )


@dataclass(frozen=True)
class UnplacedCase:
    pk: int
    external_id: str
    team_name: str | None


@holding(1, *LIVE_STATUSES)  # 1: what the EXISTS selects
def _unplaced_rows(sample_id: int) -> QuerySet:
    return _unplaced(sample_id).values_list("pk", "external_id", "team__name")


def unplaced_rows(*, run: AllocationRun) -> list[UnplacedCase]:
    """`unplaced_cases` as the review page shows them (the case, its team), with SQL
    built once a process (`accounts.compiled`); none, without a query, for a run from
    `review_run` that knows its sample has none."""
    if getattr(run, "any_unplaced", True) is False:
        return []
    return [UnplacedCase(*row) for row in rows_for(_unplaced_rows, run.sample_id)]
