"""The worktray (`/actions/`): a person's remedial actions, overdue first, with the figures
above them. Its queries' SQL is built once a process for each shape of worktray
(`remediation.built_once`): the teams the person manages or oversees are arguments (read
already, `remediation.access`; a subquery of the person's id when there are more than
`rows_for` takes), the statuses too.

The page's rows carry the figures (counted over every unfinished action of the tray, as
window aggregates: one query for both), and name the case, the people and the auditor in
scalar subqueries, which PostgreSQL runs for the page's fifty rows only (joined, it read
every case to hash them: 2.7 ms at ten years, and planned four joins) (issue 16)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cache

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Window

from accounts.models import Team, User
from accounts.paging import PER_PAGE
from audits.models import Audit
from sampling.models import Case

from . import access
from .models import FINISHED, UNFINISHED, WITH_TEAM, ActionStatus, RemedialAction
from .selectors import (
    LIST_COLUMNS,
    OVERDUE_FIRST,
    ReopenedCase,
    _list_prefetches,
    _listed,
    _of_worker,
    _overdue,
    _same,
    reopened_cases_with_actions,
)


@dataclass(frozen=True)
class TrayShape:
    """The shape of a worktray's queries: whose actions (`scope`: a team manager's teams, a
    service manager's, every team's, a worker's cases'), whether by the service area the
    person oversees, whether of one team of theirs, which (`show`) and whether the rows
    name their team (or give its id, the page having named the teams)."""

    scope: str
    by_area: bool = False
    one_team: bool = False
    show: str = "unfinished"
    teams_named: bool = False
    # How many teams the person's actions are of, given by id (slots "team0", "team1", …);
    # 0: the teams are a subquery of the person's id (and area).
    listed: int = 0


# The most teams a worktray lists by id (`accounts.compiled.rows_for` takes up to ten
# whole numbers); a person with more has their teams as a subquery of their id.
TEAMS_LISTED = 10


def listed_teams(team_ids: list[int]) -> dict[str, int]:
    """The slots naming these teams (`TrayShape.listed`), or none when there are too many."""
    if len(team_ids) > TEAMS_LISTED:
        return {}
    return {f"team{i}": team_id for i, team_id in enumerate(team_ids)}


def _tray_actions(shape: TrayShape, arg) -> QuerySet[RemedialAction]:
    """The actions of the worktray's scope: the teams by id or as subqueries of the person's
    id, which `arg` gives (`remediation.built_once`) with the area and the one team."""
    if shape.listed:
        # The teams the page has read (the one team, when one is chosen): no join to plan.
        teams = [arg.slot(f"team{i}") for i in range(shape.listed)]
        return RemedialAction.objects.filter(team_id__in=teams)
    if shape.scope == "team":
        teams = Team.objects.filter(manager_id=arg.slot("person")).values("pk")
        actions = RemedialAction.objects.filter(team_id__in=teams)
    elif shape.scope == "service":
        area = arg.slot("area") if shape.by_area else None
        teams = access.overseen_teams_of(arg.slot("person"), area).values("pk")
        actions = RemedialAction.objects.filter(team_id__in=teams)
    elif shape.scope in ("all", "figures"):
        actions = RemedialAction.objects.all()
    else:
        actions = RemedialAction.objects.filter(_of_worker(arg.slot("person")))
    if shape.one_team:
        actions = actions.filter(team_id=arg.slot("team"))
    return actions


def _shown(shape: TrayShape, actions: QuerySet[RemedialAction], arg) -> QuerySet:
    if shape.show == "unfinished":
        return actions.filter(status__in=[arg(s) for s in UNFINISHED])
    if shape.show == "finished":
        return actions.filter(status__in=[arg(s) for s in sorted(FINISHED)])
    return actions


FIGURES = ("unfinished", "overdue", "fulfilled", "waiting")


def _figures(shape: TrayShape, arg) -> dict[str, Count]:
    """The worktray's figures (`FIGURES`, and "finished" when the page lists those), each a
    count of the status (a column of action_team_status_due)."""

    def any_of(statuses) -> list[str]:
        return [arg(s) for s in statuses]

    figures = {
        "unfinished": Count("status", filter=Q(status__in=any_of(UNFINISHED))),
        "overdue": Count(
            "status", filter=Q(status__in=any_of(WITH_TEAM), due_on__lt=arg.slot("today"))
        ),
        "fulfilled": Count("status", filter=Q(status=arg(ActionStatus.FULFILLED))),
        "waiting": Count(
            "status",
            filter=Q(status__in=any_of((ActionStatus.COMPLETED, ActionStatus.DECISION_PENDING))),
        ),
    }
    if shape.show == "finished":
        figures["finished"] = Count("status", filter=Q(status__in=any_of(sorted(FINISHED))))
    return figures


def _tray_counts(shape: TrayShape, arg):
    """The worktray's figures, team by team (the page adds them up), for a page whose rows
    do not carry them (the finished or all actions listed, or the figures alone). Counting
    the status: the team, status and due date are all in action_team_status_due, so the
    counts come from the index alone. The page's figures are all of unfinished actions, so
    only those are counted (not the years of finished ones: 2.4 ms of PostgreSQL's time
    for a service manager's teams at ten years), unless the page lists the finished ones."""
    actions = _tray_actions(shape, arg)
    figures = _figures(shape, arg)
    if shape.show != "finished":
        actions = actions.filter(status__in=[arg(s) for s in UNFINISHED])
    return actions.order_by().values("team_id").annotate(**figures).values_list(*figures)


def counted(shape: TrayShape) -> bool:
    """Whether the rows carry the figures: when they are of the unfinished actions, the
    actions the figures count."""
    return shape.show == "unfinished" and shape.scope != "figures"


def _named(model, column: str, key: str) -> Subquery:
    """A column of the row `key` refers to, as a scalar subquery by its primary key."""
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(column))


