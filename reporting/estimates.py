"""What each month's confirmed sample says about every open case: the share at each grade
"or better", overall and for each section, as a population estimate with its interval beside
the raw share of the sample (SPEC §3, §10; Bury 2.1).

The interface pages, commands and the dashboards build on (all reads, a fixed number of
queries whatever the size of the sample):

- ``period_estimates(period=…, months=1)`` → `PeriodEstimates`: the months ending with
  `period`, their strata as drawn (N_h, cases drawn, audited, not audited) and one `Measure`
  for each grade threshold of the overall grade and of each section.
- ``months_ending(period, months)``: the first days of those months.
- ``estimate_limits()`` → `Limits`: when an estimate is withheld or flagged (settings).

How the figures are made (the methodology page says it in plain words):

- Each month's sample is its own stratified design. Its strata and their frame sizes N_h
  are the ones stored at the draw (`Sample.strata_table`); a case counts once it has a
  finished audit (with the team manager or closed), graded as it stands: the moderator's
  overall grade, else the pair's consensus, else the auditor's own. Cases drawn but not
  audited lower n_h, and are counted and shown: within a stratum, the audited cases stand
  for the stratum.
- Over several months each month × stratum is a stratum of its own, with that month's N_h:
  the estimate is then the share of case-months, each month weighted by its frame.
- A section that applies to some cases only (Hillingdon 4.7) is a domain: in each stratum
  its population is taken as N_h × (audits with the section) / (audits).
- A measure with fewer audits than `ESTIMATE_SUPPRESS_UNDER` gets no estimate; one whose
  effective sample size is under `ESTIMATE_LOW_PRECISION_EFFECTIVE_N` or whose interval is
  wider than `ESTIMATE_LOW_PRECISION_WIDTH` points is flagged as of low precision (the NCHS
  data presentation standards for proportions, 2017, simplified).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery

from audits import lifecycle
from audits.models import Audit, FormVersion, Moderation, SectionAnswer
from sampling.models import Sample, SampleCase, SampleKind, SampleStatus

from .statistics import Estimate, Stratum, stratified_proportion

OVERALL = "overall"


@dataclass(frozen=True)
class Limits:
    suppress_under: int  # audits
    min_effective_n: float
    max_width: float  # as a proportion: 0.30 is 30 points


def estimate_limits() -> Limits:
    return Limits(
        suppress_under=settings.ESTIMATE_SUPPRESS_UNDER,
        min_effective_n=settings.ESTIMATE_LOW_PRECISION_EFFECTIVE_N,
        max_width=settings.ESTIMATE_LOW_PRECISION_WIDTH / 100,
    )


def months_ending(period: dt.date, months: int = 1) -> list[dt.date]:
    """The first days of the `months` months ending with `period`'s month, oldest first."""
    if months < 1:
        raise ValueError("At least one month.")
    first = period.replace(day=1)
    out = []
    for back in range(months - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        out.append(dt.date(index // 12, index % 12 + 1, 1))
    return out


@dataclass(frozen=True)
class StratumRow:
    """One stratum of one month's draw: its frame N_h, the cases drawn from it and how many
    of them have a finished audit."""

    period: dt.date
    stratum: str
    population: int
    drawn: int
    audited: int

    @property
    def not_audited(self) -> int:
        return self.drawn - self.audited


@dataclass(frozen=True)
class Measure:
    """The share of audits at a grade (or better) for the overall grade or one section."""

    scope: str  # "overall" or the section's key
    scope_title: str
    level: str  # the grade's value on its scale
    label: str  # "Good or better", "Inadequate", "Partially met or better"
    audits: int
    meeting: int
    estimate: Estimate | None  # None: withheld, fewer audits than the limit
    low_precision: bool = False

    @property
    def raw_share(self) -> float | None:
        return self.meeting / self.audits if self.audits else None

    @property
    def suppressed(self) -> bool:
        return self.estimate is None


@dataclass(frozen=True)
class PeriodEstimates:
    months: tuple[dt.date, ...]
    months_without_sample: tuple[dt.date, ...]
    strata: tuple[StratumRow, ...]
    measures: tuple[Measure, ...]
    method: str
    confidence: float
    limits: Limits

    @property
    def period(self) -> dt.date:
        return self.months[-1]

    @property
    def drawn(self) -> int:
        return sum(s.drawn for s in self.strata)

    @property
    def audited(self) -> int:
        return sum(s.audited for s in self.strata)

    @property
    def not_audited(self) -> int:
        return self.drawn - self.audited

    @property
    def population(self) -> int:
        return sum(s.population for s in self.strata)

    @property
    def population_without_audit(self) -> int:
        """Cases in strata where nothing was audited: outside every estimate."""
        return sum(s.population for s in self.strata if not s.audited)

    def overall(self) -> list[Measure]:
        return [m for m in self.measures if m.scope == OVERALL]

    def sections(self) -> dict[str, list[Measure]]:
        """Each section's measures, in the form's order, keyed by the section's key."""
        out: dict[str, list[Measure]] = {}
        for measure in self.measures:
            if measure.scope != OVERALL:
                out.setdefault(measure.scope, []).append(measure)
        return out


# Reading the graded sample --------------------------------------------------------------------


@dataclass
class Graded:
    """One sampled case's finished audit, with the grades that stand."""

    sample_id: int
    case_id: int
    form_version_id: int
    overall: str
    sections: dict[str, str] = field(default_factory=dict)


def confirmed_samples(months: Iterable[dt.date]) -> list[Sample]:
    return list(
        Sample.objects.filter(
            kind=SampleKind.MONTHLY, status=SampleStatus.CONFIRMED, period__in=list(months)
        )
        .only("id", "period", "strata_table")
        .order_by("period")
    )


def graded_cases(sample_ids: list[int]) -> list[Graded]:
    """Every case of the samples with a finished audit (two queries). A paired case counts
    once, by its consensus; the pair's other audits are kept for agreement only."""
    rows = (
        Audit.objects.filter(
            allocation__sample_id__in=sample_ids, status__in=list(lifecycle.FINISHED)
        )
        .filter(Q(allocation__pair_group__isnull=True) | Q(consensus__isnull=False))
        .annotate(
            # The last decided step of a dispute that set a grade stands (P&Q 22, Bradford 3).
            moderated_grade=Subquery(
                Moderation.objects.filter(audit=OuterRef("pk"), decided_at__isnull=False)
                .exclude(overall_grade="")
                .order_by("-decided_at", "-id")
                .values("overall_grade")[:1]
            )
        )
        .values(
            "id",
            "allocation__sample_id",
            "allocation__case_id",
            "form_version_id",
            "overall_grade",
            "consensus__overall_grade",
            "consensus__grades",
            "moderated_grade",
            "finished_at",
        )
        .order_by("finished_at", "id")
    )
    by_case: dict[tuple[int, int], tuple[int, Graded]] = {}
    for row in rows:
        overall = row["overall_grade"]
        if row["consensus__overall_grade"]:
            overall = row["consensus__overall_grade"]
        if row["moderated_grade"]:
            overall = row["moderated_grade"]
        graded = Graded(
            sample_id=row["allocation__sample_id"],
            case_id=row["allocation__case_id"],
            form_version_id=row["form_version_id"],
            overall=overall,
            sections=dict(row["consensus__grades"] or {}),
        )
        # The latest finished audit of a case in a sample is the one that stands.
        by_case[(graded.sample_id, graded.case_id)] = (row["id"], graded)
    own = {audit_id: g for audit_id, g in by_case.values() if not g.sections}
    for audit_id, key, grade in SectionAnswer.objects.filter(audit_id__in=list(own)).values_list(
        "audit_id", "key", "grade"
    ):
        if grade:
            own[audit_id].sections[key] = grade
    return [graded for _, graded in by_case.values()]


def definitions(version_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    return dict(FormVersion.objects.filter(id__in=set(version_ids)).values_list("id", "definition"))


@dataclass(frozen=True)
class Scope:
    """The overall grade or a section, with the scale (best first) its measures use."""

    key: str
    title: str
    levels: tuple[tuple[str, str], ...]  # (value, label)


def scopes(defs: dict[int, dict[str, Any]]) -> list[Scope]:
    """The overall grade, then every section, in the order of the newest form version;
    sections only older versions had come after."""
    out: dict[str, Scope] = {}
    for _, definition in sorted(defs.items(), reverse=True):
        # A form may have no overall grade, or a section no scale: those are not graded.
        scales = definition.get("scales", {})
        overall = definition.get("overall") or {}
        parts = [(OVERALL, "Overall grade", overall.get("scale"))]
        parts += [(s["key"], s["title"], s.get("scale")) for s in definition.get("sections", [])]
        for key, title, scale in parts:
            if scale not in scales:
                continue
            if key not in out:
                levels = tuple((lv["value"], lv["label"]) for lv in definition["scales"][scale])
                out[key] = Scope(key, title, levels)
    return list(out.values())


def level_labels(scope: Scope) -> list[tuple[int, str, str, bool]]:
    """The measures of a scale: each level "or better" but the last, then the last alone.
    (index, value, label, at-or-better)."""
    out = []
    last = len(scope.levels) - 1
    for index, (value, label) in enumerate(scope.levels):
        if index == 0:
            out.append((index, value, label, True))
        elif index < last:
            out.append((index, value, f"{label} or better", True))
        else:
            out.append((index, value, label, False))
    return out


def _grade(graded: Graded, scope: str) -> str:
    return graded.overall if scope == OVERALL else graded.sections.get(scope, "")


def _measure(
    *,
    scope: Scope,
    level: tuple[int, str, str, bool],
    strata: dict[tuple[int, str], list[Graded]],
    population: dict[tuple[int, str], int],
    limits: Limits,
    method: str,
    confidence: float,
) -> Measure:
    index, value, label, or_better = level
    ranks = {v: i for i, (v, _) in enumerate(scope.levels)}
    design = []
    audits = meeting = 0
    for key, cases in strata.items():
        graded = [ranks[g] for g in (_grade(c, scope.key) for c in cases) if g in ranks]
        if not graded:
            continue
        hits = sum(1 for r in graded if (r <= index if or_better else r == index))
        n_h, big_n = len(cases), population[key]
        # A section some cases do not have is a domain: its share of the stratum.
        domain = big_n if len(graded) == n_h else max(len(graded), round(big_n * len(graded) / n_h))
        design.append(Stratum(population=domain, sampled=len(graded), successes=hits))
        audits += len(graded)
        meeting += hits
    estimate = None
    low = False
    if audits and audits >= limits.suppress_under:
        estimate = stratified_proportion(design, confidence=confidence, method=method)
        low = estimate.effective_n < limits.min_effective_n or estimate.width > limits.max_width
    return Measure(scope.key, scope.title, value, label, audits, meeting, estimate, low)


def period_estimates(
    *,
    period: dt.date,
    months: int = 1,
    method: str = "korn-graubard",
    confidence: float = 0.95,
) -> PeriodEstimates:
    """The estimates for the months ending with `period` (see the module's docstring).
    Six queries whatever the size of the samples."""
    month_list = months_ending(period, months)
    samples = confirmed_samples(month_list)
    sample_ids = [s.pk for s in samples]
    drawn: dict[tuple[int, str], int] = defaultdict(int)
    stratum_of: dict[tuple[int, int], str] = {}
    for sample_id, case_id, stratum in SampleCase.objects.filter(
        sample_id__in=sample_ids
    ).values_list("sample_id", "case_id", "stratum"):
        drawn[(sample_id, stratum)] += 1
        stratum_of[(sample_id, case_id)] = stratum
    graded = [g for g in graded_cases(sample_ids) if (g.sample_id, g.case_id) in stratum_of]
    by_stratum: dict[tuple[int, str], list[Graded]] = defaultdict(list)
    for g in graded:
        by_stratum[(g.sample_id, stratum_of[(g.sample_id, g.case_id)])].append(g)
    population: dict[tuple[int, str], int] = {}
    rows = []
    for sample in samples:
        table = {row["stratum"]: row for row in sample.strata_table}
        names = sorted(set(table) | {name for sid, name in drawn if sid == sample.pk})
        for name in names:
            key = (sample.pk, name)
            frame = int(table.get(name, {}).get("frame") or drawn[key])
            population[key] = max(frame, drawn[key])
            rows.append(
                StratumRow(sample.period, name, population[key], drawn[key], len(by_stratum[key]))
            )
    limits = estimate_limits()
    measures = []
    for scope in scopes(definitions(g.form_version_id for g in graded)):
        for level in level_labels(scope):
            measures.append(
                _measure(
                    scope=scope,
                    level=level,
                    strata=by_stratum,
                    population=population,
                    limits=limits,
                    method=method,
                    confidence=confidence,
                )
            )
    with_sample = {s.period for s in samples}
    return PeriodEstimates(
        months=tuple(month_list),
        months_without_sample=tuple(m for m in month_list if m not in with_sample),
        strata=tuple(rows),
        measures=tuple(measures),
        method=method,
        confidence=confidence,
        limits=limits,
    )
