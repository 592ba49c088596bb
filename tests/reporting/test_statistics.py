"""The statistics module: the stratified estimate and its intervals, and the agreement
statistics (SPEC §3, §10; Bury 2.1 "the estimate of the whole population's quality weights
each stratum by its share of the frame", Bury 8.1 paired audits)."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest
from scipy import stats as scipy_stats

from reporting.statistics import (
    Estimate,
    Stratum,
    alpha_agreement,
    bootstrap_interval,
    degrees_of_freedom,
    kappa_agreement,
    krippendorff_alpha,
    landis_koch_band,
    stratified_counts,
    stratified_proportion,
    weighted_kappa,
)

MODULE = Path(__file__).resolve().parents[2] / "reporting" / "statistics.py"


def test_statistics_module_imports_nothing_of_django_or_of_ours():
    """The dashboards, API and benchmarks call it without Django: numpy and scipy only."""
    tree = ast.parse(MODULE.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {
        "__future__",
        "functools",
        "math",
        "collections",
        "dataclasses",
        "typing",
        "numpy",
        "scipy",
    }


def test_stratified_estimate_weights_each_stratum_by_its_share_of_the_frame():
    """Bury 2.1: each stratum's share of audits meeting the criterion counts by N_h / N,
    not by how many audits it had."""
    strata = [Stratum(900, 10, 9), Stratum(100, 10, 1)]
    estimate = stratified_proportion(strata)
    assert estimate.proportion == pytest.approx(0.9 * 0.9 + 0.1 * 0.1)
    assert estimate.sampled == 20
    assert estimate.population == 1000


def test_variance_uses_the_finite_population_correction():
    """v = Σ W_h² (1 − n_h/N_h) s_h² / n_h with s_h² = n_h p_h(1 − p_h)/(n_h − 1)."""
    strata = [Stratum(40, 10, 4), Stratum(60, 20, 15)]
    estimate = stratified_proportion(strata)
    expected = (
        0.4**2 * (1 - 10 / 40) * (10 * 0.4 * 0.6 / 9) / 10
        + 0.6**2 * (1 - 20 / 60) * (20 * 0.75 * 0.25 / 19) / 20
    )
    assert estimate.standard_error == pytest.approx(math.sqrt(expected))
    assert estimate.degrees_of_freedom == 30 - 2


def test_korn_graubard_is_clopper_pearson_on_the_effective_sample_size_adjusted_for_df():
    """NCHS (2017): n* = n_eff (t_{n−1}/t_df)², then the Clopper–Pearson interval for
    x = p n* out of n*."""
    strata = [Stratum(400, 12, 5), Stratum(300, 9, 6), Stratum(300, 9, 2)]
    estimate = stratified_proportion(strata)
    p, se, n, df = estimate.proportion, estimate.standard_error, 30, 27
    n_eff = min(p * (1 - p) / se**2, n)  # never more than the actual n (NCHS)
    n_star = n_eff * (scipy_stats.t.ppf(0.975, n - 1) / scipy_stats.t.ppf(0.975, df)) ** 2
    assert estimate.effective_n == pytest.approx(n_star)
    x = p * n_star
    assert estimate.lower == pytest.approx(scipy_stats.beta.ppf(0.025, x, n_star - x + 1))
    assert estimate.upper == pytest.approx(scipy_stats.beta.ppf(0.975, x + 1, n_star - x))


def test_none_out_of_seventy_still_has_an_upper_bound():
    """No interval is ever zero-wide: none Good out of 70 is not "certainly none"."""
    for method in ("korn-graubard", "wilson"):
        estimate = stratified_proportion(
            [Stratum(2000, 40, 0), Stratum(1000, 30, 0)], method=method
        )
        assert estimate.proportion == 0
        assert estimate.lower == 0
        assert 0.03 < estimate.upper < 0.1
    all_good = stratified_proportion([Stratum(2000, 40, 40), Stratum(1000, 30, 30)])
    assert all_good.proportion == 1 and all_good.upper == 1 and all_good.lower < 0.97


def test_clopper_pearson_for_a_single_stratum_without_correction_matches_the_binomial():
    """With one stratum, a large frame and 0 < p < 1, n_eff is n − 1 (s² divides by n − 1)
    and the interval is within a few thousandths of the exact binomial one."""
    estimate = stratified_proportion([Stratum(10**9, 50, 20)])
    exact = scipy_stats.binomtest(20, 50).proportion_ci(method="exact")
    assert estimate.effective_n == pytest.approx(49)
    assert estimate.lower == pytest.approx(exact.low, abs=3e-3)
    assert estimate.upper == pytest.approx(exact.high, abs=3e-3)


def test_a_stratum_of_one_audit_borrows_the_pooled_variance_and_still_gives_an_interval():
    strata = [Stratum(500, 20, 8), Stratum(50, 1, 1), Stratum(30, 1, 0)]
    estimate = stratified_proportion(strata)
    assert 0 < estimate.lower < estimate.proportion < estimate.upper < 1
    # Two single strata count as one collapsed pair for the degrees of freedom.
    assert degrees_of_freedom(strata) == 22 - 2


def test_a_census_stratum_adds_no_variance_and_a_full_census_still_has_an_interval():
    partial = stratified_proportion([Stratum(10, 10, 3), Stratum(100, 20, 10)])
    only_second = stratified_proportion([Stratum(100, 20, 10)])
    assert partial.standard_error == pytest.approx(only_second.standard_error * 100 / 110)
    census = stratified_proportion([Stratum(10, 10, 3), Stratum(12, 12, 6)])
    assert census.standard_error == 0
    assert census.lower < census.proportion < census.upper


def test_strata_without_audits_are_left_out_of_the_population_the_estimate_describes():
    estimate = stratified_proportion([Stratum(100, 10, 5), Stratum(50, 0, 0)])
    assert estimate.population == 100
    assert estimate.proportion == pytest.approx(0.5)
    with pytest.raises(ValueError, match="nothing to estimate"):
        stratified_proportion([Stratum(50, 0, 0)])


def test_wald_is_zero_wide_at_zero_which_is_why_it_is_only_for_comparison():
    wald = stratified_proportion([Stratum(1000, 70, 0)], method="wald")
    assert wald.lower == wald.upper == 0


def test_wilson_on_the_effective_sample_size():
    estimate = stratified_proportion([Stratum(10**9, 40, 10)], method="wilson")
    z = scipy_stats.norm.ppf(0.975)
    n, p = estimate.effective_n, 0.25
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    assert (estimate.lower + estimate.upper) / 2 == pytest.approx(centre, abs=1e-9)


def test_bad_strata_and_methods_are_refused():
    with pytest.raises(ValueError):
        Stratum(10, 5, 6)
    with pytest.raises(ValueError):
        Stratum(4, 5, 1)
    with pytest.raises(ValueError, match="Unknown method"):
        stratified_proportion([Stratum(10, 5, 1)], method="bayes")


def test_estimate_is_a_frozen_record_with_the_interface_named_in_the_issue():
    estimate = stratified_proportion([Stratum(10, 5, 1)])
    assert isinstance(estimate, Estimate)
    for name in ("proportion", "lower", "upper", "standard_error", "effective_n"):
        assert isinstance(getattr(estimate, name), float)
    assert isinstance(estimate.degrees_of_freedom, int)
    with pytest.raises(AttributeError):
        estimate.proportion = 0.5  # type: ignore[misc]


@pytest.mark.parametrize("method", ["korn-graubard", "wilson", "wald"])
def test_the_estimate_from_counts_is_the_estimate_from_strata_to_the_last_digit(method):
    """Bury 2.1: the dashboard's thousands of strata go in as counts (N_h, n_h, successes);
    the estimate, its interval and its degrees of freedom are the same as from `Stratum`s,
    with singles, a census stratum and an empty stratum among them."""
    import random

    draw = random.Random(20261201)
    strata = [Stratum(40, 1, 1), Stratum(12, 12, 7), Stratum(30, 0, 0)]
    for _ in range(300):
        sampled = draw.randint(1, 20)
        strata.append(Stratum(sampled + draw.randint(0, 200), sampled, draw.randint(0, sampled)))
    counts = [(s.population, s.sampled, s.successes) for s in strata]
    assert stratified_counts(counts, method=method) == stratified_proportion(strata, method=method)
    assert stratified_counts(counts[:3], method=method) == stratified_proportion(
        strata[:3], method=method
    )
    with pytest.raises(ValueError, match="No stratum has an audit"):
        stratified_counts([(30, 0, 0)])


# Agreement (Bury 8.1) -------------------------------------------------------------------------


def test_krippendorff_ordinal_alpha_matches_the_worked_example():
    """Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): four observers,
    twelve units, values 1–5 with missing data; ordinal alpha 0.815."""
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [list(u) for u in zip(a, b, c, d, strict=True)]
    assert krippendorff_alpha(units, categories=5) == pytest.approx(0.815, abs=5e-4)


def test_alpha_is_one_for_perfect_agreement_and_nan_when_nothing_varies():
    assert krippendorff_alpha([[1, 1], [2, 2], [3, 3, None]], categories=3) == pytest.approx(1)
    assert math.isnan(krippendorff_alpha([[2, 2], [2, 2]], categories=3))


def test_weighted_kappa_with_two_categories_is_cohens_kappa():
    """For two categories every weighting gives Cohen's kappa: here p_o 0.7, p_e 0.5."""
    first = [1] * 20 + [1] * 5 + [2] * 10 + [2] * 15
    second = [1] * 20 + [2] * 5 + [1] * 10 + [2] * 15
    for weights in ("quadratic", "linear"):
        assert weighted_kappa(first, second, categories=2, weights=weights) == pytest.approx(0.4)


