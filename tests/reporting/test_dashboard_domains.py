"""The quality section's estimates for each service area, case type and month
(reporting.dashboard.domains, issue 13): worked out for every domain at once, they are the
ones each domain's own strata give (Bury 2.1: each stratum weighted by its share of the
frame; a domain's N_h scaled by its share of the stratum's audits)."""

from __future__ import annotations

import random

import pytest

from reporting.dashboard.domains import NO_AUDITS, Cell, Domains
from reporting.estimates import Limits
from reporting.statistics import Stratum, stratified_proportion

LIMITS = Limits(suppress_under=3, min_effective_n=30, max_width=0.3)


def cells(seed: int) -> tuple[list[Cell], dict]:
    draw = random.Random(seed)
    found, sizes = [], {}
    for sample in (1, 2, 3):
        for stratum in ("North", "South", "East", "West"):
            sizes[(sample, stratum)] = draw.choice([0, 5, 80, 400])
            for area in (10, 20, 30):
                for case_type in ("cin", "cp"):
                    if draw.random() < 0.3:
                        continue
                    audits = draw.randint(1, 9)
                    domain = draw.choice([0, audits, draw.randint(0, audits)])
                    found.append(
                        Cell(
                            sample,
                            sample,
                            stratum,
                            area,
                            case_type,
                            audits,
                            domain,
                            draw.randint(0, domain),
                            {},
                        )
                    )
    return found, sizes


def by_hand(found: list[Cell], sizes: dict, keep) -> tuple[int, int, object]:
    """One domain's estimate, stratum by stratum, as the policy describes it."""
    design, audits, meeting = [], 0, 0
    for key in dict.fromkeys((c.sample_id, c.stratum) for c in found):
        group = [c for c in found if (c.sample_id, c.stratum) == key]
        n_h = sum(c.audits for c in group)
        d = sum(c.domain for c in group if keep(c))
        hits = sum(c.domain_good for c in group if keep(c))
        if not d:
            continue
        big_n = max(sizes.get(key, n_h), n_h)
        population = big_n if d == n_h else max(d, round(big_n * d / n_h))
        design.append(Stratum(population, d, hits))
        audits, meeting = audits + d, meeting + hits
    if audits < LIMITS.suppress_under:
        return audits, meeting, None
    return audits, meeting, stratified_proportion(design)


def test_every_domain_s_estimate_is_the_one_its_own_strata_give():
    for seed in range(20):
        found, sizes = cells(seed)
        domains = Domains(found, sizes, LIMITS)
        for domain_of in (lambda c: c.area_id, lambda c: c.case_type, lambda c: c.period):
            got = domains.estimates(domain_of)
            for value in {domain_of(c) for c in found}:
                keep = lambda c, f=domain_of, v=value: f(c) == v  # noqa: E731
                audits, meeting, estimate = by_hand(found, sizes, keep)
                mine = got.get(value, NO_AUDITS)
                assert (mine.audits, mine.meeting) == (audits, meeting)
                if estimate is None:
                    assert mine.estimate is None
                else:
                    assert mine.estimate.proportion == pytest_approx(estimate.proportion)
                    assert mine.estimate.lower == pytest_approx(estimate.lower)
                    assert mine.estimate.upper == pytest_approx(estimate.upper)
        whole = domains.whole()
        assert (whole.audits, whole.meeting) == by_hand(found, sizes, lambda c: True)[:2]


def test_no_cells_no_audits():
    assert Domains([], {}, LIMITS).whole() == NO_AUDITS
    assert Domains([], {}, LIMITS).estimates(lambda c: c.area_id) == {}


def pytest_approx(value):
    return pytest.approx(value, rel=1e-12, abs=1e-12)
