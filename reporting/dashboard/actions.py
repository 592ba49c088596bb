"""Remedial actions (SPEC §8, §10; Bury 9-10, Bradford 2, P&Q 27): the actions raised in the
period and where each stands today (open, fulfilled, completed, authorised, a Management
Decision waiting or closed by one, overdue), by month, service area and team; and the time
taken to do them against the policy's deadline (Bury 9.3, Leeds 7.4).

An action is placed by its own team, which follows the case (Bury 9.2); overdue means still
with the team (open or fulfilled but not signed off) after its due date, as remediation
counts it. One GROUP BY query (by team and month), whatever the number of actions, and
two over the summary of closed months: there a month's finished actions are read from
`ActionSummary` (`dashboard.summary`) and only its others are counted, by a partial index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth

from remediation.models import FINISHED, WITH_TEAM, ActionStatus, RemedialAction

from ..models import ActionSummary
from .filters import Filters, list_href, month_end
from .scope import ReaderScope
from .tables import Chart, Column, Figure, Section, Table

STATES: tuple[tuple[str, str], ...] = (
    ("open", "Open"),
    ("fulfilled", "Fulfilled"),
    ("completed", "Completed"),
    ("authorised", "Authorised"),
    ("decision_pending", "Management Decision waiting"),
    ("closed_by_decision", "Closed by Management Decision"),
)
STATE_LABELS = dict(STATES)
EXTRA = {
    "overdue": "Overdue",
    "on_time": "Done on time",
    "late": "Done late",
    "unfinished": "Not finished",
}


def state_q(today: dt.date) -> dict[str, Q]:
    states = {key: Q(status=key) for key, _ in STATES}
    states["overdue"] = Q(status__in=list(WITH_TEAM), due_on__lt=today)
    states["on_time"] = Q(fulfilled_on__isnull=False, fulfilled_on__lte=F("due_on"))
    states["late"] = Q(fulfilled_on__isnull=False, fulfilled_on__gt=F("due_on"))
    states["unfinished"] = ~Q(status__in=[ActionStatus.AUTHORISED, ActionStatus.CLOSED_BY_DECISION])
    return states


def actions(*, scope: ReaderScope, filters: Filters):
    """The actions raised in the period that the reader may see."""
    qs = RemedialAction.objects.filter(
        created_on__gte=filters.start, created_on__lte=filters.end
    ).filter(scope.team_q("team_id"), filters.team_q("team"))
    if filters.case_type:
        qs = qs.filter(case__case_type=filters.case_type)
    return qs


# The finished states, in one order: the partial index on the other actions names them so.
FINISHED_STATES = sorted(s.value for s in FINISHED)


def _days_sums() -> dict:
    days = DurationField()
    return {
        "taken": Sum(
            ExpressionWrapper(F("fulfilled_on") - F("received_on"), output_field=days),
            filter=Q(fulfilled_on__isnull=False),
        ),
        "allowed": Sum(
            ExpressionWrapper(F("due_on") - F("received_on"), output_field=days),
            filter=Q(fulfilled_on__isnull=False),
        ),
    }


def _aggregates(today: dt.date) -> dict:
    return {
        "raised": Count("id"),
        **{key: Count("id", filter=q) for key, q in state_q(today).items()},
        **_days_sums(),
    }


def summary_aggregates() -> dict:
    """What `ActionSummary` keeps of finished actions (their other states are all nought)."""
    states = state_q(dt.date.min)
    keys = ("authorised", "closed_by_decision", "on_time", "late")
    return {
        "raised": Count("id"),
        **{k: Count("id", filter=states[k]) for k in keys},
        **_days_sums(),
    }


def finished_actions(month: dt.date, *, built_on: dt.date):
    """The actions raised in `month` that were finished before `built_on`: what the summary
    of that month holds (an action finished before `closed_on` was kept counts as before)."""
    return RemedialAction.objects.filter(
        created_on__gte=month, created_on__lte=month_end(month), status__in=FINISHED_STATES
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__lt=built_on))


def _counted_live(filters: Filters, summary: Collection) -> Q:
    """Which of the period's actions are counted: all those of a month without a summary,
    and of a summarised month those its summary does not hold (still moving, or finished on
    or after the day it was built). Runs of months alike make one range each."""
    built_on = getattr(summary, "built_on", {})
    runs: list[list] = []  # [first month, last month, built_on or None]
    for month in filters.months:
        kind = built_on.get(month) if month in summary else None
        if runs and runs[-1][2] == kind and month_end(runs[-1][1]) + dt.timedelta(1) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month, kind])
    q = Q(pk__in=[])
    for first, last, kind in runs:
        in_run = Q(created_on__gte=first, created_on__lte=month_end(last))
        if kind is not None:
            in_run &= ~Q(status__in=FINISHED_STATES) | Q(closed_on__gte=kind)
        q |= in_run
    return q


def as_days(total) -> float | None:
    """A sum of days as a number (PostgreSQL gives an interval, the summary a number)."""
    if isinstance(total, dt.timedelta):
        return total.total_seconds() / 86400
    return total


def _days(total, count: int) -> float | None:
    if not count or total is None:
        return None
    return round(as_days(total) / count, 1)


COLUMNS = [
    Column("raised", "Raised"),
    *[Column(key, label) for key, label in STATES],
    Column("overdue", "Overdue"),
    Column("on_time", "Done on time"),
    Column("late", "Done late"),
    Column("days_taken", "Average days to do", "days"),
    Column("days_allowed", "Average days allowed", "days"),
]
LINKED = ["raised", *STATE_LABELS, "overdue", "on_time", "late"]


def _row(r: dict) -> list:
    done = r["on_time"] + r["late"]
    return [
        r["raised"],
        *[r[key] for key, _ in STATES],
        r["overdue"],
        r["on_time"],
        r["late"],
        _days(r["taken"], done),
        _days(r["allowed"], done),
    ]


def _links(filters: Filters, **extra) -> list[str | None]:
    out = []
    for key in LINKED:
        state = None if key == "raised" else key
        out.append(list_href("actions", filters, state=state, **extra))
    return out + [None, None]


def _add(into: dict, row: dict) -> None:
    for key, value in row.items():
        if key not in into or value is None:
            continue
        into[key] = value if into[key] is None else into[key] + value


def actions_section(
    *, scope: ReaderScope, filters: Filters, today: dt.date, summary: Collection = frozenset()
) -> Section:
    # One pass over the period's actions, by team and month; the tables add them up.
    by_team: dict[int, dict] = {}
    by_month: dict[dt.date, dict] = {}

    def count(row: dict, month) -> None:
        month = month.date() if isinstance(month, dt.datetime) else month
        row["taken"], row["allowed"] = as_days(row["taken"]), as_days(row["allowed"])
        _add(by_team.setdefault(row["team_id"], _zero()), row)
        _add(by_month.setdefault(month, _zero()), row)

    base = actions(scope=scope, filters=filters)
    if any(m in summary for m in filters.months):
        base = base.filter(_counted_live(filters, summary))
    for r in (
        base.annotate(month=TruncMonth("created_on"))
        .values("team_id", "month")
        .annotate(**_aggregates(today))
        .order_by()
    ):
        count(r, r.pop("month"))
    stored = [m for m in filters.months if m in summary]
    if stored:
        kept = ActionSummary.objects.filter(month__in=stored).filter(
            scope.team_q("team_id"), filters.team_q("team")
        )
        if filters.case_type:
            kept = kept.filter(case_type=filters.case_type)
        sums = {
            "raised": Sum("raised"),
            "authorised": Sum("authorised"),
            "closed_by_decision": Sum("closed_by_decision"),
            "on_time": Sum("on_time"),
            "late": Sum("late"),
            "taken": Sum("days_taken"),
            "allowed": Sum("days_allowed"),
        }
        # By team, and by month: two small GROUP BYs rather than every team's every month.
        for r in kept.values("team_id").annotate(**sums).order_by():
            _add(by_team.setdefault(r["team_id"], _zero()), r)
        for r in kept.values("month").annotate(**sums).order_by():
            _add(by_month.setdefault(r["month"], _zero()), r)
    section = Section(
        key="actions",
        title="Remedial actions",
        intro=(
            "Actions raised by the period's audits and where each stands today. Overdue: still "
            "with the team after its due date. Done on time: fulfilled by the date the policy "
            "set (Bury 9.3, Leeds 7.4)."
        ),
    )
    first_column = {"month": "Month", "area": "Service area", "team": "Team"}

    def table(key: str, caption: str, first: str, screen_rows: int | None = None) -> Table:
        return Table(
            key=key,
            caption=caption,
            columns=[Column(first, first_column[first], "text"), *COLUMNS],
            screen_rows=screen_rows,
        )

    month_table = table("actions-by-month", "Actions by the month they were raised", "month")
    totals = _zero()
    for month in filters.months:
        row = by_month.get(month) or _zero()
        _add(totals, row)
        links = [None, *_links(filters, in_month=f"{month:%Y-%m}")]
        month_table.add([f"{month:%B %Y}", *_row(row)], links)
    names = filters.team_area()
    area_names = dict(filters.areas())
    areas: dict[int, dict] = {}
    team_table = table("actions-by-team", "Actions by team", "team", 25)

    def team_name(team_id: int) -> str:
        return names[team_id].name if team_id in names else ""

    for index, team_id in enumerate(sorted(by_team, key=lambda t: (team_name(t), t))):
        row = by_team[team_id]
        team = names.get(team_id)
        if team is None:
            continue
        _add(areas.setdefault(team.area_id, _zero()), row)
        links = [None, *_links(filters, team=team.id)] if index < 25 else None
        team_table.add([team.name, *_row(row)], links)
    area_table = table("actions-by-area", "Actions by service area", "area")
    for area_id, row in sorted(areas.items(), key=lambda i: area_names.get(i[0], "")):
        area_table.add(
            [area_names.get(area_id, ""), *_row(row)], [None, *_links(filters, area=area_id)]
        )
    done = totals["on_time"] + totals["late"]
    section.figures = [
        Figure("Actions raised", totals["raised"], href=list_href("actions", filters)),
        Figure(
            "Not finished",
            totals["unfinished"],
            href=list_href("actions", filters, state="unfinished"),
        ),
        Figure("Overdue", totals["overdue"], href=list_href("actions", filters, state="overdue")),
        Figure(
            "Management Decisions waiting",
            totals["decision_pending"],
            href=list_href("actions", filters, state="decision_pending"),
        ),
        Figure(
            "Done on time",
            totals["on_time"],
            href=list_href("actions", filters, state="on_time"),
            note=(
                f"of {done} done; on average in {_days(totals['taken'], done)} days against "
                f"{_days(totals['allowed'], done)} allowed"
                if done
                else "none done yet"
            ),
        ),
    ]
    section.tables = [month_table, area_table, team_table]
    section.charts = [
        Chart(
            kind="stacked",
            table="actions-by-area",
            title=f"Actions by service area and where they stand, {filters.description}",
            description="Each bar is a service area's actions raised in the period, divided by "
            "where each stands today: open, fulfilled, completed, authorised, a Management "
            "Decision waiting, closed by one. The table below gives the same numbers, with "
            "those overdue.",
            category="area",
            series=[key for key, _ in STATES],
        )
    ]
    return section


# The counts each row holds, in `_aggregates`' order.
COUNTS = ("raised", *state_q(dt.date.min))


def _zero() -> dict:
    return {**dict.fromkeys(COUNTS, 0), "taken": None, "allowed": None}