def row_annotations() -> dict:
    """The names a worktray row shows (`display.ROW_COLUMNS`), each a scalar subquery by
    key: PostgreSQL looks them up for the page's rows after sorting and slicing, where a
    join had it hash every case first."""
    return {
        "case_external_id": _named(Case, "external_id", "case_id"),
        "team_name": _named(Team, "name", "team_id"),
        "owner_name": _named(User, "full_name", "owner_id"),
        "worker_name": _named(User, "full_name", "worker_id"),
        "auditor_name": auditor_name_column(),
    }


def _tray_rows(shape: TrayShape, arg, start: int | None = None, stop: int | None = None):
    """The worktray's rows (`display.row_columns`, then the auditor's name and, when
    `counted`, the figures), overdue first, then by due date."""
    from .display import row_columns

    columns = row_columns(teams_named=shape.teams_named)
    actions = _shown(shape, _tray_actions(shape, arg), arg)
    names = row_annotations()
    if shape.teams_named:
        del names["team_name"]
    figures = {}
    if counted(shape):
        # Over every row of the query, before the slice: the same on each row.
        figures = {f"all_{name}": Window(count) for name, count in _figures(shape, arg).items()}
    return (
        actions.annotate(overdue=_overdue(arg.slot("today"), arg), **names, **figures)
        .order_by(*OVERDUE_FIRST)
        .values_list(*columns, "auditor_name", *figures)[start:stop]
    )


@cache
def _tray_query(kind: str, shape: TrayShape, start: int | None = None, stop: int | None = None):
    """The builder `remediation.built_once` keeps for a worktray's query of this shape (and
    this window of rows)."""

    def make(arg):
        if kind == "counts":
            return _tray_counts(shape, arg)
        return _tray_rows(shape, arg, start, stop)

    return make


# Pages of the worktray deeper than this are read as Django builds them (each page's
# window is its own SQL: a bounded number of them are kept).
TRAY_DEPTH = 1_000


class TrayRows:
    """The worktray's rows for `accounts.paging.paginate` to take a page of, its SQL built
    once a process for each shape and page (`remediation.built_once`). When the rows carry
    the figures (`counted`), `read` reads a page's rows and the figures together, and the
    page is kept for the paginator to take."""

    def __init__(self, shape: TrayShape, slots: dict, per_page: int):
        self.shape = shape
        self.slots = slots
        self.per_page = per_page
        self._pages: dict[int, list] = {}  # a full page's window of rows, by its start
        self.figures: dict[str, int] | None = None  # as read with the rows

    def _read(self, start: int, stop: int | None) -> list:
        from .built_once import AsIs, rows_built_once

        if start >= TRAY_DEPTH or stop is None or stop - start > self.per_page:
            rows = list(_tray_rows(self.shape, AsIs(**self.slots), start, stop))
        else:
            # A page's window, whatever the count: the last page is the first rows of a
            # full one.
            make = _tray_query("rows", self.shape, start, start + self.per_page)
            rows = rows_built_once(make, make, **self.slots)
        if not counted(self.shape):
            return rows
        # The figures are of unfinished actions, the rows' (`counted`): `FIGURES`.
        n = len(FIGURES)
        if rows and self.figures is None:
            self.figures = dict(zip(FIGURES, rows[0][-n:], strict=True))
        return [row[:-n] for row in rows]

    def read(self, *, page: int) -> list:
        """The rows of this page (numbered from 1), kept for `__getitem__`."""
        start = (page - 1) * self.per_page
        if start not in self._pages:
            self._pages[start] = self._read(start, start + self.per_page)
        return self._pages[start]

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if start in self._pages and stop is not None and stop - start <= self.per_page:
            return self._pages[start][: stop - start]
        rows = self._read(start, stop)
        return rows if stop is None else rows[: stop - start]

    def count(self) -> int:
        from .built_once import AsIs

        return _shown(self.shape, _tray_actions(self.shape, AsIs(**self.slots)), _same).count()


