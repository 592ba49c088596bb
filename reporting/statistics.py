"""What a stratified sample of audits says about every open case, and how far two auditors
agree: the statistics the reports, the dashboards, the API and the benchmarks share.

Pure: numpy and scipy, nothing of Django, nothing of ours. (SPEC §3 and §10, Bury 2.1 and
8.1.)

Estimates
---------
`stratified_proportion` takes one `Stratum` per stratum of the draw: its population N_h (the
cases in the frame), n_h (the audits finished in it) and how many of those meet the
criterion. The estimate is Cochran's stratified estimator

    p = Σ W_h p_h,   W_h = N_h / N,

with the variance of stratified simple random sampling without replacement,

    v(p) = Σ W_h² (1 − n_h/N_h) s_h² / n_h,   s_h² = n_h p_h (1 − p_h) / (n_h − 1).

A census stratum (n_h = N_h) adds no variance. A stratum with one audit cannot estimate its
own s_h², so it borrows the whole sample's (unweighted) s²; for the degrees of freedom such
strata count as if collapsed in pairs.

The interval (`method="korn-graubard"`, the default) is Korn and Graubard's (1998), as the
NCHS data presentation standards for proportions (2017) apply it: the Clopper–Pearson
interval on the effective sample size n_eff = p(1 − p) / v(p) (the actual n when p is 0 or
1, and never more than the actual n), scaled by (t_{n−1} / t_df)² where df is the number of
audits less the number of strata. `"wilson"` is Wilson's score interval on n_eff; `"wald"`
(p ± z·SE) is there only to show why it is not used: at p = 0 it is zero wide. Korn–Graubard
and Wilson never give a zero-wide interval: none Good out of 70 still has an upper bound.

Agreement
---------
`weighted_kappa` is Cohen's weighted kappa for two raters (quadratic or linear weights);
`krippendorff_alpha` is Krippendorff's ordinal alpha for any number of raters with missing
grades; `bootstrap_interval` gives a percentile interval for either by resampling cases.
Grades are ordered integers 1..categories (1 the best, or the worst: only the order matters).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

METHODS = ("korn-graubard", "wilson", "wald")


@dataclass(frozen=True)
class Stratum:
    """One stratum of a draw: N_h, n_h (audits finished in it) and how many of them meet
    the criterion."""

    population: int
    sampled: int
    successes: int

    def __post_init__(self) -> None:
        if self.sampled < 0 or self.successes < 0 or self.population < 0:
            raise ValueError("A stratum's counts cannot be negative.")
        if self.successes > self.sampled:
            raise ValueError("A stratum cannot have more successes than audits.")
        if self.sampled > self.population:
            raise ValueError("A stratum cannot have more audits than cases.")


@dataclass(frozen=True)
class Estimate:
    """A population proportion with its interval. `effective_n` is the sample size the
    interval was computed on (after the degrees-of-freedom adjustment for Korn–Graubard);
    `sampled` the audits it rests on; `population` the cases of the strata it covers."""

    proportion: float
    lower: float
    upper: float
    standard_error: float
    effective_n: float
    degrees_of_freedom: int
    sampled: int = 0
    population: int = 0
    method: str = "korn-graubard"
    confidence: float = 0.95

    @property
    def width(self) -> float:
        return self.upper - self.lower


def degrees_of_freedom(strata: Sequence[Stratum]) -> int:
    """Audits less strata (NCHS: PSUs less strata), strata of one audit counted as if
    collapsed in pairs; at least 1."""
    return _degrees_of_freedom([s.sampled for s in strata if s.sampled > 0])


def _degrees_of_freedom(sampled: Sequence[int]) -> int:
    n = sum(sampled)
    singles = sum(1 for k in sampled if k == 1)
    groups = len(sampled) - singles + math.ceil(singles / 2)
    return max(1, n - groups)


@functools.cache
def _normal_quantile(q: float) -> float:
    """The normal distribution's quantile (kept: a dashboard asks for the same few hundreds
    of times, and each costs SciPy a tenth of a millisecond)."""
    return float(stats.norm.ppf(q))


@functools.cache
def _t_quantile(q: float, df: int) -> float:
    return float(stats.t.ppf(q, df))


def _clopper_pearson(x: float, n: float, alpha: float) -> tuple[float, float]:
    lower = 0.0 if x <= 0 else float(stats.beta.ppf(alpha / 2, x, n - x + 1))
    upper = 1.0 if x >= n else float(stats.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return lower, upper


def _wilson(p: float, n: float, z: float) -> tuple[float, float]:
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def stratified_proportion(
    strata: Sequence[Stratum], *, confidence: float = 0.95, method: str = "korn-graubard"
) -> Estimate:
    """Cochran's stratified estimate of a population proportion with its interval (see the
    module's docstring). Strata with no audit are left out: the estimate describes the
    population of the strata that have one, which `Estimate.population` gives."""
    return stratified_counts(
        [(s.population, s.sampled, s.successes) for s in strata],
        confidence=confidence,
        method=method,
    )


def stratified_counts(
    strata: Sequence[tuple[int, int, int]],
    *,
    confidence: float = 0.95,
    method: str = "korn-graubard",
) -> Estimate:
    """`stratified_proportion` from each stratum's (N_h, n_h, successes), already valid as a
    `Stratum` would check them: the dashboard estimates from thousands of strata, and making
    a `Stratum` of each cost more than the arithmetic."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}: choose one of {', '.join(METHODS)}.")
    if not 0 < confidence < 1:
        raise ValueError("The confidence level must be between 0 and 1.")
    counts = np.asarray(strata, dtype=np.int64).reshape(-1, 3)
    used = counts[counts[:, 1] > 0]
    n = int(used[:, 1].sum())
    if not n:
        raise ValueError("No stratum has an audit: there is nothing to estimate from.")
    population = int(used[:, 0].sum())
    successes = int(used[:, 2].sum())
    share = successes / n
    pooled = n * share * (1 - share) / (n - 1) if n > 1 else 0.25
    big_n, k, x = (used[:, i].astype(float) for i in range(3))
    weight = big_n / population
    p = float((weight * x / k).sum())
    p = min(1.0, max(0.0, p))
    # s_h², or the pooled s² for a stratum of one audit.
    p_h = x / k
    with np.errstate(divide="ignore", invalid="ignore"):
        unit = np.where(k < 2, pooled, k * p_h * (1 - p_h) / (k - 1))
    variance = float((weight * weight * (1 - k / big_n) * unit / k).sum())
    se = math.sqrt(variance)
    df = _degrees_of_freedom(used[:, 1].tolist())
    alpha = 1 - confidence
    z = _normal_quantile(1 - alpha / 2)
    # NCHS: the effective sample size is the actual one when p is 0 or 1 (no variance to
    # divide by), and never more than the actual one.
    n_eff = p * (1 - p) / variance if variance > 0 and 0 < p < 1 else float(n)
    n_eff = min(n_eff, float(n))
    used_n = n_eff
    if method == "wald":
        lower, upper = max(0.0, p - z * se), min(1.0, p + z * se)
    elif method == "wilson":
        lower, upper = _wilson(p, n_eff, z)
    else:
        if n > 1 and df < n - 1:
            ratio = _t_quantile(1 - alpha / 2, n - 1) / _t_quantile(1 - alpha / 2, df)
            used_n = n_eff * float(ratio) ** 2
        lower, upper = _clopper_pearson(p * used_n, used_n, alpha)
    return Estimate(
        proportion=p,
        lower=lower,
        upper=upper,
        standard_error=se,
        effective_n=used_n,
        degrees_of_freedom=df,
        sampled=n,
        population=population,
        method=method,
        confidence=confidence,
    )


