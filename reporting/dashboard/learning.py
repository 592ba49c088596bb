"""Learning (SPEC §10; Bradford 4, Hillingdon 2.15): how often each learning theme was
tagged, month by month over twelve months and in the period; how many audits recorded
strengths and learning; and the learning log itself, the statements, as a drill-down list
filterable by theme and words (Hillingdon 2.15).

The audits are the finished audits allocated in each month (thematic re-audits too), a
paired case once. Two GROUP BY queries.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from audits import lifecycle
from audits.models import Audit

from .filters import Filters, list_href
from .scope import ReaderScope
from .tables import Chart, Column, Figure, Section, Table


def finished_audits(*, scope: ReaderScope, filters: Filters, months=None):
    """Finished audits of the months in the reader's scope and filters, each case once."""
    prefix = "allocation__case__"
    return (
        Audit.objects.filter(
            allocation__period__in=list(months or filters.months),
            status__in=list(lifecycle.FINISHED),
        )
        .filter(Q(allocation__pair_group__isnull=True) | Q(consensus__isnull=False))
        .filter(scope.case_q(prefix), filters.case_q(prefix))
    )


def learning_section(*, scope: ReaderScope, filters: Filters) -> Section:
    months = filters.months[-12:] if len(filters.months) > 1 else filters.trend_months[-3:]
    span = sorted(set(months) | set(filters.months))
    audits = finished_audits(scope=scope, filters=filters, months=filters.months)
    prefix = "audit__allocation__case__"
    tags = (
        Audit.themes.through.objects.filter(
            audit__allocation__period__in=span,
            audit__status__in=list(lifecycle.FINISHED),
        )
        .filter(
            Q(audit__allocation__pair_group__isnull=True) | Q(audit__consensus__isnull=False),
            scope.case_q(prefix),
            filters.case_q(prefix),
        )
        .values_list("audit__allocation__period", "themetag_id", "themetag__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_theme: dict[tuple[int, str], dict] = defaultdict(lambda: defaultdict(int))
    for period, theme_id, name, n in tags:
        by_theme[(theme_id, name)][period] += n
    recorded = {
        r["allocation__period"]: r
        for r in audits.values("allocation__period")
        .annotate(
            audits=Count("id"),
            strengths=Count("id", filter=~Q(strengths="")),
            learning=Count("id", filter=~Q(learning="")),
        )
        .order_by()
    }
    in_period = set(filters.months)
    section = Section(
        key="learning",
        title="Learning",
        intro=(
            "The learning themes auditors tagged, and the strengths and learning they wrote "
            "(Bradford 4, Hillingdon 2.15). The learning log lists the statements themselves."
        ),
    )
    themes = Table(
        key="learning-themes",
        caption="Learning themes tagged, by month",
        note="A month's view shows the two months before it as well, for comparison.",
        columns=[
            Column("theme", "Theme", "text"),
            *[Column(f"{m:%Y-%m}", f"{m:%b %Y}") for m in months],
            Column("period", f"In {filters.label}"),
        ],
    )
    ordered = sorted(
        by_theme.items(),
        key=lambda item: (-sum(n for m, n in item[1].items() if m in in_period), item[0][1]),
    )
    for (theme_id, name), counts in ordered:
        total = sum(n for m, n in counts.items() if m in in_period)
        themes.add(
            [name, *[counts.get(m, 0) for m in months], total],
            [
                None,
                *[
                    list_href("learning", filters, theme=theme_id, in_month=f"{m:%Y-%m}")
                    if counts.get(m)
                    else None
                    for m in months
                ],
                list_href("learning", filters, theme=theme_id),
            ],
        )
    written = Table(
        key="learning-recorded",
        caption="Audits recording strengths and learning, by month",
        columns=[
            Column("month", "Month", "text"),
            Column("audits", "Finished audits"),
            Column("strengths", "With strengths"),
            Column("learning", "With learning"),
        ],
    )
    totals = {"audits": 0, "strengths": 0, "learning": 0}
    for month in filters.months:
        row = recorded.get(month, {"audits": 0, "strengths": 0, "learning": 0})
        for key in totals:
            totals[key] += row[key]
        in_month = f"{month:%Y-%m}"
        written.add(
            [f"{month:%B %Y}", row["audits"], row["strengths"], row["learning"]],
            [
                None,
                None,
                list_href("learning", filters, written="strengths", in_month=in_month),
                list_href("learning", filters, written="learning", in_month=in_month),
            ],
        )
    section.figures = [
        Figure("Finished audits", totals["audits"]),
        Figure(
            "With strengths recorded",
            totals["strengths"],
            href=list_href("learning", filters, written="strengths"),
        ),
        Figure(
            "With learning recorded",
            totals["learning"],
            href=list_href("learning", filters, written="learning"),
        ),
    ]
    section.tables = [themes, written]
    section.charts = [
        Chart(
            kind="bar",
            table="learning-themes",
            title=f"Learning themes tagged in {filters.label}",
            description="A bar for each learning theme: how many audits in the period tagged "
            "it, most often tagged first. The table below gives the same numbers month by "
            "month.",
            category="theme",
            series=["period"],
        )
    ]
    return section
