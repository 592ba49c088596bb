"""Completion of the month's audits (SPEC §6, §10; P&Q 28, Hillingdon 2.16, Bradford 4):
allocated, and of those not started, in progress, submitted, done on time, done late, overdue
and exempted, by month, service area, team and auditor; and the auditors who did not finish
on time in more than one month.

Each allocation (confirmed or exempted) of the period is in exactly one state, as of `today`:

- exempted: an agreed exemption (P&Q 4-5); the case went to someone else, whose allocation
  counts in its own right;
- done on time / done late: finished (reached the team manager) on or before its deadline,
  or after it (P&Q 30: an overdue audit still has to be done);
- submitted: the auditor has submitted it, and it waits for a QA check, an amendment or a
  consensus;
- overdue: not submitted and past its deadline;
- in progress / not started: not yet due.

Aggregated in the database: one GROUP BY query for each table, whatever the number of
audits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Count, F, Q, Sum, Window

from accounts.selectors import policy_get
from audits.models import Allocation, AllocationStatus

from ..models import CompletionSummary, TeamCompletionSummary
from .filters import Filters, list_href
from .scope import ReaderScope
from .tables import Chart, Column, Figure, Section, Table, percent

STATES: tuple[tuple[str, str], ...] = (
    ("on_time", "Done on time"),
    ("late", "Done late"),
    ("submitted", "Submitted, not finished"),
    ("in_progress", "In progress"),
    ("not_started", "Not started"),
    ("overdue", "Overdue"),
    ("exempted", "Exempted"),
)
STATE_LABELS = dict(STATES)
SCREEN_ROWS = 25  # the longest tables show this many rows; the downloads have them all


def state_q(today: dt.date) -> dict[str, Q]:
    """The filter for each state, as of `today` (see the module's docstring)."""
    allocated = Q(status=AllocationStatus.ALLOCATED)
    done = allocated & Q(completed_at__isnull=False)
    not_done = allocated & Q(completed_at__isnull=True)
    submitted = Q(audit__submitted_at__isnull=False)
    not_submitted = Q(audit__submitted_at__isnull=True)
    past = Q(deadline__lt=today)
    not_due = Q(deadline__isnull=True) | Q(deadline__gte=today)
    return {
        "on_time": done & (Q(deadline__isnull=True) | Q(completed_at__date__lte=F("deadline"))),
        "late": done & Q(completed_at__date__gt=F("deadline")),
        "submitted": not_done & submitted,
        "in_progress": not_done & not_submitted & not_due & Q(started_at__isnull=False),
        "not_started": not_done & not_submitted & not_due & Q(started_at__isnull=True),
        "overdue": not_done & not_submitted & past,
        "exempted": Q(status=AllocationStatus.EXEMPTED),
    }


def not_on_time_q(today: dt.date) -> Q:
    states = state_q(today)
    return states["overdue"] | states["late"]


def whole_allocations(months):
    """The months' confirmed and exempted allocations."""
    return Allocation.objects.filter(
        period__in=list(months),
        status__in=[AllocationStatus.ALLOCATED, AllocationStatus.EXEMPTED],
    )


def allocations(*, scope: ReaderScope, filters: Filters, months=None):
    """The period's confirmed and exempted allocations of the cases the reader may see."""
    return (
        whole_allocations(months or filters.months)
        .filter(scope.case_q("case__"))
        .filter(filters.case_q("case__"))
    )


def counts_of(today: dt.date) -> dict:
    return {"total": Count("id"), **{k: Count("id", filter=q) for k, q in state_q(today).items()}}


SUMMED = {"total": Sum("total"), **{k: Sum(k) for k in STATE_LABELS}}


def _read(*, scope: ReaderScope, filters: Filters, today: dt.date, summary: Collection, full: bool):
    """By month, by the case's team, and by auditor (the `SCREEN_ROWS` most overdue unless
    `full`, with how many auditors there are): from the summary when every month of the
    period is in it, else live. Rows keyed "period", "team", "auditor", "name"."""
    if filters.months and all(m in summary for m in filters.months):
        months = list(filters.months)
        on = scope.case_q("") & filters.case_q("")
        base = CompletionSummary.objects.filter(month__in=months).filter(on)
        by_team_base = TeamCompletionSummary.objects.filter(month__in=months).filter(on)
        keys = {"period": "month", "team": "team_id", "auditor": "auditor_id"}
        counts = SUMMED
    else:
        base = by_team_base = allocations(scope=scope, filters=filters)
        keys = {"period": "period", "team": "case__team_id", "auditor": "auditor_id"}
        counts = counts_of(today)

    def zeroed(r: dict) -> dict:
        return {k: (v or 0) if k in counts else v for k, v in r.items()}

    by_month: dict = {}
    teams: dict = {}
    if counts is SUMMED:
        # The summary by team and month is small: a GROUP BY for each table (a national
        # year: 1,500 and 12 rows) costs less than adding its 18,000 rows up here.
        for r in by_team_base.values("team_id").annotate(**counts).order_by():
            teams[r["team_id"]] = {k: r[k] or 0 for k in SUMMED}
        for r in by_team_base.values("month").annotate(**counts).order_by():
            by_month[r["month"]] = {k: r[k] or 0 for k in SUMMED}
    else:
        # One pass over the allocations by team and month; the tables add it up.
        for r in by_team_base.values(keys["team"], keys["period"]).annotate(**counts).order_by():
            r = zeroed(r)
            for into, key in ((by_month, r[keys["period"]]), (teams, r[keys["team"]])):
                row = into.setdefault(key, _empty())
                for k in row:
                    row[k] += r[k]
    by_team = [{**row, "team": team} for team, row in teams.items()]
    auditors = base.values(keys["auditor"], "auditor__full_name").annotate(**counts)
    if full:
        by_auditor = [{**r, "auditor": r[keys["auditor"]]} for r in auditors.order_by()]
        by_auditor.sort(key=lambda r: (-r["overdue"], -r["late"], r["auditor__full_name"]))
        return by_month, by_team, by_auditor, len(by_auditor)
    if counts is SUMMED and (worst := _worst_auditors(base)) is not None:
        return by_month, by_team, *worst
    # The rows the screen shows, each with how many auditors there are in all.
    shown = auditors.annotate(auditors=Window(Count("*"))).order_by(
        "-overdue", "-late", "auditor__full_name", keys["auditor"]
    )
    by_auditor = [{**zeroed(r), "auditor": r[keys["auditor"]]} for r in shown[:SCREEN_ROWS]]
    return by_month, by_team, by_auditor, (by_auditor[0]["auditors"] if by_auditor else 0)


def _worst_auditors(base) -> tuple[list[dict], int] | None:
    """From the summary: the `SCREEN_ROWS` auditors with the most overdue (then late) audits,
    and how many auditors there are, in three small queries rather than adding up every
    auditor's every month (a national year: 270,000 rows). An auditor with no late or
    overdue audit has noughts there and comes after every auditor with one, so when there
    are enough of those, their rows (a partial index) decide who is shown. None when there
    are not enough."""
    order = ("-overdue", "-late", "auditor__full_name", "auditor_id")
    worst = list(
        base.filter(Q(overdue__gt=0) | Q(late__gt=0))
        .values("auditor_id", "auditor__full_name")
        .annotate(overdue=Sum("overdue"), late=Sum("late"))
        .order_by(*order)[:SCREEN_ROWS]
    )
    if len(worst) < SCREEN_ROWS:
        return None
    ids = [r["auditor_id"] for r in worst]
    mine = Q(auditor_id__in=[i for i in ids if i is not None])
    if None in ids:
        mine |= Q(auditor_id__isnull=True)
    sums = {
        r["auditor_id"]: r
        for r in base.filter(mine)
        .values("auditor_id", "auditor__full_name")
        .annotate(**SUMMED)
        .order_by()
    }
    rows = [{**sums[i], "auditor": i} for i in ids]
    return rows, base.values("auditor_id").distinct().count()


COLUMNS = [Column("allocated", "Allocated")] + [Column(k, label) for k, label in STATES]


def _row(counts: dict) -> list:
    due = counts["total"] - counts["exempted"]
    return [counts["total"], *[counts[k] for k, _ in STATES], percent(counts["on_time"], due)]


def _links(filters: Filters, **extra) -> list[str | None]:
    return [list_href("allocations", filters, **extra)] + [
        list_href("allocations", filters, state=k, **extra) for k, _ in STATES
    ]


def _table(key: str, caption: str, first: Column, screen_rows: int | None = None) -> Table:
    return Table(
        key=key,
        caption=caption,
        columns=[first, *COLUMNS, Column("on_time_share", "Done on time (%)", "percent")],
        screen_rows=screen_rows,
    )


def _empty() -> dict:
    return {"total": 0, **dict.fromkeys(STATE_LABELS, 0)}


def completion_section(
    *,
    scope: ReaderScope,
    filters: Filters,
    today: dt.date,
    summary: Collection = frozenset(),
    full: bool = True,
) -> Section:
    """Counted live: three GROUP BY queries (by team and month; by auditor, with how many
    there are; the repeated non-completion) and the policy: four queries. From the summary:
    by team, by month, the auditors shown, their sums and how many there are, the repeated
    non-completion and the policy: seven. One more when the repeated non-completion reads
    both the summary and live months."""
    by_month, by_team, by_auditor, auditor_count = _read(
        scope=scope, filters=filters, today=today, summary=summary, full=full
    )
    section = Section(
        key="completion",
        title="Completion of audits",
        intro=(
            "Every audit allocated in the period and where it stands today. An overdue audit "
            "still has to be done (P&Q 30); an exempted one went to another auditor."
        ),
    )
    totals = _empty()
    month_table = _table("completion-by-month", "Audits by month", Column("month", "Month", "text"))
    for month in filters.months:
        row = by_month.get(month, _empty())
        for key in totals:
            totals[key] += row[key]
        links = [None, *_links(filters, in_month=f"{month:%Y-%m}"), None]
        month_table.add([f"{month:%B %Y}", *_row(row)], links)
    if len(filters.months) > 1:
        month_table.add(["All months", *_row(totals)], [None, *_links(filters), None])

    areas: dict[int | None, dict] = {}
    names = filters.team_area()
    team_table = _table(
        "completion-by-team",
        "Audits by the case's team",
        Column("team", "Team", "text"),
        SCREEN_ROWS,
    )

    def team_name(row: dict) -> str:
        team = names.get(row["team"])
        return team.name if team else "~"

    for index, row in enumerate(sorted(by_team, key=team_name)):
        team_id = row["team"]
        team = names.get(team_id)
        area = areas.setdefault(team.area_id if team else None, _empty())
        for key in area:
            area[key] += row[key]
        # Links for the rows the screen shows; the downloads carry every row, unlinked.
        shown = team and index < SCREEN_ROWS
        links = [None, *_links(filters, team=team_id), None] if shown else None
        team_table.add([team.name if team else "No team", *_row(row)], links)
    area_names = dict(filters.areas())
    area_table = _table(
        "completion-by-area", "Audits by service area", Column("area", "Service area", "text")
    )
    for area_id, row in sorted(areas.items(), key=lambda i: area_names.get(i[0], "~")):
        links = [None, *_links(filters, area=area_id), None] if area_id else None
        area_table.add([area_names.get(area_id, "No service area"), *_row(row)], links)

    auditor_table = _table(
        "completion-by-auditor",
        "Audits by auditor, most overdue first",
        Column("auditor", "Auditor", "text"),
        SCREEN_ROWS,
    )
    for index, row in enumerate(by_auditor):
        shown = index < SCREEN_ROWS
        links = [None, *_links(filters, auditor=row["auditor"]), None] if shown else None
        auditor_table.add([row["auditor__full_name"], *_row(row)], links)
    auditor_table.total_rows = auditor_count

    repeated = repeated_non_completion(scope=scope, filters=filters, today=today, summary=summary)
    due = totals["total"] - totals["exempted"]
    section.figures = [
        Figure("Audits allocated", totals["total"], href=list_href("allocations", filters)),
        Figure(
            "Done on time",
            totals["on_time"],
            href=list_href("allocations", filters, state="on_time"),
            note=f"{percent(totals['on_time'], due) or 0:.0f}% of those not exempted",
        ),
        Figure(
            "Overdue", totals["overdue"], href=list_href("allocations", filters, state="overdue")
        ),
        Figure(
            "Exempted", totals["exempted"], href=list_href("allocations", filters, state="exempted")
        ),
        Figure(
            "Auditors not finishing on time in more than one month",
            len(repeated.rows),
            href=list_href("allocations", filters, state="not_on_time", twelve_months=1),
            note="in the twelve months to the end of the period",
        ),
    ]
    section.tables = [month_table, area_table, team_table, auditor_table, repeated]
    series = [k for k, _ in STATES]
    section.charts = [
        Chart(
            kind="stacked",
            table="completion-by-month",
            title=f"Audits by month and where they stand, {filters.description}",
            description="Each bar is a month's allocated audits, divided by where each stands "
            "today: done on time, done late, submitted, in progress, not started, overdue, "
            "exempted. The table below gives the same numbers.",
            category="month",
            series=series,
        ),
        Chart(
            kind="stacked",
            table="completion-by-area",
            title=f"Audits by service area and where they stand, {filters.description}",
            description="Each bar is a service area's allocated audits, divided by where each "
            "stands today. The table below gives the same numbers.",
            category="area",
            series=series,
        ),
    ]
    return section


def repeated_non_completion(
    *, scope: ReaderScope, filters: Filters, today: dt.date, summary: Collection = frozenset()
) -> Table:
    """Auditors whose audits were not finished on time (overdue now, or done late) in at
    least the policy's number of months (its escalation threshold) of the twelve months
    ending with the period: the repeated non-completion Hillingdon 2.16 takes to the next
    tier of management and P&Q 28 reports. The policy, and a query for the live months and
    one for the summarised ones (whichever there are)."""
    threshold = max(2, policy_get().overdue_escalation_months)
    stored = [m for m in filters.trend_months if m in summary]
    live = [m for m in filters.trend_months if m not in summary]
    found: dict[int, list] = {}  # auditor: [name, months, audits]
    if live:
        rows = (
            allocations(scope=scope, filters=filters, months=live)
            .filter(not_on_time_q(today))
            .values("auditor_id", "auditor__full_name")
            .annotate(months=Count("period", distinct=True), audits=Count("id"))
            .order_by()
        )
        if not stored:
            rows = rows.filter(months__gte=threshold)
        for r in rows:
            found[r["auditor_id"]] = [r["auditor__full_name"], r["months"], r["audits"]]
    if stored:
        # The months are apart, so an auditor's months add up; one with fewer than the
        # threshold less the live months in the summary qualifies only through the live ones.
        enough = Q(months__gte=max(1, threshold - len(live)))
        if found:
            enough |= Q(auditor_id__in=sorted(found))
        rows = (
            CompletionSummary.objects.filter(month__in=stored)
            .filter(scope.case_q("") & filters.case_q(""))
            .filter(Q(overdue__gt=0) | Q(late__gt=0))
            .values("auditor_id", "auditor__full_name")
            .annotate(months=Count("month", distinct=True), audits=Sum(F("overdue") + F("late")))
            .filter(enough)
            .order_by()
        )
        for r in rows:
            mine = found.setdefault(r["auditor_id"], [r["auditor__full_name"], 0, 0])
            mine[1] += r["months"]
            mine[2] += r["audits"]
    qualifying = sorted(
        ((auditor, *row) for auditor, row in found.items() if row[1] >= threshold),
        key=lambda r: (-r[2], -r[3], r[1]),
    )
    table = Table(
        key="repeated-non-completion",
        caption="Auditors not finishing on time in more than one month",
        columns=[
            Column("auditor", "Auditor", "text"),
            Column("months", "Months not finished on time"),
            Column("audits", "Audits not finished on time"),
        ],
        screen_rows=SCREEN_ROWS,
        note=(
            f"Auditors with an audit overdue or done late in {threshold} or more of the twelve "
            f"months to {filters.last_month:%B %Y} (Hillingdon 2.16, P&Q 28)."
        ),
    )
    for auditor, name, months, audits in qualifying:
        href = list_href(
            "allocations", filters, state="not_on_time", auditor=auditor, twelve_months=1
        )
        table.add([name, months, audits], [None, None, href])
    return table
