"""The monthly estimates from the confirmed sample, checked against a hand calculation
(SPEC §3: "the estimate of the whole population's quality weights each stratum by its share
of the frame", Bury 2.1; SPEC §10 "estimates for the whole population from the stratified
sample, with confidence intervals")."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from scipy import stats

from audits.models import Moderation
from reporting.estimates import months_ending, period_estimates
from sampling.models import SampleStatus

from .graded_samples import auditor, bradford, month, paired_case

NOV = dt.date(2026, 11, 1)
OUT, GOOD, RI, INAD = "outstanding", "good", "requires_improvement", "inadequate"

# A small demo-like month: three strata (area / case type) of a 1,000-case frame, eleven
# cases drawn, ten audited (one in the first stratum was not).
STRATA = {
    "North / Child in need": (600, [GOOD, GOOD, RI, INAD, OUT, None]),
    "North / Child protection": (300, [GOOD, RI, RI]),
    "South / Child in need": (100, [OUT, GOOD]),
}


@pytest.fixture
def november(db):
    return month(period=NOV, strata=STRATA, form=bradford(), by=auditor(1))


def _measure(result, scope, level):
    return next(m for m in result.measures if m.scope == scope and m.level == level)


def test_good_or_better_matches_the_hand_calculation(november):
    """W = 0.6, 0.3, 0.1; shares Good or better 3/5, 1/3, 2/2 → p = 0.36 + 0.10 + 0.10."""
    result = period_estimates(period=NOV)
    good = _measure(result, "overall", GOOD)
    assert good.label == "Good or better"
    assert (good.audits, good.meeting, good.raw_share) == (10, 6, 0.6)
    estimate = good.estimate
    assert estimate.proportion == pytest.approx(0.56)
    # v = Σ W² (1 − n/N) s² / n, with s² = n p (1 − p) / (n − 1)
    v1 = 0.6**2 * (1 - 5 / 600) * (5 * 0.6 * 0.4 / 4) / 5
    v2 = 0.3**2 * (1 - 3 / 300) * (3 * (1 / 3) * (2 / 3) / 2) / 3
    v3 = 0.0  # all Good or better: no variance
    assert v1 == pytest.approx(0.0214200)
    assert v2 == pytest.approx(0.0099000)
    assert estimate.standard_error == pytest.approx(math.sqrt(v1 + v2 + v3))
    # df = 10 audits − 3 strata; n_eff = p(1 − p)/v, scaled by (t_9 / t_7)²
    assert estimate.degrees_of_freedom == 7
    n_eff = 0.56 * 0.44 / (v1 + v2)
    assert n_eff == pytest.approx(7.8672, abs=1e-3)
    n_star = n_eff * (2.262157 / 2.364624) ** 2
    assert estimate.effective_n == pytest.approx(n_star, rel=1e-5)
    x = 0.56 * n_star
    assert estimate.lower == pytest.approx(stats.beta.ppf(0.025, x, n_star - x + 1))
    assert estimate.upper == pytest.approx(stats.beta.ppf(0.975, x + 1, n_star - x))
    assert 0.15 < estimate.lower < 0.25 and 0.85 < estimate.upper < 0.95
    # Under 30 effective audits and wider than 30 points: low precision.
    assert good.low_precision


def test_every_grade_or_better_and_the_lowest_grade_alone(november):
    result = period_estimates(period=NOV)
    overall = result.overall()
    assert [m.label for m in overall] == [
        "Outstanding",
        "Good or better",
        "Requires improvement or better",
        "Inadequate",
    ]
    outstanding, _, ri_or_better, inadequate = overall
    # Outstanding: 1/5, 0/3, 1/2 → 0.12 + 0 + 0.05
    assert outstanding.estimate.proportion == pytest.approx(0.17)
    # Inadequate: 1/5 in the first stratum only → 0.12; its complement is RI or better.
    assert inadequate.estimate.proportion == pytest.approx(0.12)
    assert ri_or_better.estimate.proportion == pytest.approx(0.88)
    assert inadequate.estimate.lower > 0


def test_cases_drawn_but_not_audited_lower_n_h_and_are_counted(november):
    result = period_estimates(period=NOV)
    first = next(s for s in result.strata if s.stratum == "North / Child in need")
    assert (first.population, first.drawn, first.audited, first.not_audited) == (600, 6, 5, 1)
    assert (result.drawn, result.audited, result.not_audited, result.population) == (
        11,
        10,
        1,
        1000,
    )


def test_each_section_has_its_own_estimates(november):
    result = period_estimates(period=NOV)
    sections = result.sections()
    assert list(sections)[:2] == ["risk_and_need", "assessments"]
    good = next(m for m in sections["assessments"] if m.level == GOOD)
    assert good.scope_title
    assert good.estimate.proportion == pytest.approx(0.56)


def test_a_breakdown_under_ten_audits_has_no_estimate_only_its_raw_share(db, settings):
    """NCHS (2017), as the issue sets it: no estimate at all under 10 audits (a setting)."""
    strata = {"All cases": (200, [GOOD, GOOD, RI, GOOD, None, GOOD, RI, GOOD, GOOD])}
    month(period=NOV, strata=strata, form=bradford(), by=auditor(1))
    good = _measure(period_estimates(period=NOV), "overall", GOOD)
    assert good.audits == 8 and good.suppressed and good.estimate is None
    assert good.raw_share == pytest.approx(6 / 8)
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    assert not _measure(period_estimates(period=NOV), "overall", GOOD).suppressed


def test_low_precision_limits_are_settings(november, settings):
    settings.ESTIMATE_LOW_PRECISION_EFFECTIVE_N = 5
    settings.ESTIMATE_LOW_PRECISION_WIDTH = 90
    assert not _measure(period_estimates(period=NOV), "overall", GOOD).low_precision


def test_a_section_not_every_case_has_is_a_domain_of_each_stratum(db, settings):
    """A section some cases do not have (Hillingdon 4.7) estimates its share of the
    stratum: N_h × graded / audited."""
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    month(
        period=NOV,
        strata=STRATA,
        form=bradford(),
        by=auditor(1),
        sections={
            "North / Child in need": [GOOD, None, RI, RI, GOOD, None],
            "North / Child protection": [GOOD, GOOD, None],
            "South / Child in need": [GOOD, GOOD],
        },
    )
    good = _measure(period_estimates(period=NOV), "risk_and_need", GOOD)
    # 480 = 600 × 4/5 cases, 200 = 300 × 2/3, 100: shares 2/4, 2/2, 2/2.
    assert good.audits == 8
    assert good.estimate.population == 780
    assert good.estimate.proportion == pytest.approx((480 * 0.5 + 200 + 100) / 780)


def test_a_quarter_pools_months_with_month_by_stratum_strata(db):
    """Each month is its own design; over a quarter each month × stratum is a stratum."""
    form, who = bradford(), auditor(1)
    month(
        period=dt.date(2026, 9, 1), strata={"A": (400, [GOOD, RI, GOOD, GOOD])}, form=form, by=who
    )
    month(period=dt.date(2026, 10, 1), strata={"A": (600, [RI, RI, GOOD])}, form=form, by=who)
    month(period=NOV, strata=STRATA, form=form, by=who)
    result = period_estimates(period=NOV, months=3)
    assert result.months == tuple(months_ending(NOV, 3))
    assert len(result.strata) == 5
    good = _measure(result, "overall", GOOD)
    expected = (400 * 0.75 + 600 * (1 / 3) + 1000 * 0.56) / 2000
    assert good.estimate.proportion == pytest.approx(expected)
    assert good.estimate.degrees_of_freedom == 17 - 5
    assert good.audits == 17


def test_only_confirmed_monthly_samples_count_and_missing_months_are_named(db):
    month(
        period=NOV,
        strata={"A": (100, [GOOD] * 10)},
        form=bradford(),
        by=auditor(1),
        status=SampleStatus.DRAFT,
    )
    result = period_estimates(period=NOV, months=2)
    assert result.measures == ()
    assert result.months_without_sample == (dt.date(2026, 10, 1), NOV)


def test_a_paired_case_counts_once_by_its_consensus_and_moderation_has_the_last_word(
    november, settings
):
    """Bury 8.1: the consensus stands for the case, both audits are kept; P&Q 22: the
    moderator's decision is final."""
    settings.ESTIMATE_SUPPRESS_UNDER = 1
    first, second = auditor(2), auditor(3)
    audits = paired_case(
        sample=november,
        stratum="South / Child in need",
        form=bradford(),
        grades=[(first, RI), (second, INAD)],
        agreed=GOOD,
    )
    result = period_estimates(period=NOV)
    south = next(s for s in result.strata if s.stratum == "South / Child in need")
    assert (south.drawn, south.audited) == (3, 3)
    assert _measure(result, "overall", GOOD).meeting == 7
    assert _measure(result, "overall", INAD).meeting == 1
    Moderation.objects.create(
        audit=audits[0],
        requested_by=first,
        reason="Challenge",
        overall_grade=INAD,
        decided_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
    )
    result = period_estimates(period=NOV)
    assert _measure(result, "overall", GOOD).meeting == 6
    assert _measure(result, "overall", INAD).meeting == 2


