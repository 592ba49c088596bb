"""Reads for the home pages and reports. Reporting may read every app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import (
    Count,
    Q,
    QuerySet,
    Subquery,
)

from accounts.compiled import rows_for
from accounts.models import (
    BreakRequest,
    BreakStatus,
    Persona,
    Policy,
    Team,
    User,
)
from accounts.selectors import (
    BreakMonth,
    may_see_break_requests,
    months_ahead,
    newest_notices,
    policy_get,
    pool_members,
)
from audits import lifecycle
from audits.models import (
    Allocation,
    AllocationRun,
    AllocationStatus,
    Audit,
    ExemptionRequest,
    ExemptionStatus,
    RunKind,
    RunStatus,
)
from sampling.models import (
    Case,
    CaseStatus,
    Sample,
    SampleKind,
    SampleStatus,
    Snapshot,
    SnapshotStatus,
)

from . import kept_figures
from .home_rows import (
    ALLOCATION_ROW_COLUMNS,
    CASE_ROW_COLUMNS,
    audit_row_values,
    by_key,
    case_rows,
    notice_rows,
)
from .kept_figures import area_figures

# The home page's lists are paged (the view pages them, `reporting.views.home`); these are
# their queries, reading only the columns the rows show (`reporting.home_rows`).
HOME_PAGED = ("my_audits", "audits_with_me", "audits_for_comment")

# The home page's reads, each the same question about a different person on every request:
# their SQL is built once a process (`accounts.compiled.rows_for`), which asks that every
# value the query compares with is an argument, so each builder takes the statuses it
# filters on as well as the person's id. Each asks what the selector named in its
# docstring asks (tests/reporting/test_home_reads.py compares them, person by person).


def _my_audits(person: int, allocated: str):
    """`audits.selectors.open_allocations_of`: allocated (so neither proposed nor
    cancelled) and not completed, newest month first."""
    return (
        Allocation.objects.filter(auditor_id=person, status=allocated, completed_at__isnull=True)
        .order_by("-period", "deadline", "case__external_id")
        .values_list(*ALLOCATION_ROW_COLUMNS)
    )


# The teams a team manager manages, when the page has read them (`_managed_teams`) and they
# are few: compared with as values (`team_id IN (…)`), not as a subquery of the teams in
# each list and count (its planning was a third of the query's time: issue 16). More than
# this, or none, and the lists and counts ask the subquery (`rows_for` takes ten whole
# numbers at most: the person's id, the teams' and the counts' own).
TEAMS_AS_VALUES = 6


def _managed(person: int, teams: tuple[int, ...]):
    """The teams the person manages: `teams` when given (read this request, by the same
    rule), else as a subquery."""
    return list(teams) if teams else Team.objects.filter(manager_id=person).values("pk")


def _with_case_worker(audits: QuerySet) -> QuerySet:
    """`audits` with their case's allocated worker (`case_worker`) to filter on, a subquery
    of the case by its key (`home_rows.by_key`), not a join of the case. The case's team
    is on the audit (`Audit.case_team`, kept by the database: `audits.case_copies`)."""
    return audits.alias(case_worker=by_key(Case, "allocation__case_id", "allocated_worker_id"))


def _audits_waiting(managed, with_team_manager: str):
    """`audits.selectors.audits_for_team_manager`: finished audits of the cases of the
    `managed` teams (ids or a subquery of them), waiting for their manager's oversight,
    longest waiting first: read by the case team on the audit, in order, from its index
    (`audit_team_waiting`)."""
    return audit_row_values(
        Audit.objects.filter(status=with_team_manager, case_team__in=managed)
    ).order_by("finished_at", "pk")


def _audits_with_me(person: int, with_team_manager: str):
    """`_audits_waiting` of the teams the person manages, as a subquery."""
    return _audits_waiting(_managed(person, ()), with_team_manager)


def _audits_with_teams(with_team_manager: str, *teams: int):
    """`_audits_waiting` of the teams the page has read the person manages (`teams`)."""
    return _audits_waiting(list(teams), with_team_manager)


def _audits_for_comment(person: int, shared: str, *teams: int):
    """`audits.selectors.audits_shared_with`: drafts of audits of the person's cases (as
    allocated worker, team manager or IRO) shared for their comments, oldest first. The
    teams they manage are `teams` or a subquery (`_managed`), not a join of every case's
    team (a shorter plan)."""
    managed = _managed(person, teams)
    return audit_row_values(
        _with_case_worker(Audit.objects.filter(status=shared)).filter(
            Q(case_worker=person) | Q(case_team__in=managed) | Q(iro_id=person)
        )
    ).order_by("created_at", "pk")


def _my_cases(person: int, open_: str):
    """A social worker's open cases, eleven: ten shown, and whether there are more."""
    return (
        Case.objects.filter(allocated_worker_id=person, status=open_)
        .order_by("external_id")
        .values_list(*CASE_ROW_COLUMNS)[:11]
    )