# Agreement ---------------------------------------------------------------------------------


def _check_grades(values: Sequence[int | None], categories: int) -> None:
    for value in values:
        if value is not None and not (
            isinstance(value, int | np.integer) and 1 <= value <= categories
        ):
            raise ValueError(f"A grade must be a whole number from 1 to {categories}: {value!r}.")


def weighted_kappa(
    first: Sequence[int],
    second: Sequence[int],
    *,
    categories: int,
    weights: str = "quadratic",
    counts: Sequence[int] | None = None,
) -> float:
    """Cohen's weighted kappa for two raters' grades of the same cases, grades 1..categories
    (with `counts`, each pair of grades stands for that many cases).

    Agreement weights 1 − (i − j)² / (k − 1)² (quadratic) or 1 − |i − j| / (k − 1) (linear);
    κ = (p_o − p_e) / (1 − p_e). NaN when it cannot be computed: no cases, or both raters
    gave every case the same single grade (p_e = 1)."""
    if len(first) != len(second):
        raise ValueError("The two raters must grade the same cases.")
    if categories < 2:
        raise ValueError("Agreement needs at least two categories.")
    if weights not in ("quadratic", "linear"):
        raise ValueError("Weights are 'quadratic' or 'linear'.")
    _check_grades(first, categories)
    _check_grades(second, categories)
    if not first:
        return math.nan
    k = categories
    a = np.asarray(first, dtype=int) - 1
    b = np.asarray(second, dtype=int) - 1
    weights_of = None if counts is None else np.asarray(counts, dtype=float)
    total = len(a) if weights_of is None else weights_of.sum()
    observed = np.bincount(a * k + b, weights=weights_of, minlength=k * k).reshape(k, k) / total
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    distance = np.abs(np.subtract.outer(np.arange(k), np.arange(k))) / (k - 1)
    agreement = 1 - (distance**2 if weights == "quadratic" else distance)
    p_o = float((agreement * observed).sum())
    p_e = float((agreement * expected).sum())
    if math.isclose(p_e, 1.0):
        return math.nan
    return (p_o - p_e) / (1 - p_e)


