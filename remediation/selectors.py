"""Reads of the remediation app for its pages, reports and the home page, each with its
joins in one place so that a page costs the same few queries however long its list."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from accounts.compiled import holding, rows_for
from accounts.models import Team, User
from audits import lifecycle
from audits.models import Audit
from sampling.models import Case, CaseStatus

from . import access
from .models import (
    UNFINISHED,
    WITH_TEAM,
    ActionPlanItem,
    ActionStatus,
    ComplianceItem,
    ComplianceReview,
    DecisionStatus,
    Disagreement,
    DisagreementStatus,
    FollowUp,
    ManagementDecision,
    Outstanding,
    RemedialAction,
)

LIST_JOINS = (
    "case",
    "team",
    "owner",
    "worker",
    "audit__allocation__auditor",
)


# The worktray (templates/remediation/list.html) reads only the columns it shows. It joins
# the case, the team and the two people; the audit's auditor comes in one small query for
# the page's fifty rows, because PostgreSQL spent 50 ms planning the seven-table join that
# ran in 1.5 ms (issue 16).
LIST_COLUMNS = (
    "status",
    "due_on",
    "what",
    "received_on",
    "carried_by_team_manager",
    "case",
    "case__external_id",
    "team",
    "team__name",
    "owner",
    "owner__full_name",
    "worker",
    "worker__full_name",
    "audit",
)


def _list_prefetches() -> tuple[Prefetch, ...]:
    return (
        Prefetch(
            "audit",
            queryset=Audit.objects.select_related("allocation__auditor").only(
                "allocation", "allocation__auditor", "allocation__auditor__full_name"
            ),
        ),
    )


def _same(status: str) -> str:
    return status


def _of_worker(user: User | int) -> Q:
    """Actions a worker carries or that are on their cases: the cases as a subquery rather
    than a join, so that each half uses its index (action_worker_status, action_case_status)."""
    return Q(worker=user) | Q(case__in=Case.objects.filter(allocated_worker=user).values("pk"))


def _overdue(today: dt.date, value=_same) -> ExpressionWrapper:
    """Whether an action is overdue with the team (never NULL: a missing due date is not
    overdue). Overdue first, then by due date, is the worktray's order (`OVERDUE_FIRST`)."""
    return ExpressionWrapper(
        Q(status__in=[value(s) for s in WITH_TEAM], due_on__lt=today, due_on__isnull=False),
        output_field=BooleanField(),
    )


OVERDUE_FIRST = ("-overdue", "due_on", "pk")


def _listed(actions: QuerySet[RemedialAction], today: dt.date) -> QuerySet[RemedialAction]:
    """Overdue first, then by due date (the team manager's worktray order)."""
    return (
        actions.select_related(*LIST_JOINS)
        .annotate(overdue=_overdue(today))
        .order_by(*OVERDUE_FIRST)
    )


def _earlier_unfinished(team_ids, value=_same) -> QuerySet[RemedialAction]:
    return RemedialAction.objects.filter(
        team_id__in=team_ids,
        status__in=[value(s) for s in UNFINISHED],
        case__status=value(CaseStatus.OPEN),
        case__reopened_on__isnull=False,
        created_on__lt=F("case__reopened_on"),
    )


@dataclass
class ReopenedCase:
    """A reopened case with unfinished actions from before it reopened (the worktray's
    warning): the case's id, when it reopened, and those actions' ids."""

    external_id: str
    reopened_on: dt.date
    earlier_actions: list[int] = field(default_factory=list)


@holding(*UNFINISHED, CaseStatus.OPEN)
def _reopened_rows(*team_ids: int):
    return (
        _earlier_unfinished(team_ids)
        .order_by("case__external_id", "due_on", "pk")
        .values_list("case_id", "case__external_id", "case__reopened_on", "pk")
    )


