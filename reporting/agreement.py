"""Would two auditors grade a record alike? Agreement for any run of months, from paired
audits (both originals are kept: Bury 8.1) and from QA checks where the QA officer gave
their own grades (Bury 5.2, 6.5), overall and for each section.

Interface (reads only, a fixed number of queries):

- ``period_agreement(period=…, months=1)`` → `PeriodAgreement`, whose `rows` are
  `AgreementRow`s:
  - source ``"paired"``: weighted kappa (quadratic) over every two auditors of a paired
    case, and ordinal alpha over each case's two or three auditors;
  - source ``"qa"``: weighted kappa and ordinal alpha of the auditor against the QA officer;
  - source ``"all"``: ordinal alpha over every rater of each case (its auditors and any QA
    officer who graded it);
  - and, for the overall grade, kappa for each named pair of raters with enough cases.
  Each with its percentile bootstrap 95% interval (cases resampled). Fewer cases than
  `ESTIMATE_SUPPRESS_UNDER`: the row says how many, and gives no figure.

Grades are ranked on their scale (1 the best); a grade not on the scale of the newest form
version for that section is left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import combinations

from django.conf import settings
from django.db.models import Sum
from django.db.models.fields.json import KT

from accounts.models import User
from audits.models import Audit, QACheck, SectionAnswer

from .estimates import OVERALL, Scope, definitions, months_ending, scopes
from .models import AgreementSummary, SummaryMonth
from .statistics import Agreement, alpha_agreement, kappa_agreement

SOURCES = {
    "paired": "Paired auditors",
    "qa": "Auditor and QA officer",
    "all": "All raters",
}


@dataclass(frozen=True)
class AgreementRow:
    source: str  # "paired", "qa" or "all"
    statistic: str  # "kappa" or "alpha"
    scope: str  # "overall" or a section's key
    scope_title: str
    cases: int
    agreement: Agreement | None  # None: fewer cases than the limit
    raters: str = ""  # a named pair of raters, for the per-pair rows

    @property
    def source_label(self) -> str:
        return SOURCES[self.source]

    @property
    def suppressed(self) -> bool:
        return self.agreement is None


@dataclass(frozen=True)
class PeriodAgreement:
    months: tuple[dt.date, ...]
    rows: tuple[AgreementRow, ...]
    paired_cases: int
    qa_checks: int
    minimum: int
    # Named pairs of raters who shared fewer cases than the limit: counted, not shown.
    rater_pairs_below_minimum: int
    # Named pairs with enough cases beyond the `named_pairs` asked for: counted, not shown.
    rater_pairs_not_shown: int = 0

    def find(self, *, source: str, statistic: str, scope: str = OVERALL) -> AgreementRow | None:
        for row in self.rows:
            if (row.source, row.statistic, row.scope, row.raters) == (source, statistic, scope, ""):
                return row
        return None


@dataclass
class _Rating:
    """One rater's grades of one case."""

    rater_id: int
    rater: str
    overall: str
    sections: dict[str, str]

    def grade(self, scope: str) -> str:
        return self.overall if scope == OVERALL else self.sections.get(scope, "")


def _paired(months: list[dt.date], with_sections: bool = True) -> tuple[dict, set[int]]:
    """Each paired case's submitted originals, in allocation order (two queries; one
    without the sections)."""
    rows = list(
        Audit.objects.filter(
            allocation__period__in=months,
            allocation__pair_group__isnull=False,
            submitted_at__isnull=False,
        )
        .values(
            "id",
            "form_version_id",
            "overall_grade",
            "allocation__pair_group",
            "allocation__auditor_id",
            "allocation__auditor__full_name",
        )
        .order_by("allocation_id")
    )
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    section_rows = SectionAnswer.objects.filter(audit_id__in=[r["id"] for r in rows])
    for audit_id, key, grade in (
        section_rows.values_list("audit_id", "key", "grade") if with_sections else ()
    ):
        if grade:
            answers[audit_id][key] = grade
    groups: dict = defaultdict(list)
    for r in rows:
        groups[r["allocation__pair_group"]].append(
            _Rating(
                r["allocation__auditor_id"],
                r["allocation__auditor__full_name"],
                r["overall_grade"],
                answers[r["id"]],
            )
        )
    versions = {r["form_version_id"] for r in rows}
    return {g: ratings for g, ratings in groups.items() if len(ratings) >= 2}, versions