def test_quadratic_kappa_matches_its_mean_squared_difference_form():
    """Quadratic-weighted kappa is 1 − mean (a_i − b_i)² / mean over all (a_i − b_j)²: an
    independent way to the same number."""
    first = [1, 2, 2, 3, 4, 4, 1, 3, 2, 4]
    second = [1, 2, 3, 3, 3, 4, 2, 3, 2, 4]
    n = len(first)
    observed = sum((a - b) ** 2 for a, b in zip(first, second, strict=True)) / n
    expected = sum((a - b) ** 2 for a in first for b in second) / n**2
    assert weighted_kappa(first, second, categories=4) == pytest.approx(1 - observed / expected)


def test_linear_kappa_counts_a_grade_apart_as_partly_agreeing():
    first, second = [1, 2, 3, 4, 1], [2, 2, 3, 4, 1]
    linear = weighted_kappa(first, second, categories=4, weights="linear")
    unweighted_like = weighted_kappa(first, [4, 2, 3, 4, 1], categories=4, weights="linear")
    assert linear > unweighted_like


def test_kappa_refuses_grades_off_the_scale_and_unequal_lists():
    with pytest.raises(ValueError, match="from 1 to 4"):
        weighted_kappa([1, 5], [1, 2], categories=4)
    with pytest.raises(ValueError, match="same cases"):
        weighted_kappa([1, 2], [1], categories=4)
    assert math.isnan(weighted_kappa([2, 2], [2, 2], categories=4))


