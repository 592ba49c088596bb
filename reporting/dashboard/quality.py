"""Quality of practice (SPEC §3, §10; Bury 2.1, Bradford 4, P&Q 27): the overall grade mix
by month over twelve months, the sections × grades table for the period (P&Q: domains ×
met / partly / not met), and the share Good or better as a population estimate with its
interval beside the raw share of the audits, with the precision flag, overall, by service
area and by case type, and month by month.

The audits are those of each month's confirmed sample, finished, each case once, graded as
it stands (the moderator's grade, else the pair's consensus, else the auditor's): the same
rules as `reporting.estimates`, whose module docstring explains the estimate. The counting is
done in the database, one GROUP BY over (month's sample, stratum, service area, case type)
with FILTER counts for the reader's scope and filters, so the cost does not grow with the
number of audits; the strata then go to `reporting.statistics.stratified_proportion`.

A service area, team or case type (and a manager's scope) is a domain of each stratum: its
share of the stratum's frame is taken as N_h × (its audits) / (the stratum's audits), as
`reporting.estimates` does for a section only some cases have. With no filter and the whole
authority the figure is exactly `period_estimates`'s "Good or better".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from django.db.models import Case as Choose
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Subquery, Sum, When

from audits import lifecycle
from audits.models import Audit, Consensus, FormStatus, FormVersion, Moderation, SectionAnswer
from sampling.models import CaseType, Sample, SampleCase, SampleKind, SampleStatus

from ..estimates import OVERALL, Scope, estimate_limits, scopes
from ..models import GradeSummary, SectionSummary
from .domains import NO_AUDITS, Cell, Domains
from .filters import Filters, list_href
from .scope import ReaderScope
from .tables import Chart, Column, Figure, Section, Table, percent, share

ESTIMATE_COLUMNS = [
    Column("audits", "Audits"),
    Column("raw", "Good or better in the audits (%)", "percent"),
    Column("estimate", "Estimate for all open cases (%)", "percent"),
    Column("lower", "95% interval from (%)", "percent"),
    Column("upper", "95% interval to (%)", "percent"),
    Column("precision", "Precision", "text"),
]


def moderated_steps():
    return Moderation.objects.filter(
        audit=OuterRef("pk"), decided_at__isnull=False, overall_grade__gt=""
    )


def standing_grade() -> Choose:
    """The overall grade that stands: the moderator's, else the consensus, else the
    auditor's (as `reporting.estimates.graded_cases`)."""
    moderated = Subquery(
        # The last decided step of a dispute that set a grade (P&Q 22, Bradford 3).
        Moderation.objects.filter(audit=OuterRef("pk"), decided_at__isnull=False)
        .exclude(overall_grade="")
        .order_by("-decided_at", "-id")
        .values("overall_grade")[:1]
    )
    return Choose(
        When(Q(Exists(moderated_steps())), then=moderated),
        When(consensus__overall_grade__isnull=False, then=F("consensus__overall_grade")),
        default=F("overall_grade"),
        output_field=CharField(),
    )


def sampled_audits(months):
    """Finished audits of the months' confirmed monthly samples, each case once."""
    return Audit.objects.filter(
        allocation__period__in=list(months),
        allocation__sample__kind=SampleKind.MONTHLY,
        allocation__sample__status=SampleStatus.CONFIRMED,
        status__in=list(lifecycle.FINISHED),
    ).filter(Q(allocation__pair_group__isnull=True) | Q(consensus__isnull=False))


def overall_scope() -> tuple[Scope, list[Scope]]:
    """The overall grade's scale and every section's, from the published form versions
    (one query)."""
    defs = dict(
        FormVersion.objects.filter(status=FormStatus.PUBLISHED).values_list("id", "definition")
    )
    found = scopes(defs) if defs else []
    overall = next((s for s in found if s.key == OVERALL), Scope(OVERALL, "Overall grade", ()))
    return overall, [s for s in found if s.key != OVERALL]


def good_values(scope: Scope) -> list[str]:
    """The grades counted as Good or better: the scale down to "good" (else its second)."""
    values = [v for v, _ in scope.levels]
    index = values.index("good") if "good" in values else min(1, len(values) - 1)
    return values[: index + 1]


def read_cells(
    *,
    scope: ReaderScope,
    filters: Filters,
    months,
    overall: Scope,
    detailed: bool = True,
    summary: Collection = frozenset(),
) -> list[Cell]:
    """The cells of these months: the months in `summary` from the summary of closed months
    (`dashboard.summary`), the others counted live; a GROUP BY query for each that has any
    (see the module's docstring). Without `detailed`, the cells are whole strata (no service
    area or case type): enough for a month's overall estimate and grade mix, and cheaper
    over many months."""
    summarised = [m for m in months if m in summary]
    live = [m for m in months if m not in summary]
    cells = _summary_cells(scope, filters, summarised, overall, detailed) if summarised else []
    if live:
        cells += _live_cells(scope, filters, live, overall, detailed)
    return cells


