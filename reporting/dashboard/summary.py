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
  and the auditor (the auditors' table and the repeated non-completion), and the same added
  up over the auditors in `TeamCompletionSummary` (the tables by month, team and area);
- `SectionSummary`: its section grades by the case's team and type (sections × grades);
- `LearningSummary`: its finished audits, those recording strengths and learning, and the
  learning themes tagged, by the case's team and type (the learning tables);
- `AgreementSummary`: the overall grades of its paired audits and QA checks, as pairs of
  raters' grades and as each case's grades, counted (the agreement figures; for the whole
  authority), with the month's numbers of paired cases and checks on `SummaryMonth`;
- `CheckSummary`: its QA checks, accepted and returned, by the case's team and type;
- `ActionSummary`: the actions raised in it that were finished (authorised, or closed by a
  Management Decision: states they never leave) before the day the summary was built, by
  their team and the case's type. Its other actions, still moving, are counted live (see
  `dashboard.actions`), so no action is missing or counted twice;
- `SafeguardingSummary`: its safeguarding concerns raised, inadequate pathways started and
  pathways resolved, by the case's team and type (the pathways open today are counted live).

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

from audits.models import Allocation, QACheck
from sampling.models import SampleCase

from ..estimates import months_ending
from ..models import (
    ActionSummary,
    AgreementSummary,
    CheckSummary,
    CompletionSummary,
    GradeSummary,
    LearningSummary,
    SafeguardingSummary,
    SectionSummary,
    SummaryMonth,
    TeamCompletionSummary,
)

SUMMARIES = (
    GradeSummary,
    CompletionSummary,
    TeamCompletionSummary,
    SectionSummary,
    LearningSummary,
    AgreementSummary,
    CheckSummary,
    ActionSummary,
    SafeguardingSummary,
)

SUMMARY_MONTHS = 25  # two twelve-month trends and the month before


class Summarised(dict):
    """The months the dashboard reads from the summary, each with its strata's frame sizes;
    `built_on` gives the day each month's summary was built."""

    def __init__(self, rows: Iterable[tuple[dt.date, list, dt.date]] = ()) -> None:
        rows = list(rows)
        super().__init__((month, sizes) for month, sizes, _ in rows)
        self.built_on = {month: built_on for month, _, built_on in rows}


def summarised(months: Iterable[dt.date]) -> Summarised:
    """Which of these months the dashboard reads from the summary, each with its strata's
    frame sizes and the day it was built (one query)."""
    months = list(months)
    if not months:
        return Summarised()
    return Summarised(
        SummaryMonth.objects.filter(month__in=months).values_list(
            "month", "frame_sizes", "built_on"
        )
    )


def _team_and_type(row: dict, prefix: str) -> dict:
    """A summary row's team and case type from a grouped row's (through `prefix`)."""
    return {"team_id": row[f"{prefix}team_id"], "case_type": row[f"{prefix}case_type"] or ""}


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
            **_team_and_type(r, "allocation__case__"),
            grade=r["grade"] or "",
            audits=r["n"],
        )
        for r in rows
    ]


def _team_completion_rows(rows: list[CompletionSummary]) -> list[TeamCompletionSummary]:
    """The auditors' rows of a month added up by team and case type."""
    from .completion import STATE_LABELS

    teams: dict[tuple, TeamCompletionSummary] = {}
    for r in rows:
        key = (r.team_id, r.case_type)
        if key not in teams:
            teams[key] = TeamCompletionSummary(
                month=r.month,
                team_id=r.team_id,
                case_type=r.case_type,
                total=0,
                **dict.fromkeys(STATE_LABELS, 0),
            )
        row = teams[key]
        row.total += r.total
        for state in STATE_LABELS:
            setattr(row, state, getattr(row, state) + getattr(r, state))
    return list(teams.values())


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
            **_team_and_type(r, "case__"),
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
            **_team_and_type(r, "allocation__case__"),
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
            **_team_and_type(r, "audit__allocation__case__"),
            theme_id=r["themetag_id"],
            audits=r["n"],
        )
        for r in theme_counts(
            [month], "audit__allocation__case__team_id", "audit__allocation__case__case_type"
        )
    ]
    return rows


