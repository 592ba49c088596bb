"""Safeguarding and inadequate audits (SPEC §7, §10; Bury 9.1, P&Q 14, 25-26, Hillingdon
2.10): the safeguarding concerns raised in the period, by month and service area; the
inadequate pathways open today and how long they have been open; the re-audits due and
overdue. Two GROUP BY queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth

from audits.models import InadequatePathway, PathwayStatus, SafeguardingConcern

from .filters import Filters, list_href
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


def safeguarding_section(*, scope: ReaderScope, filters: Filters, today: dt.date) -> Section:
    raised = (
        concerns(scope=scope, filters=filters)
        .annotate(month=TruncMonth("raised_at"))
        .values_list("month", "audit__allocation__case__team__service_area_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_month: dict[dt.date, int] = defaultdict(int)
    by_area: dict[int | None, int] = defaultdict(int)
    for month, area_id, n in raised:
        day = month.date() if isinstance(month, dt.datetime) else month
        by_month[day] += n
        by_area[area_id] += n
    counts = {key: Count("id", filter=q) for key, q in pathway_q(today, filters).items()}
    base = pathways(scope=scope, filters=filters).filter(
        Q(status=PathwayStatus.OPEN)
        | Q(graded_on__gte=filters.start, graded_on__lte=filters.end)
        | Q(resolved_on__gte=filters.start, resolved_on__lte=filters.end)
    )
    rows = {
        r["case__team__service_area_id"]: r
        for r in base.values("case__team__service_area_id")
        .annotate(oldest=Min("graded_on", filter=Q(status=PathwayStatus.OPEN)), **counts)
        .order_by()
    }
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