def test_a_paired_case_without_consensus_is_not_yet_audited(november):
    paired_case(
        sample=november,
        stratum="South / Child in need",
        form=bradford(),
        grades=[(auditor(2), GOOD), (auditor(3), GOOD)],
        agreed=None,
    )
    south = next(s for s in period_estimates(period=NOV).strata if s.stratum.startswith("South"))
    assert (south.drawn, south.audited) == (3, 2)


def test_the_estimates_run_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    form, who = bradford(), auditor(1)
    month(period=dt.date(2026, 10, 1), strata={"A": (50, [GOOD, RI])}, form=form, by=who)
    with django_assert_max_num_queries(5):
        period_estimates(period=dt.date(2026, 10, 1))
    month(period=NOV, strata=STRATA, form=form, by=who)
    with django_assert_max_num_queries(5):
        period_estimates(period=NOV, months=2)


def test_months_ending_crosses_the_year():
    assert months_ending(dt.date(2027, 2, 14), 3) == [
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]


def test_a_form_without_an_overall_grade_gives_only_its_sections():
    """A published form may have no overall scale (the form editor allows it): the
    dashboard and estimates grade its sections and skip the overall grade."""
    from reporting.estimates import OVERALL, scopes

    definition = {
        "scales": {"rag": [{"value": "g", "label": "Good"}, {"value": "r", "label": "Poor"}]},
        "sections": [{"key": "plan", "title": "The plan", "scale": "rag"}],
    }
    found = scopes({1: definition})
    assert [s.key for s in found] == ["plan"]
    assert OVERALL not in {s.key for s in found}