def _managed_teams(person: int, open_: str):
    """The teams the person manages, by name, each with its service area and open cases
    (counted by their status, which the index of a team's cases by status holds: no case
    row read)."""
    return (
        Team.objects.filter(manager_id=person)
        .annotate(open_cases=Count("cases__status", filter=Q(cases__status=open_)))
        .order_by("name")
        .values_list("pk", "name", "service_area_id", "service_area__name", "open_cases")
    )


# Pages of a list deeper than this are read as Django builds them (each page's window is
# its own SQL: a bounded number of them are kept).
COMPILED_DEPTH = 100


@cache
def _window(builder, start: int, stop: int):
    def window(*args):
        return builder(*args)[start:stop]

    return window


class CompiledList:
    """A home list for `accounts.paging.paginate` to take a window of: the rows of
    `builder(*args)[start:stop]`, its SQL built once a process for each window."""

    def __init__(self, builder, *args):
        self.builder = builder
        self.args = args
        self.read: dict[tuple[int, int], list] = {}  # windows read already (`read_together`)

    def __getitem__(self, window: slice) -> list:
        if (window.start, window.stop) in self.read:
            return self.read[window.start, window.stop]
        if window.start < COMPILED_DEPTH:
            return rows_for(_window(self.builder, window.start, window.stop), *self.args)
        return list(self.builder(*self.args)[window])


@cache
def _both_windows(with_me: tuple[int, int], for_comment: tuple[int, int]):
    def both(person: int, with_team_manager: str, shared: str, *teams: int):
        return (
            _audits_waiting(_managed(person, teams), with_team_manager)[slice(*with_me)]
            .union(_audits_for_comment(person, shared, *teams)[slice(*for_comment)], all=True)
            .order_by()
        )  # each part in its own order; the union's rows as they come

    return both


def read_together(context: dict, windows: dict[str, tuple[int, int]]) -> None:
    """A team manager's two lists of audits (waiting for their oversight, shared for their
    comments), the windows of them the page shows read in one query (UNION ALL of the two,
    each with its own order and limit; the rows told apart by their status, which each list
    filters on), where the database can limit each part of a union (PostgreSQL; elsewhere
    each list is read on its own). `windows`: the rows each list's page reads (start, stop)."""
    if not connection.features.supports_slicing_ordering_in_compound:
        return
    if "audits_with_me" not in context or "audits_for_comment" not in context:
        return
    with_me, for_comment = context["audits_with_me"], context["audits_for_comment"]
    first, second = windows["audits_with_me"], windows["audits_for_comment"]
    if max(first[0], second[0]) >= COMPILED_DEPTH:
        return
    person, shared, *teams = for_comment.args
    if with_me.builder is _audits_with_teams:
        waiting, *_teams = with_me.args
    else:
        _person, waiting, *_teams = with_me.args
    if _teams != teams:  # not the same teams: each list read on its own
        return
    rows = rows_for(_both_windows(first, second), person, waiting, shared, *teams)
    with_me.read[first] = [row for row in rows if row[-1] == waiting]
    for_comment.read[second] = [row for row in rows if row[-1] == shared]