def _check_rows(month: dt.date) -> list[CheckSummary]:
    from .consistency import check_counts

    return [
        CheckSummary(
            month=month,
            **_team_and_type(r, "audit__allocation__case__"),
            checks=r["checks"],
            accepted=r["accepted"],
            returned=r["returned"],
        )
        for r in check_counts(
            QACheck.objects.filter(audit__allocation__period=month),
            "audit__allocation__case__team_id",
            "audit__allocation__case__case_type",
        )
    ]


def _action_rows(month: dt.date, today: dt.date) -> list[ActionSummary]:
    from .actions import as_days, finished_actions, summary_aggregates

    rows = (
        finished_actions(month, built_on=today)
        .values("team_id", "case__case_type")
        .annotate(**summary_aggregates())
        .order_by()
    )
    return [
        ActionSummary(
            month=month,
            team_id=r["team_id"],
            case_type=r["case__case_type"] or "",
            raised=r["raised"],
            authorised=r["authorised"],
            closed_by_decision=r["closed_by_decision"],
            on_time=r["on_time"],
            late=r["late"],
            days_taken=round(as_days(r["taken"]) or 0),
            days_allowed=round(as_days(r["allowed"]) or 0),
        )
        for r in rows
    ]


def _safeguarding_rows(month: dt.date) -> list[SafeguardingSummary]:
    from .safeguarding import month_counts

    return [
        SafeguardingSummary(month=month, team_id=team, case_type=case_type, **counts)
        for (team, case_type), counts in month_counts(month).items()
    ]


def _agreement_rows(month: dt.date) -> tuple[list[AgreementSummary], dict]:
    """The month's overall grades counted (`reporting.agreement.tally`), and its numbers of
    paired cases and QA checks and the form versions they were graded on."""
    from ..agreement import _paired, _qa, tally
    from ..estimates import OVERALL

    pairs, paired_versions = _paired([month], with_sections=False)
    checks, qa_versions = _qa([month], with_sections=False)
    counts = tally(OVERALL, pairs, checks)
    rows = [
        AgreementSummary(
            month=month,
            kind=AgreementSummary.Kind.PAIR,
            source=source,
            first=first,
            second=second,
            grades=AgreementSummary.GRADE_SEPARATOR.join([a, b]),
            cases=n,
        )
        for (source, first, second, a, b), n in counts.pairs.items()
    ]
    rows += [
        AgreementSummary(
            month=month,
            kind=AgreementSummary.Kind.UNIT,
            source=source,
            grades=AgreementSummary.GRADE_SEPARATOR.join(grades),
            cases=n,
        )
        for (source, grades), n in counts.units.items()
    ]
    counted = {
        "paired_cases": len(pairs),
        "qa_checks": len(checks),
        "versions": sorted(paired_versions | qa_versions),
    }
    return rows, counted


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
        completion = _completion_rows(month, today)
        CompletionSummary.objects.bulk_create(completion, batch_size=2000)
        TeamCompletionSummary.objects.bulk_create(
            _team_completion_rows(completion), batch_size=2000
        )
        SectionSummary.objects.bulk_create(_section_rows(month), batch_size=2000)
        LearningSummary.objects.bulk_create(_learning_rows(month), batch_size=2000)
        CheckSummary.objects.bulk_create(_check_rows(month), batch_size=2000)
        ActionSummary.objects.bulk_create(_action_rows(month, today), batch_size=2000)
        SafeguardingSummary.objects.bulk_create(_safeguarding_rows(month), batch_size=2000)
        agreement_rows, agreement = _agreement_rows(month)
        AgreementSummary.objects.bulk_create(agreement_rows, batch_size=2000)
        from .quality import frame_sizes

        sizes = [[sample, stratum, n] for (sample, stratum), n in frame_sizes([month]).items()]
        SummaryMonth.objects.filter(pk=marker.pk).update(
            built_on=today, frame_sizes=sizes, agreement=agreement
        )


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
