"""Consistency (SPEC §10; Bury 5.2, 6.5, 8.1; P&Q 20): how far paired auditors agree, and
auditors with the QA officers who checked their audits (weighted kappa and ordinal alpha from
`reporting.agreement`, overall grade); and the share of QA checks returned for amendment.

Agreement is about how auditors grade, so it is worked out over the whole authority for the
period whoever reads it; the named pairs of raters are shown only to those who read the whole
authority. The QA checks follow the reader's scope and filters (one GROUP BY query).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Q, Sum

from audits.models import QACheck, QAOutcome

from ..agreement import PeriodAgreement, period_agreement
from ..models import CheckSummary
from .filters import Filters, list_href
from .scope import ReaderScope
from .tables import Chart, Column, Figure, Section, Table, percent

STATISTICS = {"kappa": "Weighted kappa", "alpha": "Ordinal alpha"}
# The dashboard's bootstrap: enough replicates for a stable 95% interval at two decimals.
REPLICATES = 500
# The pairs of raters with the most cases given by name (of each source).
NAMED_PAIRS = 25


def qa_checks(*, scope: ReaderScope, filters: Filters):
    prefix = "audit__allocation__case__"
    return QACheck.objects.filter(audit__allocation__period__in=list(filters.months)).filter(
        scope.case_q(prefix), filters.case_q(prefix)
    )


def check_counts(checks, *keys: str):
    """These QA checks, accepted and returned, grouped by `keys` (one query)."""
    return (
        checks.values(*keys)
        .annotate(
            checks=Count("id"),
            accepted=Count("id", filter=Q(outcome=QAOutcome.ACCEPTED)),
            returned=Count("id", filter=Q(outcome=QAOutcome.RETURNED)),
        )
        .order_by()
    )


def _checks_by_month(
    *, scope: ReaderScope, filters: Filters, summary: Collection
) -> dict[object, dict]:
    """The period's QA checks by month: closed months from the summary, the rest counted
    (a query for each kind of month there is)."""
    stored = [m for m in filters.months if m in summary]
    live = [m for m in filters.months if m not in summary]
    by_month: dict[object, dict] = {}
    if live:
        in_live = qa_checks(scope=scope, filters=filters).filter(audit__allocation__period__in=live)
        for r in check_counts(in_live, "audit__allocation__period"):
            by_month[r["audit__allocation__period"]] = r
    if stored:
        for r in (
            CheckSummary.objects.filter(month__in=stored)
            .filter(scope.case_q("") & filters.case_q(""))
            .values("month")
            .annotate(checks=Sum("checks"), accepted=Sum("accepted"), returned=Sum("returned"))
            .order_by()
        ):
            by_month[r["month"]] = r
    return by_month


def agreement_table(result: PeriodAgreement, *, named_pairs: bool) -> Table:
    table = Table(
        key="consistency-agreement",
        caption="Agreement on the overall grade",
        columns=[
            Column("measure", "Measure", "text"),
            Column("between", "Between", "text"),
            Column("cases", "Cases"),
            Column("value", "Value", "decimal"),
            Column("lower", "95% interval from", "decimal"),
            Column("upper", "95% interval to", "decimal"),
            Column("band", "Landis and Koch's band (a guide)", "text"),
        ],
        note=(
            f"1 is full agreement, 0 no more than chance. No figure from fewer than "
            f"{result.minimum} cases."
            + (
                f" The {NAMED_PAIRS} pairs of raters of each kind with the most cases are "
                f"named; {result.rater_pairs_not_shown} more pairs have enough cases."
                if named_pairs and result.rater_pairs_not_shown
                else ""
            )
        ),
    )
    for row in result.rows:
        if row.raters and not named_pairs:
            continue
        a = row.agreement
        table.add(
            [
                STATISTICS[row.statistic],
                row.raters or row.source_label,
                row.cases,
                round(a.value, 2) if a else None,
                round(a.lower, 2) if a else None,
                round(a.upper, 2) if a else None,
                (a.band if a else f"Fewer than {result.minimum} cases"),
            ]
        )
    return table


def consistency_section(
    *, scope: ReaderScope, filters: Filters, summary: Collection = frozenset()
) -> Section:
    """The agreement's reads (three queries live, or three from the summary of closed
    months, or both) and one query for the QA checks of each kind of month."""
    result = period_agreement(
        period=filters.last_month,
        months=len(filters.months),
        replicates=REPLICATES,
        sections=False,
        named_pairs=NAMED_PAIRS,
        summary=summary,
    )
    by_month = _checks_by_month(scope=scope, filters=filters, summary=summary)
    section = Section(
        key="consistency",
        title="Consistency of grading",
        intro=(
            "Would two auditors grade a record alike? From paired audits, where two or three "
            "auditors grade the same case on their own (Bury 8.1), and QA checks where the QA "
            "officer gave their own grades (Bury 5.2). Agreement is for the whole authority."
        ),
    )
    checks = Table(
        key="consistency-qa-checks",
        caption="QA checks by the month of the audit",
        columns=[
            Column("month", "Month", "text"),
            Column("checks", "QA checks"),
            Column("accepted", "Accepted"),
            Column("returned", "Returned for amendment"),
            Column("returned_share", "Returned (%)", "percent"),
        ],
    )
    totals = {"checks": 0, "accepted": 0, "returned": 0}
    for month in filters.months:
        row = by_month.get(month, {"checks": 0, "accepted": 0, "returned": 0})
        for key in totals:
            totals[key] += row[key]
        in_month = f"{month:%Y-%m}"
        checks.add(
            [
                f"{month:%B %Y}",
                row["checks"],
                row["accepted"],
                row["returned"],
                percent(row["returned"], row["checks"]),
            ],
            [
                None,
                list_href("qa-checks", filters, in_month=in_month),
                list_href("qa-checks", filters, outcome="accepted", in_month=in_month),
                list_href("qa-checks", filters, outcome="returned", in_month=in_month),
                None,
            ],
        )
    paired = result.find(source="paired", statistic="kappa")
    qa = result.find(source="qa", statistic="kappa")

    def kappa_note(row) -> str:
        if row is None or row.agreement is None:
            return f"fewer than {result.minimum} cases" if row is not None else "no cases"
        a = row.agreement
        return f"{row.cases} cases; 95% interval {a.lower:.2f} to {a.upper:.2f}; {a.band}"

    section.figures = [
        Figure(
            "Paired auditors: weighted kappa",
            round(paired.agreement.value, 2) if paired and paired.agreement else None,
            kind="decimal",
            note=kappa_note(paired),
        ),
        Figure(
            "Auditor and QA officer: weighted kappa",
            round(qa.agreement.value, 2) if qa and qa.agreement else None,
            kind="decimal",
            note=kappa_note(qa),
        ),
        Figure(
            "QA checks returned for amendment",
            percent(totals["returned"], totals["checks"]),
            kind="percent",
            href=list_href("qa-checks", filters, outcome="returned"),
            note=f"{totals['returned']} of {totals['checks']} checks",
        ),
    ]
    section.tables = [agreement_table(result, named_pairs=scope.whole), checks]
    section.charts = [
        Chart(
            kind="stacked",
            table="consistency-qa-checks",
            title=f"QA checks accepted and returned for amendment, {filters.description}",
            description="Each bar is a month's QA checks, divided into those accepted and "
            "those returned for amendment. The table below gives the same numbers.",
            category="month",
            series=["accepted", "returned"],
        )
    ]
    return section