def test_bootstrap_interval_is_seeded_and_brackets_the_statistic():
    pairs = [(1, 1), (2, 2), (2, 3), (3, 3), (4, 3), (1, 2), (2, 2), (3, 3), (4, 4)] * 3
    first = kappa_agreement(pairs, categories=4, replicates=300)
    again = kappa_agreement(pairs, categories=4, replicates=300)
    assert first == again
    assert first.lower <= first.value <= first.upper
    assert first.cases == 27
    assert all(math.isnan(bound) for bound in bootstrap_interval(lambda units: 0.0, [1]))


def test_alpha_agreement_interval_brackets_the_worked_example():
    units = [[1, 1, None], [2, 2, 3], [3, 3, 3], [3, 3, 3], [2, 2, 2], [1, 2, 3], [4, 4, 4]]
    result = alpha_agreement(units, categories=4, replicates=300)
    assert result.lower <= result.value <= result.upper <= 1
    assert result.cases == 7


def test_landis_and_koch_bands_read_the_value():
    assert landis_koch_band(-0.1) == "poor"
    assert landis_koch_band(0.15) == "slight"
    assert landis_koch_band(0.5) == "moderate"
    assert landis_koch_band(0.7) == "substantial"
    assert landis_koch_band(0.9) == "almost perfect"
    assert landis_koch_band(math.nan) == "not computable"