def home_context(*, user: User, today: dt.date) -> dict:
    """What is the person's to do, one panel for each of their personas. The lists named in
    HOME_PAGED are queries, for the view to show a page of. Every number the panels show
    and the QA panel's facts are read in one query (`accounts.counting.counts_and_columns`):
    the QA panel's policy, allocation run, newest list and sample as single columns, not
    four rows of every column."""
    from remediation import access
    from remediation.selectors import home_panel_from

    context: dict = {"personas": user.personas(), "Persona": Persona}
    context["notices"] = notice_rows(newest_notices(user=user))
    # The dashboard and the reports (issue 13): who reads them, by persona alone.
    context["reads_dashboard"] = user.has_persona(
        Persona.QA_STAFF, Persona.SENIOR_MANAGER, Persona.SERVICE_MANAGER, Persona.TEAM_MANAGER
    )
    context["reads_reports"] = user.has_persona(Persona.QA_STAFF, Persona.SENIOR_MANAGER)
    reads_qa = user.has_persona(Persona.QA_STAFF, Persona.ADMIN)
    breaks = may_see_break_requests(user)
    next_month = months_ahead(today, 1)[0]
    managed: tuple[int, ...] = ()  # the teams the lists and counts compare with as values
    if user.has_persona(Persona.TEAM_MANAGER):
        rows = rows_for(_managed_teams, user.pk, str(CaseStatus.OPEN))
        context["managed_teams"] = [
            {"name": name, "area": area, "open_cases": open_cases}
            for _pk, name, _area_id, area, open_cases in rows
        ]
        teams = [
            Team(pk=pk, name=name, service_area_id=area_id, manager_id=user.pk)
            for pk, name, area_id, _area, _open in rows
        ]
        access.remember_managed(user, teams)
        if len(teams) <= TEAMS_AS_VALUES:
            managed = tuple(team.pk for team in teams)
    reads_areas = user.has_persona(Persona.SERVICE_MANAGER, Persona.SENIOR_MANAGER)
    if user.has_persona(Persona.AUDITOR):
        context["my_audits"] = CompiledList(_my_audits, user.pk, str(AllocationStatus.ALLOCATED))
    if user.has_persona(Persona.TEAM_MANAGER):
        context["audits_with_me"] = (
            CompiledList(_audits_with_teams, lifecycle.WITH_TEAM_MANAGER, *managed)
            if managed
            else CompiledList(_audits_with_me, user.pk, lifecycle.WITH_TEAM_MANAGER)
        )
    if user.has_persona(Persona.TEAM_MANAGER, Persona.SOCIAL_WORKER):
        context["audits_for_comment"] = CompiledList(
            _audits_for_comment, user.pk, lifecycle.SHARED, *managed
        )
    case_count = False
    if user.has_persona(Persona.SOCIAL_WORKER):
        # Ten shown; one more read tells whether the count is needed at all.
        shown = rows_for(_my_cases, user.pk, str(CaseStatus.OPEN))
        context["my_cases"] = case_rows(shown[:10])
        case_count = len(shown) > 10
        if not case_count:
            context["my_case_count"] = len(shown)
    panel = user.has_persona(Persona.TEAM_MANAGER, Persona.SERVICE_MANAGER, Persona.SOCIAL_WORKER)
    overseen = panel and bool(access.overseen_team_ids(user))
    area = access.overseen_area(user) if overseen else None
    shape = HomeCounts(
        panel=panel,
        managed=panel and bool(access.managed_team_ids(user)),
        overseen=overseen,
        by_area=area is not None,
        case_count=case_count,
        areas_version=reads_areas,
        managed_teams=len(managed) if panel else 0,
    )
    teams = {f"team_{index}": pk for index, pk in enumerate(managed)}
    if reads_qa or breaks:  # QA staff's and heads of service's: their facts as well
        kept = kept_figures.kept_count() if reads_qa else None
        facts = home_facts(
            FactsShape(shape, reads_qa=reads_qa, breaks=breaks),
            person=user.pk,
            today=today,
            area=area,
            period=today.replace(day=1),
            next_month=next_month,
            **teams,
            **kept_figures.kept_slots(kept),
        )
        if reads_qa:
            facts["qa.open_cases"] = kept_figures.open_cases(facts, kept)
    else:
        facts = home_counts(shape, user.pk, today, area, managed)
    context["exemptions_waiting"] = facts["exemptions_waiting"]
    if reads_areas:
        context["areas"] = area_figures(
            user=user, version=(facts["version.changes"], facts["version.cases"])
        )
    if "my_case_count" in facts:
        context["my_case_count"] = facts["my_case_count"]
    actions = {k.split(":", 1)[1]: v for k, v in facts.items() if k.startswith("actions:")}
    if actions:
        context["actions"] = home_panel_from(actions)
    if (reads_qa or breaks) and facts["max_break_percent"] is None:
        policy = policy_get()  # no policy yet: made with its defaults, as before
        facts["max_break_percent"] = policy.max_break_percent
        facts["qa.preset"] = policy.preset
    if reads_qa:
        context["qa"] = _qa_panel(facts)
    if breaks:
        limit = Policy(max_break_percent=facts["max_break_percent"]).break_limit
        context["breaks_next_month"] = BreakMonth(
            month=next_month,
            pool_size=facts["pool_size"],
            limit=limit(facts["pool_size"]),
            on_break=facts["on_break"],
            requests=[],
        )
    return context