def _unit_coincidences(values: tuple[int, ...], k: int) -> np.ndarray:
    """One pairable unit's ordered pairs of values (0-based, sorted), weighted 1 / (m − 1)."""
    counts = np.bincount(values, minlength=k).astype(float)
    return (np.outer(counts, counts) - np.diag(counts)) / (len(values) - 1)


def _unit_keys(units: Sequence[Sequence[int | None]]) -> list[tuple[int, ...] | None]:
    """Each unit as the sorted tuple of its values (0-based), None when not pairable: units
    alike have the same coincidences, so each kind is worked out once."""
    keys = []
    for unit in units:
        values = tuple(sorted(v - 1 for v in unit if v is not None))
        keys.append(values if len(values) >= 2 else None)
    return keys


def _coincidences(
    units: Sequence[Sequence[int | None]], k: int, counts: Sequence[int] | None = None
) -> np.ndarray:
    """Krippendorff's coincidence matrix o_ck: each pairable unit's ordered pairs of values,
    weighted 1 / (m_u − 1) (and by how many cases it stands for, with `counts`)."""
    kinds: Counter = Counter()
    for key, n in zip(_unit_keys(units), counts or [1] * len(units), strict=True):
        if key is not None:
            kinds[key] += n
    matrix = np.zeros((k, k))
    for key, n in kinds.items():
        matrix += n * _unit_coincidences(key, k)
    return matrix


def _ordinal_delta(marginals: np.ndarray) -> np.ndarray:
    """Krippendorff's ordinal metric δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², for one
    set of marginals (k,) or a batch (b, k)."""
    k = marginals.shape[-1]
    cumulative = np.concatenate(
        (np.zeros(marginals.shape[:-1] + (1,)), np.cumsum(marginals, axis=-1)), axis=-1
    )
    index = np.arange(k)
    low, high = np.minimum.outer(index, index), np.maximum.outer(index, index)
    between = cumulative[..., high + 1] - cumulative[..., low]
    halves = (marginals[..., :, None] + marginals[..., None, :]) / 2
    return (between - halves) ** 2