def _qa(
    months: list[dt.date], with_sections: bool = True
) -> tuple[list[tuple[object, _Rating, _Rating]], set[int]]:
    """The first QA check with the QA officer's grades of each audit: (case key, the
    auditor's grades then, the QA officer's) (one query; without the sections, only the
    overall grades are read, not the whole of each check's grades)."""
    checks = QACheck.objects.filter(audit__allocation__period__in=months).exclude(qa_grades={})
    grades = ["qa_grades", "auditor_grades"]
    if not with_sections:
        checks = checks.annotate(
            qa_overall=KT("qa_grades__overall"), own_overall=KT("auditor_grades__overall")
        )
        grades = ["qa_overall", "own_overall"]
    rows = checks.values(
        "audit_id",
        *grades,
        "by_id",
        "by__full_name",
        "audit__form_version_id",
        "audit__allocation__auditor_id",
        "audit__allocation__auditor__full_name",
        "audit__allocation__pair_group",
        "audit__allocation__case_id",
        "audit__allocation__period",
    ).order_by("at", "id")
    seen, out, versions = set(), [], set()
    for r in rows:
        if r["audit_id"] in seen:
            continue
        seen.add(r["audit_id"])
        versions.add(r["audit__form_version_id"])
        if with_sections:
            own, theirs = r["auditor_grades"] or {}, r["qa_grades"]
        else:
            own, theirs = {"overall": r["own_overall"]}, {"overall": r["qa_overall"]}
        case = r["audit__allocation__pair_group"] or (
            r["audit__allocation__case_id"],
            r["audit__allocation__period"],
        )
        out.append(
            (
                case,
                _Rating(
                    r["audit__allocation__auditor_id"],
                    r["audit__allocation__auditor__full_name"],
                    own.get("overall") or "",
                    own.get("sections", {}),
                ),
                _Rating(
                    r["by_id"],
                    r["by__full_name"],
                    theirs.get("overall") or "",
                    theirs.get("sections", {}),
                ),
            )
        )
    return out, versions


@dataclass
class Tally:
    """One scope's grades counted, as the agreement figures need them and as the summary of
    closed months keeps them (`dashboard.summary`): `pairs` maps (source, first rater's id,
    second's, first grade, second grade) to how many cases, for "paired" (every two auditors
    of a case, in allocation order) and "qa" (the auditor, then the QA officer); `units` maps
    (source, the case's grades sorted) to how many cases, for "paired" (a case's two or three
    auditors) and "all" (its auditors and any QA officer). Grades are kept as given, ranked
    on the scale only when the figures are worked out."""

    pairs: Counter = field(default_factory=Counter)
    units: Counter = field(default_factory=Counter)
    names: dict[int, str] = field(default_factory=dict)

    def __iadd__(self, other: Tally) -> Tally:
        self.pairs.update(other.pairs)
        self.units.update(other.units)
        self.names.update(other.names)
        return self


def tally(scope_key: str, pairs: dict, checks: list) -> Tally:
    """Count one scope's grades of these paired cases and QA checks (`_paired`, `_qa`)."""
    out = Tally()

    def pair(source: str, first: _Rating, second: _Rating) -> None:
        grades = (first.grade(scope_key) or "", second.grade(scope_key) or "")
        out.pairs[(source, first.rater_id, second.rater_id, *grades)] += 1
        out.names.update({first.rater_id: first.rater, second.rater_id: second.rater})

    cases: dict[object, list[str]] = {}
    for group, ratings in pairs.items():
        grades = [r.grade(scope_key) or "" for r in ratings]
        cases[group] = list(grades)
        out.units[("paired", tuple(sorted(grades)))] += 1
        for a, b in combinations(ratings, 2):
            pair("paired", a, b)
    for case, own, theirs in checks:
        pair("qa", own, theirs)
        cases.setdefault(case, [own.grade(scope_key) or ""]).append(theirs.grade(scope_key) or "")
    for grades in cases.values():
        out.units[("all", tuple(sorted(grades)))] += 1
    return out


def period_agreement(
    *,
    period: dt.date,
    months: int = 1,
    replicates: int = 1000,
    seed: int = 12,
    sections: bool = True,
    named_pairs: int | None = None,
    summary: Collection[dt.date] = (),
) -> PeriodAgreement:
    """Agreement for the months ending with `period` (see the module's docstring).
    `sections=False` gives the overall grade only (the dashboard's figures), and reads the
    months in `summary` from the summary of closed months (one query; `dashboard.summary`);
    `named_pairs` keeps the per-pair rows to the pairs of raters with the most cases (a
    national year has thousands, each with its own bootstrap)."""
    month_list = months_ending(period, months)
    stored = [m for m in month_list if m in summary] if not sections else []
    live = [m for m in month_list if m not in stored]
    pairs, paired_versions = _paired(live, with_sections=sections) if live else ({}, set())
    checks, qa_versions = _qa(live, with_sections=sections) if live else ([], set())
    versions = paired_versions | qa_versions
    kept = Tally()
    paired_cases, qa_checks = len(pairs), len(checks)
    if stored:
        kept, counted = kept_tally(stored)
        versions |= counted["versions"]
        paired_cases += counted["paired_cases"]
        qa_checks += counted["qa_checks"]
    all_scopes = scopes(definitions(versions))
    if not sections:
        all_scopes = [s for s in all_scopes if s.key == OVERALL]
    rows: list[AgreementRow] = []
    below = not_shown = 0
    for scope in all_scopes:
        counts = tally(scope.key, pairs, checks)
        if scope.key == OVERALL:
            counts += kept
        scope_rows, scope_below, scope_not_shown = _scope_rows(
            scope, counts, replicates=replicates, seed=seed, named_pairs=named_pairs
        )
        rows += scope_rows
        below += scope_below
        not_shown += scope_not_shown
    return PeriodAgreement(
        months=tuple(month_list),
        rows=tuple(rows),
        paired_cases=paired_cases,
        qa_checks=qa_checks,
        minimum=settings.ESTIMATE_SUPPRESS_UNDER,
        rater_pairs_below_minimum=below,
        rater_pairs_not_shown=not_shown,
    )


