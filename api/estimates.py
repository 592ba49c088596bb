"""Monthly estimates of the quality of practice across every open case, with intervals
(Bury 2.1; SPEC §3, §10), for the API's estimates dataset.

Each month's confirmed sample is a stratified random sample of the frame: stratum h held
N_h open cases and the audits finished in it are n_h. For each grade of the overall scale,
the share of all open cases at that grade or better is estimated with Cochran's stratified
estimator, p = Σ (N_h / N) p_h, with the finite population correction.

The estimator itself is `reporting.statistics.stratified_proportion` (issue 12: Korn-
Graubard intervals) whenever that module is installed. Without it this module computes the
same point estimate and standard error itself, with a Wilson interval on the effective
sample size, and says so in each row's `method`, so a reader always knows which interval
they are looking at. `monthly_estimates` is the one function the API calls.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from audits import lifecycle
from audits.models import Audit
from audits.selectors import final_grade
from sampling.models import Sample, SampleKind, SampleStatus

from .datasets import Periods

CONFIDENCE = 0.95
# Under these the estimate is flagged as low precision (the NCHS standards' limits).
MIN_EFFECTIVE_N = 30
MAX_WIDTH = 0.30

COLUMNS = [
    "period",
    "form",
    "measure",
    "grade",
    "grade_label",
    "estimate",
    "lower",
    "upper",
    "standard_error",
    "effective_n",
    "sample_share",
    "audited",
    "drawn",
    "population",
    "population_covered",
    "strata",
    "method",
    "low_precision",
]


@dataclass(frozen=True)
class _Stratum:
    population: int
    sampled: int
    successes: int


@dataclass(frozen=True)
class _Estimate:
    proportion: float
    lower: float
    upper: float
    standard_error: float
    effective_n: float
    degrees_of_freedom: int


def _estimator():
    """(Stratum, stratified_proportion, method name): issue 12's module, else our own."""
    try:
        from reporting.statistics import Stratum, stratified_proportion
    except ImportError:
        return _Stratum, _wilson_stratified, "wilson (effective n)"
    return Stratum, stratified_proportion, "korn-graubard"


def _wilson_stratified(strata: list[_Stratum], *, confidence: float = CONFIDENCE) -> _Estimate:
    """Cochran's stratified proportion with the finite population correction, and a Wilson
    interval on the effective sample size (never zero-wide)."""
    total = sum(s.population for s in strata)
    proportion = 0.0
    variance = 0.0
    for s in strata:
        weight = s.population / total
        p_h = s.successes / s.sampled
        proportion += weight * p_h
        if s.sampled > 1:
            fpc = 1 - s.sampled / s.population
            variance += weight**2 * fpc * p_h * (1 - p_h) / (s.sampled - 1)
    audited = sum(s.sampled for s in strata)
    effective = proportion * (1 - proportion) / variance if variance > 0 else float(audited)
    effective = max(min(effective, float(audited)), 1.0)
    z = _z(confidence)
    denominator = 1 + z**2 / effective
    centre = (proportion + z**2 / (2 * effective)) / denominator
    half = (
        z
        * math.sqrt(proportion * (1 - proportion) / effective + z**2 / (4 * effective**2))
        / denominator
    )
    return _Estimate(
        proportion=proportion,
        lower=max(0.0, centre - half),
        upper=min(1.0, centre + half),
        standard_error=math.sqrt(variance),
        effective_n=effective,
        degrees_of_freedom=max(audited - len(strata), 1),
    )


