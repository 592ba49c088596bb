"""Safeguarding and inadequate audits (SPEC §7, §10; Bury 9.1, P&Q 14, 25-26, Hillingdon
2.10): the safeguarding concerns raised in the period, by month and service area; the
inadequate pathways open today and how long they have been open; the re-audits due and
overdue. Two GROUP BY queries, and one over the summary of closed months when the period
has any: a closed month's concerns, pathways started and pathways resolved are read from
`SafeguardingSummary` (`dashboard.summary`), and only the pathways open today and the other
months' are counted live.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth

from audits.models import InadequatePathway, PathwayStatus, SafeguardingConcern

from ..models import SafeguardingSummary
from .filters import Filters, list_href, month_end
from .scope import ReaderScope
from .tables import Chart, Column, Figure, Section, Table

BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    # (key, label, from days, to days)
    ("under_4", "Open under 4 weeks", 0, 28),
    ("4_to_8", "4 to 8 weeks", 28, 56),
    ("8_to_12", "8 to 12 weeks", 56, 84),
    ("over_12", "Over 12 weeks", 84, None),
)


def concerns(*, scope: ReaderScope, filters: Filters):
    prefix = "audit__allocation__case__"
    return SafeguardingConcern.objects.filter(
        raised_at__date__gte=filters.start, raised_at__date__lte=filters.end
    ).filter(scope.case_q(prefix), filters.case_q(prefix))


def pathways(*, scope: ReaderScope, filters: Filters):
    return InadequatePathway.objects.filter(scope.case_q("case__"), filters.case_q("case__"))


def pathway_q(today: dt.date, filters: Filters) -> dict[str, Q]:
    """The filter for each pathway count, as of `today`."""
    open_ = Q(status=PathwayStatus.OPEN)
    states = {
        "started": Q(graded_on__gte=filters.start, graded_on__lte=filters.end),
        "resolved": Q(resolved_on__gte=filters.start, resolved_on__lte=filters.end),
        "open": open_,
    }
    for key, _, low, high in BANDS:
        q = open_ & Q(graded_on__lte=today - dt.timedelta(days=low))
        if high is not None:
            q &= Q(graded_on__gt=today - dt.timedelta(days=high))
        states[key] = q
    not_done = Q(reaudit_allocation__isnull=True) | Q(reaudit_allocation__completed_at__isnull=True)
    states["reaudits_due"] = (
        open_ & not_done & Q(reaudit_due__gte=today, reaudit_due__lte=today + dt.timedelta(days=31))
    )
    states["reaudits_overdue"] = open_ & not_done & Q(reaudit_due__lt=today)
    states["reaudits_unallocated"] = open_ & Q(reaudit_allocation__isnull=True)
    return states


PATHWAY_COLUMNS = [
    Column("started", "Pathways started in the period"),
    Column("open", "Open today"),
    *[Column(key, label) for key, label, _, _ in BANDS],
    Column("reaudits_due", "Re-audits due in the next 31 days"),
    Column("reaudits_overdue", "Re-audits overdue"),
    Column("reaudits_unallocated", "Re-audits not yet allocated"),
    Column("resolved", "No longer inadequate, in the period"),
    Column("longest", "Longest open (days)", "days"),
]


def _in_months(field: str, months: list[dt.date]) -> Q | None:
    """`field` (a date) in one of these months: a range for each month."""
    q = None
    for month in months:
        one = Q(**{f"{field}__gte": month, f"{field}__lte": month_end(month)})
        q = one if q is None else q | one
    return q


def month_counts(month: dt.date) -> dict[tuple, dict[str, int]]:
    """One month's concerns raised, pathways started and pathways resolved by the case's
    team and type: what `SafeguardingSummary` keeps of a closed month (three queries)."""
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
    prefix = "audit__allocation__case__"
    raised = SafeguardingConcern.objects.filter(
        raised_at__date__gte=month, raised_at__date__lte=month_end(month)
    )
    for team, case_type, n in (
        raised.values_list(f"{prefix}team_id", f"{prefix}case_type")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(team, case_type or "")]["concerns"] += n
    for key, field in (("started", "graded_on"), ("resolved", "resolved_on")):
        for team, case_type, n in (
            InadequatePathway.objects.filter(_in_months(field, [month]))
            .values_list("case__team_id", "case__case_type")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[(team, case_type or "")][key] += n
    return counts


COUNTED = ("concerns", "started", "resolved")


def safeguarding_section(
    *, scope: ReaderScope, filters: Filters, today: dt.date, summary: Collection = frozenset()
) -> Section:
    stored = [m for m in filters.months if m in summary]
    live = [m for m in filters.months if m not in summary]
    by_month: dict[dt.date, int] = defaultdict(int)
    by_area: dict[int | None, int] = defaultdict(int)
    if live:
        raised = (
            concerns(scope=scope, filters=filters)
            .filter(_in_months("raised_at__date", live))
            .annotate(month=TruncMonth("raised_at"))
            .values_list("month", "audit__allocation__case__team__service_area_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for month, area_id, n in raised:
            day = month.date() if isinstance(month, dt.datetime) else month
            by_month[day] += n
            by_area[area_id] += n
    states = pathway_q(today, filters)
    # Pathways started and resolved in the period: in its live months here, in its closed
    # months from the summary.
    counted_live = Q(status=PathwayStatus.OPEN)
    for key, field in (("started", "graded_on"), ("resolved", "resolved_on")):
        del states[key]
        if live:
            states[key] = _in_months(field, live)
            counted_live |= states[key]
    counts = {key: Count("id", filter=q) for key, q in states.items()}
    base = pathways(scope=scope, filters=filters).filter(counted_live)
    rows = {
        r["case__team__service_area_id"]: r
        for r in base.values("case__team__service_area_id")
        .annotate(oldest=Min("graded_on", filter=Q(status=PathwayStatus.OPEN)), **counts)
        .order_by()
    }
    if stored:
        kept = (
            SafeguardingSummary.objects.filter(month__in=stored)
            .filter(scope.case_q("") & filters.case_q(""))
            .values_list("month", "team__service_area_id")
            .annotate(*[Sum(key) for key in COUNTED])
            .order_by()
        )
        for month, area_id, raised_n, started, resolved in kept:
            by_month[month] += raised_n
            by_area[area_id] += raised_n
            row = rows.setdefault(area_id, {})
            row["started"] = row.get("started", 0) + started
            row["resolved"] = row.get("resolved", 0) + resolved
    section = Section(
        key="safeguarding",
        title="Safeguarding and inadequate audits",
        intro=(
            "Safeguarding concerns go to the team manager, service manager and strategic lead "
            "at once (Bury 9.1). An inadequate audit starts a pathway: a meeting, a review after "
            "four weeks and a re-audit within the policy's months, until the case is no longer "
            "inadequate (P&Q 25-26)."
        ),
    )
    concern_table = Table(
        key="safeguarding-concerns",
        caption="Safeguarding concerns raised, by month",
        columns=[Column("month", "Month", "text"), Column("concerns", "Concerns raised")],
    )
    for month in filters.months:
        concern_table.add(
            [f"{month:%B %Y}", by_month.get(month, 0)],
            [None, list_href("concerns", filters, in_month=f"{month:%Y-%m}")],
        )
    area_names = dict(filters.areas())
    pathway_table = Table(
        key="safeguarding-pathways",
        caption="Safeguarding concerns and inadequate pathways by service area",
        columns=[
            Column("area", "Service area", "text"),
            Column("concerns", "Concerns raised"),
            *PATHWAY_COLUMNS,
        ],
    )
    totals: dict[str, int] = defaultdict(int)
    oldest: dt.date | None = None
    for area_id in sorted(set(rows) | set(by_area), key=lambda a: area_names.get(a, "~")):
        row = rows.get(area_id, {})
        if row.get("oldest") and (oldest is None or row["oldest"] < oldest):
            oldest = row["oldest"]
        values = [by_area.get(area_id, 0)] + [row.get(c.key, 0) for c in PATHWAY_COLUMNS[:-1]]
        values.append((today - row["oldest"]).days if row.get("oldest") else None)
        keys = ["concerns", *[c.key for c in PATHWAY_COLUMNS]]
        for column, value in zip(keys, values, strict=True):
            if column != "longest":
                totals[column] += value or 0
        extra = {"area": area_id} if area_id else {}
        links = (
            [None, list_href("concerns", filters, **extra)]
            + [list_href("pathways", filters, state=c.key, **extra) for c in PATHWAY_COLUMNS[:-1]]
            + [None]
        )
        name = area_names.get(area_id, "No service area")
        pathway_table.add([name, *values], links if area_id else None)
    section.figures = [
        Figure(
            "Safeguarding concerns raised",
            totals["concerns"],
            href=list_href("concerns", filters),
        ),
        Figure(
            "Inadequate pathways open today",
            totals["open"],
            href=list_href("pathways", filters, state="open"),
            note=f"the longest open for {(today - oldest).days} days" if oldest else "",
        ),
        Figure(
            "Re-audits overdue",
            totals["reaudits_overdue"],
            href=list_href("pathways", filters, state="reaudits_overdue"),
        ),
        Figure(
            "Re-audits due in the next 31 days",
            totals["reaudits_due"],
            href=list_href("pathways", filters, state="reaudits_due"),
        ),
    ]
    section.tables = [concern_table, pathway_table]
    section.charts = [
        Chart(
            kind="stacked",
            table="safeguarding-pathways",
            title="Inadequate pathways open today by service area and how long they have been open",
            description="Each bar is a service area's open inadequate pathways, divided by how "
            "long each has been open: under 4 weeks, 4 to 8, 8 to 12, over 12 weeks. The table "
            "below gives the same numbers.",
            category="area",
            series=[key for key, _, _, _ in BANDS],
        )
    ]
    return section