@dataclass(frozen=True)
class HomeCounts:
    """Which of the home page's counts a person has: the actions panels' (`panel`; of the
    teams they manage, of those they oversee and whether by their service area), and the
    count of their open cases (more than the ten shown)."""

    panel: bool
    managed: bool
    overseen: bool
    by_area: bool
    case_count: bool
    # The service areas' figures are on the page: read the version of their data as well
    # (`area_figures`), so that they are read again only when it has changed.
    areas_version: bool = False
    # How many of the teams the person manages are given as values (the slots "team_0",
    # "team_1" …: `TEAMS_AS_VALUES`); none, and the counts ask the subquery of them.
    managed_teams: int = 0


def _home_counts(shape: HomeCounts, arg) -> dict[str, QuerySet]:
    """The home page's counts of `shape`, as querysets (by name) for one query to count:
    the exemption requests waiting for the person's decision, the actions panels'
    (`remediation.selectors.panel_counts`, "actions:" names) and their open cases. The
    teams are read in the query (those the person manages, those they oversee), not as ids:
    the same SQL for everyone of that shape. `arg`: the person, the day and the area as
    slots, and the statuses compared with (`remediation.built_once`)."""
    from remediation import access
    from remediation.selectors import panel_counts

    person = arg.slot("person")
    counts: dict[str, QuerySet] = {
        "exemptions_waiting": ExemptionRequest.objects.filter(
            approver_id=person, status=arg(ExemptionStatus.REQUESTED)
        )
    }
    if shape.panel:
        managed = None
        if shape.managed:
            ids = tuple(arg.slot(f"team_{index}") for index in range(shape.managed_teams))
            managed = _managed(person, ids)
        overseen = None
        if shape.overseen:
            area = arg.slot("area") if shape.by_area else None
            overseen = access.overseen_team_pks_of(person, area)
        found = panel_counts(
            person=person,
            today=arg.slot("today") if shape.managed or shape.overseen else None,
            managed=managed,
            overseen=overseen,
            value=arg,
        )
        counts.update({f"actions:{name}": queryset for name, queryset in found.items()})
    if shape.case_count:
        counts["my_case_count"] = Case.objects.filter(
            allocated_worker_id=person, status=arg(CaseStatus.OPEN)
        )
    return counts


_count_names: dict[HomeCounts | FactsShape, tuple[str, ...]] = {}


def _home_counts_row(shape: HomeCounts, arg):
    """`_home_counts` as one row, a count a column (of a column in the indexes the counts
    use, its status, rather than Django's constant, a parameter of its own)."""
    from accounts.counting import count_columns

    counts = _home_counts(shape, arg)
    columns, known = count_columns(
        {name: q if q._fields is not None else q.values("status") for name, q in counts.items()}
    )
    if known:  # not with teams as subqueries; Django's count_all for safety
        raise ValueError("a count known without asking")
    if shape.areas_version:
        columns = {**columns, **kept_figures.area_version_columns()}
    _count_names[shape] = tuple(columns)
    aliases = {f"fact_{index}": column for index, column in enumerate(columns.values())}
    person = arg.slot("person")
    return User.objects.filter(pk=person).annotate(**aliases).values_list(*aliases)


def home_counts(
    shape: HomeCounts, person: int, today: dt.date, area: int | None, teams: tuple[int, ...] = ()
) -> dict:
    """The counts of `_home_counts` by name, read in one query whose SQL is built once a
    process for each shape (`remediation.built_once`). `teams`: those the person manages,
    `shape.managed_teams` of them, given as values."""
    from remediation.built_once import rows_built_once

    slots = {f"team_{index}": pk for index, pk in enumerate(teams)}
    (row,) = rows_built_once(
        ("home counts", shape),
        _home_counts_row_of(shape),
        person=person,
        today=today,
        area=area,
        **slots,
    )
    return dict(zip(_count_names[shape], row, strict=True))


@dataclass(frozen=True)
class FactsShape:
    """The counts of a home page's `HomeCounts` shape, and whether the QA panel's facts
    (`reads_qa`) and next month's breaks (`breaks`) are read with them."""

    counts: HomeCounts
    reads_qa: bool
    breaks: bool