def _alphas(matrices: np.ndarray) -> np.ndarray:
    """Ordinal alpha for a batch of coincidence matrices (b, k, k); NaN where it cannot be
    computed (fewer than two values, or no variation)."""
    marginals = matrices.sum(axis=2)
    n = marginals.sum(axis=1)
    delta = _ordinal_delta(marginals)
    expected = (marginals[:, :, None] * marginals[:, None, :] * delta).sum(axis=(1, 2))
    observed = (matrices * delta).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        alphas = 1 - (n - 1) * observed / expected
    return np.where((n < 2) | (expected == 0), np.nan, alphas)


def _alpha_from_coincidences(matrix: np.ndarray) -> float:
    return float(_alphas(matrix[None, :, :])[0])


def krippendorff_alpha(
    units: Sequence[Sequence[int | None]],
    *,
    categories: int,
    counts: Sequence[int] | None = None,
) -> float:
    """Krippendorff's alpha with the ordinal metric. `units` holds one list per case of
    each rater's grade, None where a rater gave none, so pairs, threes and missing grades
    all serve. Cases with fewer than two grades are not pairable and are left out. NaN when
    nothing varies (every grade the same) or nothing is pairable. With `counts`, each unit
    stands for that many cases."""
    if categories < 2:
        raise ValueError("Agreement needs at least two categories.")
    for unit in units:
        _check_grades(unit, categories)
    return _alpha_from_coincidences(_coincidences(units, categories, counts))


# Intervals for agreement ---------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """An agreement statistic with its bootstrap interval and the number of cases."""

    value: float
    lower: float
    upper: float
    cases: int
    statistic: str

    @property
    def band(self) -> str:
        return landis_koch_band(self.value)


def bootstrap_interval(
    statistic: Callable[[list[Any]], float],
    units: Sequence[Any],
    *,
    confidence: float = 0.95,
    replicates: int = 1000,
    seed: int = 12,
) -> tuple[float, float]:
    """A percentile bootstrap interval for `statistic(units)`: the units (cases) are drawn
    with replacement `replicates` times. Replicates where the statistic cannot be computed
    (NaN) are dropped; NaN bounds when fewer than two units or no replicate is usable.
    Seeded, so the same data give the same interval."""
    units = list(units)
    if len(units) < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(units), size=(replicates, len(units)))
    values = np.array([statistic([units[i] for i in row]) for row in draws], dtype=float)
    return _percentiles(values, confidence)


# Above this many units the bootstrap draws how many times each distinct unit is taken
# (a multinomial over them) rather than every unit of every replicate: the same distribution,
# seeded, at a cost that no longer grows with the number of units.
MULTINOMIAL_ABOVE = 1000


def _resampled_totals(
    per_unit: np.ndarray, replicates: int, seed: int, counts: np.ndarray | None = None
) -> np.ndarray:
    """Bootstrap replicates of the sum over units of each unit's row of `per_unit`: units
    drawn with replacement, counted, and the counts multiplied through. Units alike (a
    grade pair, a case's coincidences) are counted together; over `MULTINOMIAL_ABOVE` units
    the counts of each kind are drawn at once. With `counts`, each row stands for that many
    units (the same draws as the rows repeated in place)."""
    rng = np.random.default_rng(seed)
    kinds, kind_of = np.unique(per_unit, axis=0, return_inverse=True)
    kind_of = kind_of.ravel()
    if counts is not None:
        kind_of = np.repeat(kind_of, counts)
    units = len(kind_of)
    if units > MULTINOMIAL_ABOVE:
        shares = np.bincount(kind_of, minlength=len(kinds)) / units
        drawn = rng.multinomial(units, shares, size=replicates)
    else:
        draws = rng.integers(0, units, size=(replicates, units))
        offsets = np.arange(replicates)[:, None] * len(kinds)
        drawn = np.bincount(
            (kind_of[draws] + offsets).ravel(), minlength=replicates * len(kinds)
        ).reshape(replicates, len(kinds))
    return drawn @ kinds


