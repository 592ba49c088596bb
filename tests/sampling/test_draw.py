"""Drawing the monthly sample: size, strata, seed, exclusions (SPEC §3; Bury 2.1, 6.2;
Leeds 4.4)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from accounts.models import Policy
from accounts.selectors import policy_get
from sampling.models import Case, CaseStatus, CaseType
from sampling.services import (
    allocate,
    case_mark_audit_finished,
    case_mark_audit_started,
    draw,
    frame_cases,
    monthly_sample_size,
    sample_draw_monthly,
)

PERIOD = dt.date(2026, 12, 1)
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def policy(db) -> Policy:
    policy = policy_get()
    policy.strata = ["service_area", "case_type"]
    policy.min_per_stratum = 1
    policy.lookback_months = 12
    policy.save()
    return policy


def make_cases(team, case_type, n, start=0, prefix="K"):
    return Case.objects.bulk_create(
        [
            Case(
                external_id=f"{prefix}{team.pk}-{case_type}-{start + i:04d}",
                team=team,
                case_type=case_type,
            )
            for i in range(n)
        ]
    )


def test_sample_size_is_the_sum_of_available_quotas_at_least_one_each():
    """Bury 6.2: the sample size follows from the auditors available and their quotas;
    Bury 5.2: at least one a month each."""
    assert monthly_sample_size(pool=[("a", 4), ("b", 2), ("c", 0)]) == 7
    assert monthly_sample_size(pool=[]) == 0


def test_sample_size_leaves_room_for_the_second_auditor_of_paired_cases():
    """Bury 8.1: allocations are often paired, two or three auditors on one case; each
    paired case uses that many audits of the pool's capacity (Bury 6.2)."""
    pool = [(f"auditor{i}", 1) for i in range(120)]
    assert monthly_sample_size(pool=pool, paired_percent=0) == 120
    # 20% of cases paired: n * 1.2 audits fit in 120 -> 100 cases (80 single + 20 paired).
    assert monthly_sample_size(pool=pool, paired_percent=20, paired_auditors=2) == 100
    # 20% with three auditors each: n * 1.4 <= 120 -> 85 cases.
    assert monthly_sample_size(pool=pool, paired_percent=20, paired_auditors=3) == 85


def test_monthly_sample_size_uses_the_pool_members_and_their_role_quotas(org, policy):
    """Leeds 5: quotas by role; here team managers 2, everyone else the default 1."""
    policy.quotas = {"team_manager": 2}
    policy.save()
    make_cases(org.north_team, CaseType.CIN, 40)
    sample = sample_draw_monthly(period=PERIOD, today=TODAY)
    # org's pool: senior, service manager, head of service, 2 team managers, QA, auditor.
    assert sample.pool_size == 7
    assert sample.size == sample.requested_size == 9


def test_proportional_allocation_with_a_minimum_per_stratum():
    """Bury 2.1: each stratum by its share of the frame; a minimum in each."""
    sizes = allocate(
        population={"a": 800, "b": 150, "c": 50},
        eligible={"a": 800, "b": 150, "c": 50},
        n=20,
        minimum=2,
    )
    assert sizes == {"a": 15, "b": 3, "c": 2}
    assert sum(sizes.values()) == 20


def test_allocation_never_takes_more_than_a_stratum_has_eligible():
    sizes = allocate(population={"a": 10, "b": 10}, eligible={"a": 1, "b": 10}, n=10, minimum=1)
    assert sizes == {"a": 1, "b": 9}


def test_too_small_a_sample_gives_the_largest_strata_their_minimum_first():
    sizes = allocate(
        population={"a": 5, "b": 50, "c": 20}, eligible={"a": 5, "b": 50, "c": 20}, n=2, minimum=1
    )
    assert sizes == {"a": 0, "b": 1, "c": 1}