def _cells(rows, overall: Scope, prefix: str) -> list[Cell]:
    """Cells from live rows (`prefix` "allocation__") or summary rows (no prefix)."""
    sample, period = f"{prefix}sample_id", f"{prefix}period" if prefix else "month"
    area = f"{prefix}case__team__service_area_id" if prefix else "team__service_area_id"
    case_type = f"{prefix}case__case_type" if prefix else "case_type"
    grades = [(value, f"g{i}") for i, (value, _) in enumerate(overall.levels)]
    return [
        Cell(
            sample_id=r[sample],
            period=r[period],
            stratum=r["stratum"] or "",
            area_id=r.get(area),
            case_type=r.get(case_type) or "",
            audits=r["n"] or 0,
            domain=r["dom"] or 0,
            domain_good=r["dom_good"] or 0,
            grades={value: r[key] or 0 for value, key in grades},
        )
        for r in rows
    ]


def _summary_cells(scope, filters, months, overall: Scope, detailed: bool) -> list[Cell]:
    domain = scope.case_q("") & filters.case_q("")
    good = good_values(overall)
    keys = ["sample_id", "month", "stratum"]
    if detailed:
        keys += ["team__service_area_id", "case_type"]
    rows = (
        GradeSummary.objects.filter(month__in=list(months))
        .values(*keys)
        .annotate(
            n=Sum("audits"),
            dom=Sum("audits", filter=domain),
            dom_good=Sum("audits", filter=domain & Q(grade__in=good)),
            **{
                f"g{i}": Sum("audits", filter=domain & Q(grade=value))
                for i, (value, _) in enumerate(overall.levels)
            },
        )
        .order_by()
    )
    return _cells(rows, overall, "")


def _live_cells(scope, filters, months, overall: Scope, detailed: bool) -> list[Cell]:
    domain = scope.case_q("allocation__case__") & filters.case_q("allocation__case__")
    good = good_values(overall)
    stratum = (
        SampleCase.objects.filter(
            sample_id=OuterRef("allocation__sample_id"), case_id=OuterRef("allocation__case_id")
        )
        .order_by()
        .values("stratum")[:1]
    )
    grade_counts = {
        f"g{i}": Count("id", filter=domain & Q(grade=value))
        for i, (value, _) in enumerate(overall.levels)
    }
    keys = ["allocation__sample_id", "allocation__period", "stratum"]
    if detailed:
        keys += ["allocation__case__team__service_area_id", "allocation__case__case_type"]
    rows = (
        sampled_audits(months)
        .annotate(grade=standing_grade(), stratum=Subquery(stratum))
        .values(*keys)
        .annotate(
            n=Count("id"),
            dom=Count("id", filter=domain),
            dom_good=Count("id", filter=domain & Q(grade__in=good)),
            **grade_counts,
        )
        .order_by()
    )
    return _cells(rows, overall, "allocation__")


def frame_sizes(months) -> dict[tuple[int, str], int]:
    """N_h of each stratum of each month's confirmed sample, as stored at the draw, never
    fewer than the cases drawn from it (two queries)."""
    if not months:
        return {}
    samples = Sample.objects.filter(
        kind=SampleKind.MONTHLY, status=SampleStatus.CONFIRMED, period__in=list(months)
    ).values_list("id", "strata_table")
    drawn = {
        (sample_id, stratum): n
        for sample_id, stratum, n in SampleCase.objects.filter(
            sample__kind=SampleKind.MONTHLY,
            sample__status=SampleStatus.CONFIRMED,
            sample__period__in=list(months),
        )
        .values_list("sample_id", "stratum")
        .annotate(n=Count("id"))
        .values_list("sample_id", "stratum", "n")
        .order_by()
    }
    sizes: dict[tuple[int, str], int] = {}
    for sample_id, table in samples:
        for row in table or []:
            key = (sample_id, row.get("stratum", ""))
            sizes[key] = max(int(row.get("frame") or 0), drawn.get(key, 0))
    for key, n in drawn.items():
        sizes.setdefault(key, n)
    return sizes


