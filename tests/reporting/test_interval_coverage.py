"""The intervals can be trusted: over many stratified samples from synthetic frames whose
truth is known, the 95% interval holds the truth in 93% to 99% of draws (SPEC §10: "estimates
for the whole population from the stratified sample, with confidence intervals", Bury 2.1).
Seeded, so it gives the same answer every run; a few hundred draws keep it quick."""

from __future__ import annotations

import pytest

from benchmarks.coverage import allocate, coverage, make_frame, trusted

DRAWS = 600


@pytest.mark.parametrize(
    ("strata", "n", "p"),
    [(10, 90, 0.3), (3, 60, 0.8), (25, 120, 0.5)],
    ids=["ten strata, 90 audits", "three strata, 60 audits", "many small strata"],
)
def test_korn_graubard_interval_covers_the_true_share_in_93_to_99_percent_of_draws(strata, n, p):
    frame = make_frame(strata=strata, p=p, seed=strata * 1000 + n)
    rate, width = coverage(frame, n=n, methods=["korn-graubard"], draws=DRAWS, seed=7)[
        "korn-graubard"
    ]
    assert trusted(rate), f"covered the truth in {rate:.1%} of draws"
    assert 0 < width < 0.5


def test_wilson_on_the_effective_n_covers_too():
    frame = make_frame(strata=10, p=0.3, seed=10_090)
    rate, _ = coverage(frame, n=90, methods=["wilson"], draws=DRAWS, seed=7)["wilson"]
    assert trusted(rate), f"covered the truth in {rate:.1%} of draws"


@pytest.mark.parametrize("p", [0.03, 0.97], ids=["near 0", "near 1"])
def test_the_criterion_fails_a_wald_interval_near_0_or_1(p):
    """The test can fail: the Wald interval, zero-wide when none (or all) of the sample meet
    the criterion, covers far less often than it claims near 0 and 1."""
    frame = make_frame(strata=3, p=p, seed=3)
    rate, _ = coverage(frame, n=30, methods=["wald"], draws=DRAWS, seed=7)["wald"]
    assert not trusted(rate), f"Wald covered in {rate:.1%} of draws"
    assert rate < 0.9


def test_the_simulated_draw_gives_every_stratum_at_least_one_case_in_proportion():
    # One each, then the other seven in proportion, the largest remainders first.
    assert allocate([600, 300, 100], 10) == [5, 3, 2]
    assert allocate([5, 5, 5, 5], 4) == [1, 1, 1, 1]
    assert sum(allocate([1000, 7, 3000, 250], 90)) == 90