def _percentiles(values: np.ndarray, confidence: float) -> tuple[float, float]:
    values = values[~np.isnan(values)]
    if not len(values):
        return math.nan, math.nan
    alpha = 1 - confidence
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def kappa_agreement(
    pairs: Sequence[tuple[int, int]],
    *,
    categories: int,
    weights: str = "quadratic",
    confidence: float = 0.95,
    replicates: int = 1000,
    seed: int = 12,
    counts: Sequence[int] | None = None,
) -> Agreement:
    """Weighted kappa over (first, second) grade pairs, with its percentile bootstrap
    interval (cases resampled; the same as `bootstrap_interval` with `weighted_kappa`, worked
    out on every replicate's confusion matrix at once). With `counts`, each pair stands for
    that many cases (the same figures as the pairs repeated in place)."""
    pairs = list(pairs)
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    value = weighted_kappa(first, second, categories=categories, weights=weights, counts=counts)
    name = f"weighted kappa ({weights})"
    cases = len(pairs) if counts is None else int(sum(counts))
    if cases < 2:
        return Agreement(value, math.nan, math.nan, cases, name)
    k = categories
    codes = (np.asarray(first) - 1) * k + (np.asarray(second) - 1)
    per_unit = np.eye(k * k)[codes]
    observed = _resampled_totals(per_unit, replicates, seed, counts).reshape(-1, k, k) / cases
    distance = np.abs(np.subtract.outer(np.arange(k), np.arange(k))) / (k - 1)
    agreement = 1 - (distance**2 if weights == "quadratic" else distance)
    p_o = (observed * agreement).sum(axis=(1, 2))
    p_e = np.einsum("bi,ij,bj->b", observed.sum(axis=2), agreement, observed.sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(np.isclose(p_e, 1.0), np.nan, (p_o - p_e) / (1 - p_e))
    lower, upper = _percentiles(values, confidence)
    return Agreement(value, lower, upper, cases, name)


def alpha_agreement(
    units: Sequence[Sequence[int | None]],
    *,
    categories: int,
    confidence: float = 0.95,
    replicates: int = 1000,
    seed: int = 12,
    counts: Sequence[int] | None = None,
) -> Agreement:
    """Ordinal alpha with its percentile bootstrap interval (cases resampled). The
    coincidences of each case are worked out once, so each replicate only adds them up.
    With `counts`, each unit stands for that many cases."""
    counts = [1] * len(units) if counts is None else list(counts)
    kept = [
        (unit, n)
        for unit, n in zip(units, counts, strict=True)
        if sum(v is not None for v in unit) >= 2
    ]
    pairable, weights = [u for u, _ in kept], [n for _, n in kept]
    for unit in pairable:
        _check_grades(unit, categories)
    value = krippendorff_alpha(pairable, categories=categories, counts=weights)
    cases = sum(weights)
    if cases < 2:
        return Agreement(value, math.nan, math.nan, cases, "ordinal alpha")
    keys = _unit_keys(pairable)
    kinds = {key: _unit_coincidences(key, categories).ravel() for key in set(keys)}
    per_unit = np.array([kinds[key] for key in keys])
    totals = _resampled_totals(per_unit, replicates, seed, np.asarray(weights))
    values = _alphas(totals.reshape(-1, categories, categories))
    lower, upper = _percentiles(values, confidence)
    return Agreement(value, lower, upper, cases, "ordinal alpha")


LANDIS_KOCH = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


def landis_koch_band(value: float) -> str:
    """Landis and Koch's (1977) words for a kappa: a guide to reading it, not a verdict."""
    if math.isnan(value):
        return "not computable"
    if value < 0:
        return "poor"
    for limit, word in LANDIS_KOCH[1:]:
        if value <= limit:
            return word
    return "almost perfect"