def _scope_rows(
    scope: Scope, counts: Tally, *, replicates: int, seed: int, named_pairs: int | None
) -> tuple[list[AgreementRow], int, int]:
    """One scope's rows: kappa and alpha of each source, and kappa for the named pairs of
    raters (overall only); with how many pairs were below the minimum and not shown."""
    minimum = settings.ESTIMATE_SUPPRESS_UNDER
    rank = {value: i + 1 for i, (value, _) in enumerate(scope.levels)}
    rows: list[AgreementRow] = []

    def add(source: str, statistic: str, data: Counter, raters: str = "") -> None:
        k = len(scope.levels)
        # The kinds of case in an order of their own (not the order the rows came in), so the
        # same cases give the same bootstrap draws counted live or read from the summary.
        kinds = sorted(data.items(), key=lambda item: [0 if v is None else v for v in item[0]])
        cases = sum(data.values())
        agreement = None
        if cases >= minimum and k >= 2:
            measure = kappa_agreement if statistic == "kappa" else alpha_agreement
            agreement = measure(
                [kind for kind, _ in kinds],
                counts=[n for _, n in kinds],
                categories=k,
                replicates=replicates,
                seed=seed,
            )
        rows.append(
            AgreementRow(source, statistic, scope.key, scope.title, cases, agreement, raters)
        )

    items: dict[str, Counter] = {"paired": Counter(), "qa": Counter()}
    named: dict[str, dict[tuple, Counter]] = {
        "paired": defaultdict(Counter),
        "qa": defaultdict(Counter),
    }
    for (source, first, second, a, b), n in counts.pairs.items():
        ra, rb = rank.get(a), rank.get(b)
        if ra is None or rb is None:
            continue
        items[source][(ra, rb)] += n
        # Two auditors in either order are one pair; an auditor and a QA officer are not.
        key = tuple(sorted((first, second))) if source == "paired" else (first, second)
        named[source][key][(ra, rb)] += n
    units: dict[str, Counter] = {"paired": Counter(), "all": Counter()}
    for (source, grades), n in counts.units.items():
        ranked = tuple(rank.get(g) for g in grades)
        if sum(r is not None for r in ranked) >= 2:
            units[source][ranked] += n
    add("paired", "kappa", items["paired"])
    add("paired", "alpha", units["paired"])
    add("qa", "kappa", items["qa"])
    add("qa", "alpha", items["qa"])
    add("all", "alpha", units["all"])
    below = not_shown = 0
    if scope.key == OVERALL:
        for source in ("paired", "qa"):
            shown = 0
            names = counts.names
            ordered = sorted(
                named[source].items(),
                key=lambda i: (
                    -sum(i[1].values()),
                    names.get(i[0][0], ""),
                    names.get(i[0][1], ""),
                    i[0],
                ),
            )
            for (first, second), data in ordered:
                if sum(data.values()) < minimum:
                    below += 1
                    continue
                if named_pairs is not None and shown >= named_pairs:
                    not_shown += 1
                    continue
                add(
                    source,
                    "kappa",
                    data,
                    raters=f"{names.get(first, '')} and {names.get(second, '')}",
                )
                shown += 1
    return rows, below, not_shown


def kept_tally(months: list[dt.date]):
    """The overall grades of these months kept in the summary of closed months, counted (a
    `Tally`), with their numbers of paired cases and QA checks and the form versions graded
    (three queries: the rows, the months, the raters' names)."""
    out = Tally()
    separator = AgreementSummary.GRADE_SEPARATOR
    rows = (
        AgreementSummary.objects.filter(month__in=months)
        .values_list("kind", "source", "first", "second", "grades")
        .annotate(n=Sum("cases"))
        .order_by()
    )
    for kind, source, first, second, grades, n in rows:
        if kind == AgreementSummary.Kind.PAIR:
            out.pairs[(source, first, second, *grades.split(separator))] += n
        else:
            out.units[(source, tuple(grades.split(separator)))] += n
    counted: dict = {"paired_cases": 0, "qa_checks": 0, "versions": set()}
    for agreement in SummaryMonth.objects.filter(month__in=months).values_list(
        "agreement", flat=True
    ):
        counted["paired_cases"] += agreement.get("paired_cases", 0)
        counted["qa_checks"] += agreement.get("qa_checks", 0)
        counted["versions"] |= set(agreement.get("versions", []))
    raters = {key[i] for key in out.pairs for i in (1, 2)}
    out.names = dict(User.objects.filter(id__in=raters).values_list("id", "full_name"))
    return out, counted