def test_the_fast_kappa_bootstrap_matches_the_generic_helper_draw_for_draw():
    pairs = [(1, 1), (2, 2), (2, 3), (3, 3), (4, 3), (1, 2), (2, 2), (3, 3)] * 3

    def kappa(sample):
        return weighted_kappa([a for a, _ in sample], [b for _, b in sample], categories=4)

    fast = kappa_agreement(pairs, categories=4, replicates=400, seed=5)
    slow = bootstrap_interval(kappa, pairs, replicates=400, seed=5)
    assert (fast.lower, fast.upper) == pytest.approx(slow)


def test_over_many_cases_the_bootstrap_draws_counts_and_agrees_with_drawing_every_case(
    monkeypatch,
):
    """Above MULTINOMIAL_ABOVE cases the replicates are multinomial counts of each kind of
    case: seeded (the same interval twice), and the same distribution as drawing every case,
    so the interval agrees with the case-by-case bootstrap to within resampling noise."""
    from reporting import statistics

    pairs = [(1, 1), (2, 2), (2, 3), (3, 3), (4, 3), (1, 2), (2, 2), (3, 3)] * 250  # 2,000
    assert len(pairs) > statistics.MULTINOMIAL_ABOVE
    counted = kappa_agreement(pairs, categories=4, replicates=400)
    assert counted == kappa_agreement(pairs, categories=4, replicates=400)
    units = [[a, b] for a, b in pairs]
    alpha_counted = alpha_agreement(units, categories=4, replicates=400)
    monkeypatch.setattr(statistics, "MULTINOMIAL_ABOVE", 10**9)
    drawn = kappa_agreement(pairs, categories=4, replicates=400)
    alpha_drawn = alpha_agreement(units, categories=4, replicates=400)
    assert counted.value == drawn.value
    assert (counted.lower, counted.upper) != (drawn.lower, drawn.upper)  # other draws
    assert (counted.lower, counted.upper) == pytest.approx((drawn.lower, drawn.upper), abs=0.01)
    assert (alpha_counted.lower, alpha_counted.upper) == pytest.approx(
        (alpha_drawn.lower, alpha_drawn.upper), abs=0.01
    )


@pytest.mark.parametrize("times", [3, 200])  # drawn case by case, and as multinomial counts
def test_counted_cases_give_the_figures_of_the_cases_repeated(times):
    """The summary of closed months keeps each kind of case with how many there were: kappa
    and alpha from those counts are the figures, to the draw, of every case listed."""
    kinds = [(1, 1), (2, 2), (2, 3), (3, 3), (4, 3), (1, 2)]
    counts = [times * n for n in (2, 3, 1, 2, 1, 1)]
    cases = [kind for kind, n in zip(kinds, counts, strict=True) for _ in range(n)]
    counted = kappa_agreement(kinds, counts=counts, categories=4, replicates=300)
    assert counted == kappa_agreement(cases, categories=4, replicates=300)
    units = [list(kind) for kind in kinds]
    assert alpha_agreement(units, counts=counts, categories=4, replicates=300) == (
        alpha_agreement([list(c) for c in cases], categories=4, replicates=300)
    )