def section_counts(months, scope: ReaderScope | None = None, filters=None) -> dict[tuple, int]:
    """Answers of the months' sampled audits by (case's team, case type, section, grade):
    the auditor's own answers, and for a paired case the agreed grades (two queries), in
    the reader's scope and filters when given."""
    counts: dict[tuple, int] = defaultdict(int)

    def on(prefix: str) -> Q:
        q = scope.case_q(prefix) if scope else Q()
        return q & filters.case_q(prefix) if filters else q

    prefix = "audit__allocation__case__"
    rows = (
        SectionAnswer.objects.filter(
            audit__in=sampled_audits(months)
            .filter(allocation__pair_group__isnull=True)
            .values("id")
        )
        .filter(on(prefix))
        .exclude(grade="")
        .values_list(f"{prefix}team_id", f"{prefix}case_type", "key", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    for team, case_type, key, grade, n in rows:
        counts[(team, case_type, key, grade)] += n
    prefix = "lead_audit__allocation__case__"
    for team, case_type, grades in (
        Consensus.objects.filter(lead_audit__in=sampled_audits(months).values("id"))
        .filter(on(prefix))
        .values_list(f"{prefix}team_id", f"{prefix}case_type", "grades")
    ):
        for key, grade in (grades or {}).items():
            if grade:
                counts[(team, case_type, key, grade)] += 1
    return counts


def section_grades(
    *, scope: ReaderScope, filters: Filters, summary: Collection = frozenset()
) -> dict[str, dict[str, int]]:
    """Each section's grades in the period: from the summary when every month of the period
    is in it (one query), else counted live (two queries)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if filters.months and all(m in summary for m in filters.months):
        rows = (
            SectionSummary.objects.filter(month__in=list(filters.months))
            .filter(scope.case_q("") & filters.case_q(""))
            .values_list("key", "grade")
            .annotate(n=Sum("answers"))
            .order_by()
        )
        for key, grade, n in rows:
            counts[key][grade] += n
        return counts
    for (_, _, key, grade), n in section_counts(filters.months, scope, filters).items():
        counts[key][grade] += n
    return counts


def _estimate_table(key: str, caption: str, first: Column) -> Table:
    return Table(key=key, caption=caption, columns=[first, *ESTIMATE_COLUMNS])


def quality_section(
    *, scope: ReaderScope, filters: Filters, summary: Collection = frozenset()
) -> Section:
    """Seven queries whatever the number of audits (two more when the period's months and
    the trend's are read some from the summary, some live)."""
    overall, sections = overall_scope()
    limits = estimate_limits()
    months = sorted(set(filters.months) | set(filters.trend_months))
    in_period = set(filters.months)
    period_cells = read_cells(
        scope=scope, filters=filters, months=filters.months, overall=overall, summary=summary
    )
    cells = period_cells + read_cells(
        scope=scope,
        filters=filters,
        months=[m for m in filters.trend_months if m not in in_period],
        overall=overall,
        detailed=False,
        summary=summary,
    )
    # Frame sizes: kept with a summarised month, read for the others (two queries).
    kept = summary if isinstance(summary, Mapping) else {}
    sizes = frame_sizes([m for m in months if m not in kept])
    for month in months:
        for sample_id, stratum, n in kept.get(month) or []:
            sizes[(sample_id, stratum)] = n
    period = Domains(period_cells, sizes, limits)
    good_label = "Good"
    if overall.levels:
        good_label = dict(overall.levels).get(good_values(overall)[-1], "Good")
    section = Section(
        key="quality",
        title="Quality of practice",
        intro=(
            f"Grades of the audits of each month's random sample. The estimate says what share "
            f"of all open cases is {good_label} or better, with its 95% interval; beside it is "
            f"the plain share of the audits. An estimate marked low precision is a rough guide; "
            f"none is given from fewer than {limits.suppress_under} audits."
        ),
    )
    whole = period.whole()
    grades_href = list_href("audits", filters)
    section.figures = [
        Figure("Audits graded", whole.audits, href=grades_href),
        Figure(
            f"{good_label} or better: estimate for all open cases",
            share(whole.estimate.proportion) if whole.estimate else None,
            kind="percent",
            href=list_href("audits", filters, grade="good_or_better"),
            note=(
                f"95% interval {share(whole.estimate.lower):.0f}% to "
                f"{share(whole.estimate.upper):.0f}%; {whole.precision.lower()}; "
                f"{share(whole.raw):.0f}% of the audits"
                if whole.estimate
                else whole.precision
            ),
        ),
    ]
    levels = list(overall.levels)
    worst = levels[-1] if levels else None
    if worst:
        inadequate = sum(c.grades.get(worst[0], 0) for c in period_cells)
        section.figures.append(
            Figure(worst[1], inadequate, href=list_href("audits", filters, grade=worst[0]))
        )

    # Grade mix by month, and the estimate month by month.
    mix = Table(
        key="quality-grade-mix",
        caption="Overall grades by month, twelve months",
        columns=[
            Column("month", "Month", "text"),
            *[Column(value, label) for value, label in levels],
            Column("audits", "Audits"),
            Column("good_share", f"{good_label} or better (%)", "percent"),
        ],
    )
    trend = Table(
        key="quality-trend",
        caption=f"{good_label} or better by month: estimate and interval, twelve months",
        columns=[Column("month", "Month", "text"), *ESTIMATE_COLUMNS],
    )
    good = set(good_values(overall))
    cells_by_month: dict = defaultdict(list)
    for cell in cells:
        cells_by_month[cell.period].append(cell)
    by_month = Domains(cells, sizes, limits).estimates(lambda c: c.period)
    for month in filters.trend_months:
        mine = cells_by_month.get(month, [])
        counts = {value: sum(c.grades[value] for c in mine) for value, _ in levels}
        total = sum(counts.values())
        at_good = sum(n for value, n in counts.items() if value in good)
        in_month = f"{month:%Y-%m}"
        mix.add(
            [f"{month:%b %Y}", *counts.values(), total, percent(at_good, total)],
            [
                None,
                *[
                    list_href("audits", filters, grade=value, in_month=in_month)
                    for value, _ in levels
                ],
                list_href("audits", filters, in_month=in_month),
                None,
            ],
        )
        trend.add([f"{month:%b %Y}", *by_month.get(month, NO_AUDITS).row()])

    by_area = _estimate_table(
        "quality-by-area",
        f"{good_label} or better by service area, {filters.label}",
        Column("area", "Service area", "text"),
    )
    by_area.add(["All", *whole.row()], [None, grades_href, None, None, None, None, None])
    # Each service area's and case type's estimate.
    of_area = period.estimates(lambda c: c.area_id)
    for area_id, name in filters.areas():
        if filters.area_id and area_id != filters.area_id:
            continue
        href = list_href("audits", filters, area=area_id)
        row = of_area.get(area_id, NO_AUDITS).row()
        by_area.add([name, *row], [None, href, None, None, None, None, None])
    by_type = _estimate_table(
        "quality-by-case-type",
        f"{good_label} or better by case type, {filters.label}",
        Column("case_type", "Case type", "text"),
    )
    of_type = period.estimates(lambda c: c.case_type)
    for value, label in CaseType.choices:
        if value not in of_type:
            continue
        href = list_href("audits", filters, case_type=value)
        by_type.add([label, *of_type[value].row()], [None, href, None, None, None, None, None])

    section.tables = [
        mix,
        trend,
        by_area,
        by_type,
        sections_table(scope, filters, sections, summary),
    ]
    section.charts = [
        Chart(
            kind="stacked",
            table="quality-grade-mix",
            title=f"Overall grades by month, twelve months to {filters.last_month:%B %Y}",
            description="Each bar is a month's graded audits divided by overall grade, best "
            "grade first. The table below gives the same numbers.",
            category="month",
            series=[value for value, _ in levels],
        ),
        Chart(
            kind="line",
            table="quality-trend",
            title=f"{good_label} or better by month, estimate with its 95% interval",
            description="A line for the estimate for all open cases each month, with a shaded "
            "band for its 95% interval, and a dashed line for the share of the audits "
            "themselves. Months with too few audits have no estimate. The table below gives the "
            "same numbers.",
            category="month",
            series=["estimate", "raw"],
            band=("lower", "upper"),
            percent=True,
        ),
        Chart(
            kind="bar",
            table="quality-by-area",
            title=f"{good_label} or better by service area, estimate with its 95% interval",
            description="A bar for each service area's estimate, with a line across each bar "
            "for its 95% interval. The table below gives the same numbers.",
            category="area",
            series=["estimate"],
            band=("lower", "upper"),
            percent=True,
        ),
    ]
    return section


def sections_table(
    scope: ReaderScope, filters: Filters, sections: list[Scope], summary: Collection = frozenset()
) -> Table:
    """Sections × grades for the period, counts of audits (P&Q's domains × met / partly /
    not met)."""
    counts = section_grades(scope=scope, filters=filters, summary=summary)
    labels: dict[str, str] = {}
    for scope_ in sections:
        for value, label in scope_.levels:
            labels.setdefault(value, label)
    table = Table(
        key="quality-sections",
        caption=f"Sections by grade, {filters.label}",
        columns=[
            Column("section", "Section", "text"),
            *[Column(value, label) for value, label in labels.items()],
            Column("graded", "Graded"),
        ],
    )
    for scope_ in sections:
        row = counts.get(scope_.key, {})
        values = [row.get(value, 0) if value in dict(scope_.levels) else None for value in labels]
        links = [
            list_href("audits", filters, section=scope_.key, section_grade=value)
            if value in dict(scope_.levels) and row.get(value)
            else None
            for value in labels
        ]
        table.add(
            [scope_.title, *values, sum(row.values())],
            [None, *links, None],
        )
    return table