def reopened_cases_with_actions(*, team_ids: list[int]) -> list[ReopenedCase]:
    """Reopened cases in these teams with unfinished actions from audits before they
    reopened: the team manager must fulfil them or record a Management Decision (Bury 9.7).
    Only the columns the warning shows (not two whole rows an action: issue 16)."""
    if not team_ids:
        return []
    # Its SQL built once a process for each number of teams (up to ten; `rows_for`).
    rows = rows_for(_reopened_rows, *team_ids)
    cases: dict[int, ReopenedCase] = {}
    for case_id, external_id, reopened_on, pk in rows:
        case = cases.setdefault(case_id, ReopenedCase(external_id, reopened_on))
        case.earlier_actions.append(pk)
    return list(cases.values())


def action_detail(*, pk: int) -> RemedialAction:
    return (
        RemedialAction.objects.select_related(
            *LIST_JOINS,
            "team__service_area",
            "team__manager",
            "case__allocated_worker",
            "completed_by",
            "authorised_by",
            "fulfilled_by",
            "smart_action",
        )
        .prefetch_related("events__by", "decisions__recorded_by", "decisions__decided_by")
        .get(pk=pk)
    )


def authorisation_queue(*, user: User, today: dt.date) -> dict:
    """What waits for a service manager or strategic lead: signed-off actions to confirm
    (Bury 10.1) and Management Decisions to decide (Bury 9.4), in the teams they oversee."""
    team_ids = access.overseen_team_ids(user)
    completed = list(
        _listed(
            RemedialAction.objects.filter(team_id__in=team_ids, status=ActionStatus.COMPLETED)
            .exclude(completed_by=user)
            .select_related("completed_by"),
            today,
        )
    )
    decisions = list(
        ManagementDecision.objects.filter(
            action__team_id__in=team_ids, status=DecisionStatus.PENDING
        )
        .exclude(recorded_by=user)
        .select_related("action__case", "action__team", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    return {"completed": completed, "decisions": decisions}


def _pending_decisions(user: User) -> QuerySet[ManagementDecision]:
    return _decisions_waiting(access.overseen_team_ids(user), user.pk)


def _decisions_waiting(overseen, person: int, value=_same) -> QuerySet[ManagementDecision]:
    return ManagementDecision.objects.filter(
        action__team_id__in=overseen, status=value(DecisionStatus.PENDING)
    ).exclude(recorded_by=person)


def pending_decisions_count(*, user: User) -> int:
    if not access.overseen_team_ids(user):
        return 0
    return _pending_decisions(user).count()


def home_panel_counts(*, user: User, today: dt.date) -> dict[str, QuerySet]:
    """What the home page's actions panels count, as querysets for the page to count in
    one query with its other numbers (`accounts.counting.count_all`); `home_panel_from`
    puts the counts in the panel's shape."""
    managed = access.managed_team_ids(user)
    overseen = access.overseen_team_ids(user)
    return panel_counts(
        person=user.pk,
        today=today,
        managed=managed or None,
        overseen=overseen or None,
    )


def panel_counts(
    *, person: int, today: dt.date, managed, overseen, value=_same
) -> dict[str, QuerySet]:
    """`home_panel_counts` for a person (by id): `managed` and `overseen`, the teams they
    manage and oversee (ids, or a query of them) or None for none. `value` gives the value
    each status is compared with (the status itself; `reporting.selectors` builds the
    query once with stand-ins for them)."""

    def any_of(statuses) -> list[str]:
        return [value(s) for s in statuses]

    counts: dict[str, QuerySet] = {}
    if managed is not None:
        team = RemedialAction.objects.filter(team_id__in=managed)
        counts["team.unfinished"] = team.filter(status__in=any_of(UNFINISHED))
        counts["team.overdue"] = team.filter(status__in=any_of(WITH_TEAM), due_on__lt=today)
        counts["team.to_sign_off"] = team.filter(status=value(ActionStatus.FULFILLED))
        # How many cases, counted in the database (the home page shows only the number).
        counts["reopened"] = _earlier_unfinished(managed, value).values("case_id").distinct()
    if overseen is not None:
        counts["oversight.decisions"] = _decisions_waiting(overseen, person, value)
        counts["oversight.to_authorise"] = RemedialAction.objects.filter(
            team_id__in=overseen, status=value(ActionStatus.COMPLETED)
        ).exclude(completed_by=person)
        counts["oversight.overdue"] = RemedialAction.objects.filter(
            team_id__in=overseen, status__in=any_of(WITH_TEAM), due_on__lt=today
        )
    counts["worker_unfinished"] = RemedialAction.objects.filter(
        _of_worker(person), status__in=any_of(UNFINISHED)
    )
    return counts


def home_panel_from(counts: dict[str, int]) -> dict:
    """The panel from the counts of `home_panel_counts` ("team.overdue" → panel["team"])."""
    panel: dict = {}
    for name, value in counts.items():
        group, _, key = name.rpartition(".")
        if group:
            panel.setdefault(group, {})[key] = value
        else:
            panel[key] = value
    return panel


def home_panel(*, user: User, today: dt.date) -> dict:
    """The numbers for the home page's actions panels, in one query."""
    from accounts.counting import count_all

    return home_panel_from(count_all(home_panel_counts(user=user, today=today)))


def audits_waiting_for_actions(*, today: dt.date) -> list[Audit]:
    """Every audit with the team manager whose actions are not all finished (P&Q 23, 27):
    what QA staff monitor and report on. Each carries its action counts."""
    return list(
        Audit.objects.filter(status=lifecycle.WITH_TEAM_MANAGER)
        .filter(remedial_actions__isnull=False)
        .annotate(
            action_count=Count("remedial_actions", distinct=True),
            unfinished_count=Count(
                "remedial_actions",
                filter=Q(remedial_actions__status__in=UNFINISHED),
                distinct=True,
            ),
            overdue_count=Count(
                "remedial_actions",
                filter=Q(
                    remedial_actions__status__in=WITH_TEAM, remedial_actions__due_on__lt=today
                ),
                distinct=True,
            ),
        )
        .filter(unfinished_count__gt=0)
        .select_related("allocation__case__team", "allocation__auditor")
        .order_by("finished_at", "pk")
    )


def _case_action_rows(case_id: int):
    return (
        RemedialAction.objects.filter(case_id=case_id)
        .order_by("created_on", "due_on", "pk")
        .values_list("pk", "what", "status", "due_on", "created_on", "team_id", "team__name")
    )


def case_actions(*, case: Case) -> list[RemedialAction]:
    """A case's actions for its page, with their team's name and only the columns shown:
    read as columns (the query's SQL built once a process: `accounts.compiled.rows_for`)
    and made into actions holding those alone."""
    from accounts.compiled import rows_for

    actions = []
    for pk, what, status, due_on, created_on, team_id, team_name in rows_for(
        _case_action_rows, case.pk
    ):
        action = RemedialAction(
            pk=pk, what=what, status=status, due_on=due_on, created_on=created_on, case=case
        )
        action.team = Team(pk=team_id, name=team_name)
        actions.append(action)
    return actions


# The compliance review ----------------------------------------------------------------


_REVIEW_FIELDS = ("id", "month", "opened_on", "sent_on", "created_at")


def _review_of_month(month: dt.date):
    return ComplianceReview.objects.filter(month=month).values_list(*_REVIEW_FIELDS)[:1]


def review_for_month(*, month: dt.date) -> ComplianceReview | None:
    """The month's review (one a month), its SQL built once a process."""
    rows = rows_for(_review_of_month, month)
    return ComplianceReview.from_db("default", _REVIEW_FIELDS, rows[0]) if rows else None


def reviews(limit: int = 36) -> list[ComplianceReview]:
    return list(
        ComplianceReview.objects.annotate(
            item_count=Count("items", distinct=True),
            audit_count=Count("items__audit", distinct=True),
            outstanding_count=Count(
                "items", filter=~Q(items__outstanding=Outstanding.NONE), distinct=True
            ),
        ).order_by("-month")[:limit]
    )


def review_teams_for(
    *, user: User, review: ComplianceReview | None = None, figures: bool = False
) -> list[int] | None:
    """The teams of a review the person may see: every team for QA staff (None), and for
    senior managers when only counts are shown (`figures`); their own for a team manager,
    their area's for a service manager."""
    if access.reads_everything(user) or (figures and access.reads_figures(user)):
        return None
    return sorted(set(access.managed_team_ids(user)) | set(access.overseen_team_ids(user)))


def review_items(
    *, review: ComplianceReview, team_ids: list[int] | None = None
) -> list[ComplianceItem]:
    items = ComplianceItem.objects.filter(review=review).select_related(
        "team__service_area",
        "audit__allocation__auditor",
        "action__case",
        "action__worker",
    )
    if team_ids is not None:
        items = items.filter(team_id__in=team_ids)
    return list(items.order_by("team__name", "audit__allocation__case__external_id", "action_id"))


@dataclass
class TeamSummary:
    team: Team
    audits: int = 0
    actions: int = 0
    fulfilled: int = 0
    completed: int = 0
    authorised: int = 0
    closed_by_decision: int = 0
    outstanding: int = 0
    items: list[ComplianceItem] = field(default_factory=list)
    page: int = 1  # the page of the review its actions are shown on


def summarise(items: list[ComplianceItem]) -> list[TeamSummary]:
    """The review by team: counts of fulfilled, completed, authorised and outstanding."""
    teams: dict[int, TeamSummary] = {}
    audits: dict[int, set[int]] = {}
    for item in items:
        row = teams.setdefault(item.team_id, TeamSummary(team=item.team))
        row.items.append(item)
        row.actions += 1
        row.fulfilled += item.fulfilled
        row.completed += item.completed
        row.authorised += item.authorised
        row.closed_by_decision += item.closed_by_decision
        row.outstanding += item.outstanding != Outstanding.NONE
        audits.setdefault(item.team_id, set()).add(item.audit_id)
    for team_id, row in teams.items():
        row.audits = len(audits[team_id])
    return sorted(teams.values(), key=lambda r: r.team.name)


_SUMMARY_COUNTS = (
    "audits",
    "actions",
    "fulfilled",
    "completed",
    "authorised",
    "closed_by_decision",
    "outstanding",
)


def _summary(items: QuerySet, **columns) -> QuerySet:
    """The items' counts by team (`_SUMMARY_COUNTS`) after the team's id and name, then
    `columns` (expressions of one value, the same for every team: not grouped by)."""
    return (
        items.order_by("team__name", "team_id")
        .values("team_id", "team__name")
        .annotate(
            audits=Count("audit_id", distinct=True),
            actions=Count("id"),
            fulfilled=Count("id", filter=Q(fulfilled=True)),
            completed=Count("id", filter=Q(completed=True)),
            authorised=Count("id", filter=Q(authorised=True)),
            closed_by_decision=Count("id", filter=Q(closed_by_decision=True)),
            outstanding=Count("id", filter=~Q(outstanding=Outstanding.NONE)),
        )
        .annotate(**columns)
        .values_list("team_id", "team__name", *_SUMMARY_COUNTS, *columns)
    )


def _of_month(month: dt.date, team_ids: tuple[int, ...] | None = None) -> QuerySet:
    """The month's review's items (of these teams), with the review's columns beside the
    counts (`review_and_summary`): the review by its month in scalar subqueries, each run
    once, rather than joined and grouped by."""
    review = ComplianceReview.objects.filter(month=month).order_by()
    items = ComplianceItem.objects.filter(review_id=Subquery(review.values("id")[:1]))
    if team_ids is not None:
        items = items.filter(team_id__in=team_ids)
    return _summary(
        items, **{f"review_{name}": Subquery(review.values(name)) for name in _REVIEW_FIELDS}
    )


@holding(Outstanding.NONE)
def _summary_of_month(month: dt.date):
    return _of_month(month)


@holding(Outstanding.NONE)
def _summary_of_month_teams(month: dt.date, *team_ids: int):
    return _of_month(month, team_ids)


def review_and_summary(
    *, month: dt.date, team_ids: list[int] | None = None
) -> tuple[ComplianceReview | None, list[TeamSummary]]:
    """The month's review and `summarise`'s counts by team, counted by the database, in one
    query whatever the number of actions (its SQL built once a process), for the review
    page; each row's `items` are left empty. When the review has no actions of these teams
    (or there is no review), the review is read on its own."""
    if team_ids is None:
        rows = rows_for(_summary_of_month, month)
    else:
        rows = rows_for(_summary_of_month_teams, month, *team_ids)
    if not rows:
        return review_for_month(month=month), []
    n = len(_SUMMARY_COUNTS) + 2
    review = ComplianceReview.from_db("default", _REVIEW_FIELDS, rows[0][n:])
    # Each team as Django loads one with `only("name")`: the page shows its name.
    return review, [
        TeamSummary(
            Team.from_db("default", ("id", "name"), (team_id, name)),
            **dict(zip(_SUMMARY_COUNTS, counts, strict=True)),
        )
        for team_id, name, *counts in (row[:n] for row in rows)
    ]


# A page's actions at review (`compliance_display.item_rows` reads them by position).
PAGE_ITEM_COLUMNS = (
    "team_id",
    "fulfilled",
    "fulfilled_on",
    "completed",
    "authorised",
    "closed_by_decision",
    "outstanding",
    "action__what",
    "action__due_on",
    "case_external_id",
)


def _page_items(review_id: int, *team_ids: int):
    return (
        ComplianceItem.objects.filter(review_id=review_id, team_id__in=team_ids)
        # An action's case is its audit's case; its ID looked up by key, not joined.
        .annotate(
            case_external_id=Subquery(
                Case.objects.filter(pk=OuterRef("action__case_id")).order_by().values("external_id")
            )
        )
        .order_by("case_external_id", "action_id")
        .values_list(*PAGE_ITEM_COLUMNS)
    )


def review_page_items(*, review: ComplianceReview, team_ids: list[int]) -> dict[int, list[tuple]]:
    """The review's actions of some teams (a page of the review), by team, as plain values
    (`PAGE_ITEM_COLUMNS`) of only the columns the page shows: the action's case, what it
    asks and when it is due (its SQL built once a process)."""
    found: dict[int, list[tuple]] = {}
    for row in rows_for(_page_items, review.pk, *team_ids):
        found.setdefault(row[0], []).append(row)
    return found


def outstanding_report(items: list[ComplianceItem]) -> dict:
    """The one-page report for the senior managers' meeting: outstanding actions by kind
    and by team (Bury 10.2)."""
    kinds = [k for k in Outstanding if k != Outstanding.NONE]
    by_team: dict[str, Counter] = {}
    totals: Counter = Counter()
    for item in items:
        if item.outstanding == Outstanding.NONE:
            continue
        by_team.setdefault(item.team.name, Counter())[item.outstanding] += 1
        totals[item.outstanding] += 1
    rows = [
        {"team": name, "counts": [counts[k] for k in kinds], "total": sum(counts.values())}
        for name, counts in sorted(by_team.items())
    ]
    return {
        "kinds": [(k.value, k.label) for k in kinds],
        "rows": rows,
        "totals": [totals[k] for k in kinds],
        "total": sum(totals.values()),
        "reviewed": len(items),
        "audits": len({i.audit_id for i in items}),
    }


def follow_ups(*, review: ComplianceReview) -> dict[int, FollowUp]:
    return {f.audit_id: f for f in FollowUp.objects.filter(review=review).select_related("by")}


def disagreements_for(*, action: RemedialAction) -> list[Disagreement]:
    return list(
        Disagreement.objects.filter(action=action).select_related(
            "raised_by", "referred_to", "resolved_by"
        )
    )


def disagreements_referred_to(*, user: User) -> list[Disagreement]:
    return list(
        Disagreement.objects.filter(referred_to=user, status=DisagreementStatus.REFERRED)
        .select_related("action__case", "raised_by")
        .order_by("referred_at")
    )


def plan_items(*, half_year: dt.date) -> list[ActionPlanItem]:
    return list(
        ActionPlanItem.objects.filter(half_year=half_year).select_related(
            "responsible_officer", "approved_by"
        )
    )


def plan_officers() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name")
