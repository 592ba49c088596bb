"""Learning (SPEC §10; Bradford 4, Hillingdon 2.15): how often each learning theme was
tagged, month by month over twelve months and in the period; how many audits recorded
strengths and learning; and the learning log itself, the statements, as a drill-down list
filterable by theme and words (Hillingdon 2.15).

The audits are the finished audits allocated in each month (thematic re-audits too), a
paired case once. Two GROUP BY queries, or one over the summary of closed months
(`dashboard.summary`) when every month shown is in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, Q, Sum

from audits import lifecycle
from audits.models import Audit

from ..models import LearningSummary
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


def recorded_counts(months, *keys: str, scope: ReaderScope | None = None, filters=None):
    """The months' finished audits, and those recording strengths and learning, grouped by
    `keys` (one query)."""
    audits = Audit.objects.filter(
        allocation__period__in=list(months), status__in=list(lifecycle.FINISHED)
    ).filter(Q(allocation__pair_group__isnull=True) | Q(consensus__isnull=False))
    if scope is not None:
        prefix = "allocation__case__"
        audits = audits.filter(scope.case_q(prefix), filters.case_q(prefix))
    return (
        audits.values(*keys)
        .annotate(
            audits=Count("id"),
            strengths=Count("id", filter=~Q(strengths="")),
            learning=Count("id", filter=~Q(learning="")),
        )
        .order_by()
    )


def theme_counts(months, *keys: str, scope: ReaderScope | None = None, filters=None):
    """How often each learning theme was tagged on the months' finished audits, grouped by
    `keys` and the theme (one query)."""
    prefix = "audit__allocation__case__"
    tags = Audit.themes.through.objects.filter(
        audit__allocation__period__in=list(months),
        audit__status__in=list(lifecycle.FINISHED),
    ).filter(Q(audit__allocation__pair_group__isnull=True) | Q(audit__consensus__isnull=False))
    if scope is not None:
        tags = tags.filter(scope.case_q(prefix), filters.case_q(prefix))
    return tags.values(*keys, "themetag_id", "themetag__name").annotate(n=Count("id")).order_by()


def learning_section(
    *, scope: ReaderScope, filters: Filters, summary: Collection = frozenset()
) -> Section:
    """Two queries for the months counted live, one for those in the summary of closed
    months, and the themes' names."""
    months = filters.months[-12:] if len(filters.months) > 1 else filters.trend_months[-3:]
    span = sorted(set(months) | set(filters.months))
    stored = [m for m in span if m in summary]
    live = [m for m in span if m not in summary]
    by_theme: dict[tuple[int, str], dict] = defaultdict(lambda: defaultdict(int))
    recorded: dict = defaultdict(lambda: {"audits": 0, "strengths": 0, "learning": 0})
    if live:
        for r in theme_counts(live, "audit__allocation__period", scope=scope, filters=filters):
            theme = (r["themetag_id"], r["themetag__name"])
            by_theme[theme][r["audit__allocation__period"]] += r["n"]
        in_live = [m for m in filters.months if m in live]
        if in_live:
            for r in recorded_counts(in_live, "allocation__period", scope=scope, filters=filters):
                for key in ("audits", "strengths", "learning"):
                    recorded[r["allocation__period"]][key] += r[key]
    if stored:
        for r in (
            LearningSummary.objects.filter(month__in=stored)
            .filter(scope.case_q("") & filters.case_q(""))
            .values("month", "theme_id", "theme__name")
            .annotate(audits=Sum("audits"), strengths=Sum("strengths"), learning=Sum("learning"))
            .order_by()
        ):
            if r["theme_id"] is not None:
                by_theme[(r["theme_id"], r["theme__name"])][r["month"]] += r["audits"]
            else:
                for key in ("audits", "strengths", "learning"):
                    recorded[r["month"]][key] += r[key] or 0
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
        row = recorded[month]
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
