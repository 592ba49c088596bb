"""The summary of closed months: what the dashboard reads for a month once every audit of it
is due, instead of counting the month's audits again on every request.

A month is *closed* when every allocation of it is past its deadline; from then on where each
allocation stands no longer depends on the day (see `completion.state_q`), and its figures
change only when someone changes its data (a late moderation, an audit finished late, a case
moving team). The `month-summaries` sweep (daily, before the monthly reports) rebuilds, for
each closed month of the last `SUMMARY_MONTHS`, two small tables of counts:

- `GradeSummary`: the month's sampled, finished audits by sample, stratum, the case's team
  and type, and the overall grade that stands (the quality figures, `quality.read_cells`);
- `CompletionSummary`: its allocations in each completion state by the case's team and type
  and the auditor (the completion tables and the repeated non-completion);
- `SectionSummary`: its section grades by the case's team and type (sections × grades);
- `LearningSummary`: its finished audits, those recording strengths and learning, and the
  learning themes tagged, by the case's team and type (the learning tables).

**Staleness rule.** A month's summary is as of the sweep's last run: a change to a closed
month's data shows in the lists behind the figures at once, and in the figures the next
morning, when the sweep rebuilds every closed month of the window from scratch. Months older
than the window have no summary (the sweep drops it) and are read live, so nothing stays
stale for longer than a day. The monthly and six-monthly reports never read the summary: a
kept record is counted live on the day it is made.

Each month is rebuilt in its own transaction holding the month's `SummaryMonth` row
(`SELECT … FOR UPDATE`): delete its rows, count them again, insert them. Running the sweep
twice, late, or on two workers at once leaves the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from audits.models import Allocation
from sampling.models import SampleCase

from ..estimates import months_ending
from ..models import (
    CompletionSummary,
    GradeSummary,
    LearningSummary,
    SectionSummary,
    SummaryMonth,
)

SUMMARIES = (GradeSummary, CompletionSummary, SectionSummary, LearningSummary)

SUMMARY_MONTHS = 25  # two twelve-month trends and the month before


def summarised(months: Iterable[dt.date]) -> dict[dt.date, list]:
    """Which of these months the dashboard reads from the summary, each with its strata's
    frame sizes (one query)."""
    months = list(months)
    if not months:
        return {}
    return dict(SummaryMonth.objects.filter(month__in=months).values_list("month", "frame_sizes"))


def closed_months(today: dt.date) -> list[dt.date]:
    """The months of the window (ending with the month before `today`'s) whose every
    allocation is past its deadline (one query)."""
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    window = months_ending(last, SUMMARY_MONTHS)
    open_months = set(
        Allocation.objects.filter(period__in=window, deadline__gte=today)
        .values_list("period", flat=True)
        .distinct()
    )
    return [m for m in window if m not in open_months]


def _grade_rows(month: dt.date) -> list[GradeSummary]:
    from .quality import sampled_audits, standing_grade

    stratum = (
        SampleCase.objects.filter(
            sample_id=OuterRef("allocation__sample_id"),
            case_id=OuterRef("allocation__case_id"),
        )
        .order_by()
        .values("stratum")[:1]
    )
    rows = (
        sampled_audits([month])
        .annotate(grade=standing_grade(), stratum=Subquery(stratum))
        .values(
            "allocation__sample_id",
            "stratum",
            "allocation__case__team_id",
            "allocation__case__case_type",
            "grade",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        GradeSummary(
            month=month,
            sample_id=r["allocation__sample_id"],
            stratum=r["stratum"] or "",
            team_id=r["allocation__case__team_id"],
            case_type=r["allocation__case__case_type"] or "",
            grade=r["grade"] or "",
            audits=r["n"],
        )
        for r in rows
    ]


def _completion_rows(month: dt.date, today: dt.date) -> list[CompletionSummary]:
    from .completion import STATE_LABELS, counts_of, whole_allocations

    rows = (
        whole_allocations([month])
        .values("case__team_id", "case__case_type", "auditor_id")
        .annotate(**counts_of(today))
        .order_by()
    )
    return [
        CompletionSummary(
            month=month,
            team_id=r["case__team_id"],
            case_type=r["case__case_type"] or "",
            auditor_id=r["auditor_id"],
            total=r["total"],
            **{key: r[key] for key in STATE_LABELS},
        )
        for r in rows
    ]


def _section_rows(month: dt.date) -> list[SectionSummary]:
    from .quality import section_counts

    return [
        SectionSummary(
            month=month, team_id=team, case_type=case_type or "", key=key, grade=grade, answers=n
        )
        for (team, case_type, key, grade), n in section_counts([month]).items()
    ]


def _learning_rows(month: dt.date) -> list[LearningSummary]:
    from .learning import recorded_counts, theme_counts

    rows = [
        LearningSummary(
            month=month,
            team_id=r["allocation__case__team_id"],
            case_type=r["allocation__case__case_type"] or "",
            audits=r["audits"],
            strengths=r["strengths"],
            learning=r["learning"],
        )
        for r in recorded_counts(
            [month], "allocation__case__team_id", "allocation__case__case_type"
        )
    ]
    rows += [
        LearningSummary(
            month=month,
            team_id=r["audit__allocation__case__team_id"],
            case_type=r["audit__allocation__case__case_type"] or "",
            theme_id=r["themetag_id"],
            audits=r["n"],
        )
        for r in theme_counts(
            [month], "audit__allocation__case__team_id", "audit__allocation__case__case_type"
        )
    ]
    return rows


def rebuild_month(*, month: dt.date, today: dt.date) -> None:
    """Count one closed month again, holding its summary row (see the module's docstring)."""
    with transaction.atomic():
        # A second worker waits here until the first has committed, then counts again.
        marker, _ = SummaryMonth.objects.select_for_update().get_or_create(
            month=month, defaults={"built_on": today}
        )
        for model in SUMMARIES:
            model.objects.filter(month=month).delete()
        GradeSummary.objects.bulk_create(_grade_rows(month), batch_size=2000)
        CompletionSummary.objects.bulk_create(_completion_rows(month, today), batch_size=2000)
        SectionSummary.objects.bulk_create(_section_rows(month), batch_size=2000)
        LearningSummary.objects.bulk_create(_learning_rows(month), batch_size=2000)
        from .quality import frame_sizes

        sizes = [[sample, stratum, n] for (sample, stratum), n in frame_sizes([month]).items()]
        SummaryMonth.objects.filter(pk=marker.pk).update(built_on=today, frame_sizes=sizes)


def drop_month(month: dt.date) -> None:
    with transaction.atomic():
        SummaryMonth.objects.filter(month=month).delete()
        for model in SUMMARIES:
            model.objects.filter(month=month).delete()


def sweep_month_summaries(*, today: dt.date) -> list[dt.date]:
    """Rebuild the summary of every closed month of the window; drop the summary of any
    month that is outside it or no longer closed (an allocation's deadline moved on).
    Returns the months rebuilt."""
    closed = closed_months(today)
    for month in set(SummaryMonth.objects.values_list("month", flat=True)) - set(closed):
        drop_month(month)
    for month in closed:
        rebuild_month(month=month, today=today)
    return closed