def _z(confidence: float) -> float:
    # The normal quantile by bisection on erf: no scipy needed for one number.
    target = (1 + confidence) / 2
    low, high = 0.0, 10.0
    for _ in range(80):
        mid = (low + high) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _finished_grades(samples: list[Sample]) -> dict[int, dict[int, tuple[Audit, str]]]:
    """For each sample, each audited case's finished audit and the grade that stands (one
    audit a case: a paired case's lead audit carries the consensus, Bury 8.1)."""
    audits = (
        Audit.objects.filter(
            allocation__sample__in=samples, status__in=lifecycle.FINISHED, overall_grade__gt=""
        )
        .select_related("allocation", "form_version__template", "consensus")
        .prefetch_related("moderations")
        .order_by("allocation__sample_id", "allocation__case_id", "id")
    )
    found: dict[int, dict[int, tuple[Audit, str]]] = defaultdict(dict)
    for audit in audits:
        per_case = found[audit.allocation.sample_id]
        grade = final_grade(audit)
        # The lead audit of a pair holds the consensus; otherwise the first audit counts.
        if audit.allocation.case_id not in per_case or hasattr(audit, "consensus"):
            per_case[audit.allocation.case_id] = (audit, grade)
    return found


def monthly_estimates(*, span: Periods) -> list[dict[str, Any]]:
    """For each month's confirmed sample and each grade of its form's overall scale: the
    estimated share of all open cases graded at that level or better, its interval, and the
    raw share of the audits behind it. Strata and N_h are the sample's as drawn; strata
    with no finished audit are left out, and the population they cover is reported. A fixed
    number of queries (three) whatever the span."""
    Stratum, estimate, method = _estimator()
    samples = list(
        span.filter(
            Sample.objects.filter(kind=SampleKind.MONTHLY, status=SampleStatus.CONFIRMED),
            "period",
        )
        .order_by("period")
        .prefetch_related("sample_cases")
    )
    graded = _finished_grades(samples)
    rows: list[dict[str, Any]] = []
    for sample in samples:
        population = {r["stratum"]: int(r["frame"]) for r in sample.strata_table}
        stratum_of = {sc.case_id: sc.stratum for sc in sample.sample_cases.all()}
        by_form: dict[str, list[tuple[str, Audit, str]]] = defaultdict(list)
        for case_id, (audit, grade) in graded.get(sample.pk, {}).items():
            if case_id in stratum_of:
                by_form[audit.form_version.template.key].append((stratum_of[case_id], audit, grade))
        for form, audited in sorted(by_form.items()):
            definition = audited[0][1].definition
            levels = definition["scales"][definition["overall"]["scale"]]
            rank = {level["value"]: i for i, level in enumerate(levels)}
            sampled: dict[str, int] = defaultdict(int)
            for stratum, _, _ in audited:
                sampled[stratum] += 1
            covered = [h for h in sampled if population.get(h)]
            # The worst level "or better" is everyone: it says nothing.
            for i, level in enumerate(levels[:-1]):
                successes: dict[str, int] = defaultdict(int)
                for stratum, _, grade in audited:
                    if rank.get(grade, len(levels)) <= i:
                        successes[stratum] += 1
                strata = [
                    Stratum(population=population[h], sampled=sampled[h], successes=successes[h])
                    for h in covered
                ]
                if not strata:
                    continue
                result = estimate(strata, confidence=CONFIDENCE)
                n = sum(sampled[h] for h in covered)
                width = result.upper - result.lower
                rows.append(
                    {
                        "period": sample.period.strftime("%Y-%m"),
                        "form": form,
                        "measure": f"Overall: {level['label']} or better",
                        "grade": level["value"],
                        "grade_label": level["label"],
                        "estimate": round(result.proportion, 4),
                        "lower": round(result.lower, 4),
                        "upper": round(result.upper, 4),
                        "standard_error": round(result.standard_error, 4),
                        "effective_n": round(result.effective_n, 1),
                        "sample_share": round(sum(successes.values()) / n, 4),
                        "audited": n,
                        "drawn": len(stratum_of),
                        "population": sum(population.values()),
                        "population_covered": sum(population[h] for h in covered),
                        "strata": len(covered),
                        "method": method,
                        "low_precision": result.effective_n < MIN_EFFECTIVE_N or width > MAX_WIDTH,
                    }
                )
    return rows