def test_the_same_frame_settings_and_seed_draw_the_same_cases(org, policy):
    """SPEC §3: record the seed so that the draw can be repeated and shown to be fair."""
    make_cases(org.north_team, CaseType.CIN, 60)
    make_cases(org.south_team, CaseType.CLA, 40)
    cases = frame_cases(snapshots=[])
    kwargs = {
        "cases": cases,
        "strata": policy.strata,
        "n": 12,
        "minimum": 1,
        "lookback_cutoff": None,
    }
    first = draw(seed=4242, **kwargs)
    again = draw(seed=4242, **kwargs)
    other = draw(seed=4243, **kwargs)
    assert first.chosen == again.chosen
    assert {c for c, *_ in first.chosen} != {c for c, *_ in other.chosen}


def test_strata_table_records_frame_size_sample_size_and_weight(org, policy):
    make_cases(org.north_team, CaseType.CIN, 60)
    make_cases(org.south_team, CaseType.CLA, 40)
    result = draw(
        cases=frame_cases(snapshots=[]),
        strata=policy.strata,
        n=10,
        minimum=1,
        seed=1,
        lookback_cutoff=None,
    )
    table = {row["stratum"]: row for row in result.strata_table}
    assert table["North / Child in need"] == {
        "stratum": "North / Child in need",
        "frame": 60,
        "eligible": 60,
        "size": 6,
        "weight": 10.0,
    }
    assert table["South / Child looked after"]["size"] == 4
    assert {weight for *_, weight in result.chosen} == {10.0}


def test_within_a_stratum_every_eligible_case_is_equally_likely(org, policy):
    """Bury 6.2 / SPEC §3: a random sample within each stratum. Over many seeds each case's
    selection count must fit a uniform distribution (chi-square, 1% level)."""
    make_cases(org.north_team, CaseType.CIN, 20)
    make_cases(org.south_team, CaseType.CLA, 10)
    cases = frame_cases(snapshots=[])
    counts: Counter[int] = Counter()
    runs = 3000
    for seed in range(runs):
        result = draw(
            cases=cases, strata=policy.strata, n=6, minimum=1, seed=seed, lookback_cutoff=None
        )
        counts.update(c for c, stratum, _w in result.chosen if stratum.endswith("in need"))
    north = [c.id for c in cases if c.team_id == org.north_team.pk]
    n_h = 4  # 6 × 20/30
    expected = runs * n_h / len(north)
    chi2 = sum((counts[c] - expected) ** 2 / expected for c in north)
    # 19 degrees of freedom: the 99th percentile of chi-square is 36.19.
    assert chi2 < 36.19, chi2
    assert sum(counts.values()) == runs * n_h