def _home_facts_row(shape: FactsShape, arg):
    """The counts of `_home_counts` and the QA panel's and breaks' counts and facts as one
    row (`arg`: the slots person, today, area, period and next_month, and the values
    compared with)."""
    from accounts.counting import count_columns

    # Each count of a column (not Django's constant, a parameter of its own).
    counts: dict[str, QuerySet] = {"pool_size": pool_members().values("in_audit_pool")}
    columns: dict = {
        "max_break_percent": Subquery(
            Policy.objects.filter(pk=arg(1)).values("max_break_percent")[:1]
        )
    }
    if shape.reads_qa:
        counts["qa.staff_count"] = User.objects.filter(is_active=True).values("is_active")
        columns.update(_qa_columns(arg))
    if shape.breaks:
        counts["on_break"] = BreakRequest.objects.filter(
            month=arg.slot("next_month"), status=arg(BreakStatus.GRANTED)
        ).values("status")
    for name, queryset in _home_counts(shape.counts, arg).items():
        counts[name] = queryset if queryset._fields is not None else queryset.values("status")
    counted, known = count_columns(counts)
    if known:  # not with teams as subqueries; Django's count_all for safety
        raise ValueError("a count known without asking")
    named = {**counted, **columns}
    if shape.reads_qa:
        named["qa.open_cases"] = kept_figures.open_cases_unless_kept(arg)
    if shape.counts.areas_version or shape.reads_qa:
        named.update(kept_figures.area_version_columns())
    _count_names[shape] = tuple(named)
    aliases = {f"fact_{index}": column for index, column in enumerate(named.values())}
    return User.objects.filter(pk=arg.slot("person")).annotate(**aliases).values_list(*aliases)


@cache
def _home_facts_row_of(shape: FactsShape):
    def make(arg):
        return _home_facts_row(shape, arg)

    return make


def home_facts(shape: FactsShape, **slots) -> dict:
    """The counts and facts of `_home_facts_row` by name, read in one query whose SQL is
    built once a process for each shape (`remediation.built_once`). `slots`: person, today,
    area, period (this month) and next_month, and the teams the person manages given as
    values ("team_0" …: `HomeCounts.managed_teams`)."""
    from remediation.built_once import rows_built_once

    (row,) = rows_built_once(("home facts", shape), _home_facts_row_of(shape), **slots)
    return dict(zip(_count_names[shape], row, strict=True))


@cache
def _home_counts_row_of(shape: HomeCounts):
    def make(arg):
        return _home_counts_row(shape, arg)

    return make


def _qa_columns(arg) -> dict:
    """The QA panel's facts as columns: the policy's preset, this month's allocation run's
    status, the newest imported list's date and this month's sample (the confirmed one,
    else the draft), each a subquery of one value. `arg`: this month as the slot "period",
    and the values compared with (`remediation.built_once`)."""
    period = arg.slot("period")
    sample = Sample.objects.filter(
        kind=arg(SampleKind.MONTHLY),
        period=period,
        status__in=[arg(SampleStatus.CONFIRMED), arg(SampleStatus.DRAFT)],
    ).order_by("status")  # the confirmed one first: "confirmed" sorts before "draft"
    return {
        "qa.preset": Subquery(Policy.objects.filter(pk=arg(1)).values("preset")[:1]),
        "qa.run_status": Subquery(
            AllocationRun.objects.filter(period=period, kind=arg(RunKind.MONTHLY)).values("status")[
                :1
            ]
        ),
        "qa.snapshot_as_of": Subquery(
            Snapshot.objects.filter(status=arg(SnapshotStatus.IMPORTED))
            .order_by("-as_of")
            .values("as_of")[:1]
        ),
        "qa.sample_pk": Subquery(sample.values("pk")[:1]),
        "qa.sample_status": Subquery(sample.values("status")[:1]),
        "qa.sample_size": Subquery(sample.values("size")[:1]),
    }


def _qa_panel(facts: dict) -> dict:
    """The QA panel from the facts `_qa_columns` and the counts read."""
    run_status = facts["qa.run_status"]
    sample = None
    if facts["qa.sample_pk"] is not None:
        sample = {
            "pk": facts["qa.sample_pk"],
            "status_label": SampleStatus(facts["qa.sample_status"]).label,
            "size": facts["qa.sample_size"],
        }
    return {
        "preset_label": Policy(preset=facts["qa.preset"]).get_preset_display(),
        "allocation_label": RunStatus(run_status).label if run_status else None,
        "snapshot_as_of": facts["qa.snapshot_as_of"],
        "month_sample": sample,
        "pool_size": facts["pool_size"],
        "staff_count": facts["qa.staff_count"],
        "open_cases": facts["qa.open_cases"],
    }


# Who reads the population estimates and agreement figures: those who read the reports
# (senior managers, heads of service, QA staff, service managers, admins) and team managers.
ESTIMATE_READERS = (
    "accounts.view_reports",
    "accounts.quality_assure",
    "accounts.manage_team_actions",
)


def may_read_estimates(*, user: User) -> bool:
    return any(user.has_perm(p) for p in ESTIMATE_READERS)