@dataclass
class Worktray:
    """The actions a person sees, in the order they work them: `rows` for the view to show
    a page of, `actions` the same as a query of actions."""

    shape: TrayShape
    slots: dict
    scope: str
    counts: dict[str, int]
    teams: list[Team] = field(default_factory=list)
    reopened_cases: list[ReopenedCase] = field(default_factory=list)
    read: TrayRows | None = None  # the rows, with the page read already

    @property
    def actions(self) -> QuerySet[RemedialAction]:
        from .built_once import AsIs

        if self.scope == "figures":
            return RemedialAction.objects.none()
        actions = _shown(self.shape, _tray_actions(self.shape, AsIs(**self.slots)), _same)
        return (
            _listed(actions, self.slots["today"])
            .select_related(None)
            .select_related("case", "team", "owner", "worker")
            .only(*LIST_COLUMNS)
            .prefetch_related(*_list_prefetches())
        )

    def rows(self, *, per_page: int):
        """The rows the page shows (none for the figures alone: issue 14)."""
        if self.scope == "figures":
            return []
        if self.read is not None and self.read.per_page == per_page:
            return self.read
        return TrayRows(
            replace(self.shape, teams_named=bool(self.teams)), self.slots, per_page=per_page
        )


def worktray(
    *,
    user: User,
    today: dt.date,
    show: str = "unfinished",
    team_id: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Worktray:
    """A team manager's teams' actions; a service manager's teams' (Bradford 2); a social
    worker's own cases' (SPEC §1); QA staff see every team's. Senior managers see every
    team's figures and no list: they do not open children's actions one by one (issue 14).
    The queries' SQL is built once a process for each shape (`remediation.built_once`).

    The unfinished actions' page `page` (of `per_page`) is read with the figures, in one
    query; when that page has no rows (there are none, or the page is past the last), the
    figures are counted in a query of their own and the paginator reads the page it shows."""
    from .built_once import rows_built_once

    managed = access.managed_team_ids(user)
    overseen = access.overseen_team_ids(user)
    area = None
    if managed:
        scope = "team"
        team_ids = managed
    elif overseen:
        scope = "service"
        team_ids = overseen
        area = access.overseen_area(user)
    elif access.reads_everything(user):
        scope = "all"
        team_ids = None
    elif access.reads_figures(user):
        scope = "figures"
        team_ids = None
    else:
        scope = "worker"
        team_ids = []
    teams = access.teams_by_id(user, team_ids) if team_ids else []
    one_team = bool(team_id and (team_ids is None or team_id in team_ids))
    listed = listed_teams([team_id] if one_team else team_ids) if team_ids else {}
    shape = TrayShape(
        scope, by_area=area is not None, one_team=one_team, show=show, listed=len(listed)
    )
    slots = {"person": user.pk, "area": area, "team": team_id, "today": today, **listed}
    read = None
    counts = None
    if scope != "figures":
        read = TrayRows(replace(shape, teams_named=bool(teams)), slots, per_page=per_page)
        if counted(shape):
            read.read(page=page)
            counts = read.figures
    if counts is None:
        make = _tray_query("counts", shape)
        by_team = rows_built_once(make, make, **slots)
        names = FIGURES + (("finished",) if show == "finished" else ())
        # The list's paginator reuses the count of what it shows ("unfinished", "finished").
        counts = {name: sum(row[i] for row in by_team) for i, name in enumerate(names)}
    reopened = reopened_cases_with_actions(team_ids=managed) if scope == "team" else []
    return Worktray(
        shape=shape,
        slots=slots,
        scope=scope,
        counts=counts,
        teams=teams,
        reopened_cases=reopened,
        read=read,
    )


def auditor_name_column() -> Subquery:
    """The auditor's name of an action's audit, as a column of the worktray's rows: a
    subquery by the audit's key (the worktray's join of seven tables took PostgreSQL longer
    to plan than to run), read with the rows rather than in a query of its own."""
    return Subquery(
        Audit.objects.filter(pk=OuterRef("audit_id"))
        .order_by()
        .values("allocation__auditor__full_name")[:1]
    )
