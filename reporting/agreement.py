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
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.conf import settings
from django.db.models.fields.json import KT

from audits.models import Audit, QACheck, SectionAnswer

from .estimates import OVERALL, Scope, definitions, months_ending, scopes
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


def _rank(scope: Scope, rating: _Rating) -> int | None:
    values = [v for v, _ in scope.levels]
    grade = rating.grade(scope.key)
    return values.index(grade) + 1 if grade in values else None


def period_agreement(
    *,
    period: dt.date,
    months: int = 1,
    replicates: int = 1000,
    seed: int = 12,
    sections: bool = True,
    named_pairs: int | None = None,
) -> PeriodAgreement:
    """Agreement for the months ending with `period` (see the module's docstring).
    `sections=False` gives the overall grade only (the dashboard's figures); `named_pairs`
    keeps the per-pair rows to the pairs of raters with the most cases (a national year has
    thousands, each with its own bootstrap)."""
    month_list = months_ending(period, months)
    minimum = settings.ESTIMATE_SUPPRESS_UNDER
    pairs, paired_versions = _paired(month_list, with_sections=sections)
    checks, qa_versions = _qa(month_list, with_sections=sections)
    rows: list[AgreementRow] = []
    below = not_shown = 0

    def add(source: str, statistic: str, scope: Scope, data: list, raters: str = "") -> None:
        k = len(scope.levels)
        agreement = None
        if len(data) >= minimum and k >= 2:
            if statistic == "kappa":
                agreement = kappa_agreement(data, categories=k, replicates=replicates, seed=seed)
            else:
                agreement = alpha_agreement(data, categories=k, replicates=replicates, seed=seed)
        rows.append(
            AgreementRow(source, statistic, scope.key, scope.title, len(data), agreement, raters)
        )

    all_scopes = scopes(definitions(paired_versions | qa_versions))
    if not sections:
        all_scopes = [s for s in all_scopes if s.key == OVERALL]
    for scope in all_scopes:
        # Paired auditors: every two auditors of a case, and each case's two or three.
        items, units = [], []
        by_pair: dict[tuple, list] = defaultdict(list)
        for ratings in pairs.values():
            ranks = [_rank(scope, r) for r in ratings]
            if sum(r is not None for r in ranks) >= 2:
                units.append(ranks)
            for (a, ra), (b, rb) in combinations(zip(ratings, ranks, strict=True), 2):
                if ra is not None and rb is not None:
                    items.append((ra, rb))
                    by_pair[tuple(sorted([(a.rater_id, a.rater), (b.rater_id, b.rater)]))].append(
                        (ra, rb)
                    )
        add("paired", "kappa", scope, items)
        add("paired", "alpha", scope, units)
        # Auditor and QA officer.
        qa_items = []
        by_officer: dict[tuple, list] = defaultdict(list)
        for _, own, theirs in checks:
            ra, rb = _rank(scope, own), _rank(scope, theirs)
            if ra is not None and rb is not None:
                qa_items.append((ra, rb))
                by_officer[((own.rater_id, own.rater), (theirs.rater_id, theirs.rater))].append(
                    (ra, rb)
                )
        add("qa", "kappa", scope, qa_items)
        add("qa", "alpha", scope, [list(i) for i in qa_items])
        # Every rater of each case: the pair's originals and any QA officer's grades.
        cases: dict[object, list[int | None]] = {
            group: [_rank(scope, r) for r in ratings] for group, ratings in pairs.items()
        }
        for case, own, theirs in checks:
            if case not in cases:
                cases[case] = [_rank(scope, own)]
            cases[case].append(_rank(scope, theirs))
        add("all", "alpha", scope, [u for u in cases.values() if sum(v is not None for v in u) > 1])
        if scope.key == OVERALL:
            for source, named in (("paired", by_pair), ("qa", by_officer)):
                shown = 0
                for (first, second), data in sorted(named.items(), key=lambda i: -len(i[1])):
                    if len(data) < minimum:
                        below += 1
                        continue
                    if named_pairs is not None and shown >= named_pairs:
                        not_shown += 1
                        continue
                    add(source, "kappa", scope, data, raters=f"{first[1]} and {second[1]}")
                    shown += 1
    return PeriodAgreement(
        months=tuple(month_list),
        rows=tuple(rows),
        paired_cases=len(pairs),
        qa_checks=len(checks),
        minimum=minimum,
        rater_pairs_below_minimum=below,
        rater_pairs_not_shown=not_shown,
    )