def test_the_equal_likelihood_test_catches_a_biased_draw(org, policy, monkeypatch):
    """The statistical test fails when selection is not uniform: a draw that favours the
    first cases in ID order is caught."""
    import random

    make_cases(org.north_team, CaseType.CIN, 20)
    cases = frame_cases(snapshots=[])
    real = random.Random.sample

    def biased(self, population, k):
        return real(self, population[: len(population) // 2], k)

    monkeypatch.setattr(random.Random, "sample", biased)
    counts: Counter[int] = Counter()
    for seed in range(600):
        result = draw(
            cases=cases, strata=policy.strata, n=4, minimum=1, seed=seed, lookback_cutoff=None
        )
        counts.update(c for c, *_ in result.chosen)
    expected = 600 * 4 / 20
    chi2 = sum((counts[c.id] - expected) ** 2 / expected for c in cases)
    assert chi2 > 36.19


def test_cases_under_an_open_audit_are_excluded_and_counted(org, policy):
    """SPEC §3: cases already under an open audit are not sampled."""
    cases = make_cases(org.north_team, CaseType.CIN, 10)
    for case in cases[:3]:
        case_mark_audit_started(case=case, today=TODAY)
    result = draw(
        cases=frame_cases(snapshots=[]),
        strata=policy.strata,
        n=10,
        minimum=1,
        seed=1,
        lookback_cutoff=None,
    )
    assert result.exclusions["audit_open"] == 3
    assert {c.pk for c in cases[:3]}.isdisjoint(c for c, *_ in result.chosen)
    assert len(result.chosen) == 7


def test_cases_audited_within_the_lookback_are_excluded_and_counted(org, policy):
    """Leeds 4.4: cases audited in the last 12 months are not sampled."""
    cases = make_cases(org.north_team, CaseType.CIN, 4)
    case_mark_audit_started(case=cases[0], today=dt.date(2026, 1, 5))
    case_mark_audit_finished(case=cases[0], today=dt.date(2026, 2, 1))  # 10 months ago
    case_mark_audit_finished(case=cases[1], today=dt.date(2025, 12, 1))  # exactly 12: eligible
    case_mark_audit_finished(case=cases[2], today=dt.date(2025, 6, 1))  # 18 months ago
    case_mark_audit_finished(case=cases[3], today=dt.date(2026, 3, 1), audited=False)
    sample = sample_draw_monthly(period=PERIOD, today=TODAY, pool=[("x", 10)])
    assert sample.exclusions == {
        "closed": 0,
        "team_unknown": 0,
        "audit_open": 0,
        "recently_audited": 1,
    }
    chosen = set(sample.sample_cases.values_list("case_id", flat=True))
    assert chosen == {cases[1].pk, cases[2].pk, cases[3].pk}


def test_cases_closed_since_the_snapshot_are_excluded_and_counted(annex, imported, org, policy):
    """SPEC §3: cases closed since the snapshot are not sampled."""
    from .conftest import child

    imported(annex("6", [child("6", n) for n in range(1, 6)]), as_of=dt.date(2026, 11, 30))
    Case.objects.filter(external_id="C00001").update(status=CaseStatus.CLOSED)
    sample = sample_draw_monthly(period=PERIOD, today=TODAY, pool=[("x", 10)])
    assert sample.exclusions["closed"] == 1
    assert sample.frame_size == 5 and sample.size == 4
    assert sample.frame_snapshots


def test_the_frame_is_the_newest_snapshot_on_or_before_the_sampling_day(
    annex, imported, org, policy
):
    """SPEC §2: the frame of a month is the snapshot nearest before its sampling day."""
    from .conftest import child

    imported(annex("6", [child("6", 1), child("6", 2)]), as_of=dt.date(2026, 11, 23))
    imported(annex("6", [child("6", 1)]), as_of=dt.date(2026, 11, 30))
    # A list after the sampling day (1 December 2026) is not this month's frame.
    imported(annex("6", [child("6", 1), child("6", 3)]), as_of=dt.date(2026, 12, 7))
    sample = sample_draw_monthly(period=PERIOD, today=dt.date(2026, 12, 8), pool=[("x", 5)])
    assert sample.frame_size == 1
    assert list(sample.sample_cases.values_list("case__external_id", flat=True)) == ["C00001"]


def test_thematic_filter_draws_only_matching_cases(org, policy):
    """Bury 4.2, Leeds 4.5: a theme chosen by QA staff or a head of service."""
    from sampling.services import sample_draw_thematic

    make_cases(org.north_team, CaseType.CIN, 10)
    make_cases(org.south_team, CaseType.CLA, 10)
    Case.objects.filter(external_id__endswith="0001").update(disability=True, age_band="1_4")
    sample = sample_draw_thematic(
        name="Disabled under 5s",
        period=PERIOD,
        filters={
            "case_types": [],
            "teams": [],
            "service_areas": [],
            "age_bands": ["1_4"],
            "disability": "yes",
            "legal_status": "",
        },
        size=5,
        today=TODAY,
        by=org.qa_officer,
    )
    assert sample.frame_size == 2 and sample.size == 2
    sample = sample_draw_thematic(
        name="Looked after in the south",
        period=PERIOD,
        filters={"case_types": ["cla"], "teams": [org.south_team.pk]},
        size=3,
        today=TODAY,
        by=org.strategic_lead,
    )
    assert sample.size == 3
    assert set(sample.sample_cases.values_list("case__team", flat=True)) == {org.south_team.pk}
