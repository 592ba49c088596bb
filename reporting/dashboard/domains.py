"""The share Good or better for a domain (the whole scope, a month, a service area, a case
type) as a stratified estimate, from cells of audits counted by stratum (`quality`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from ..estimates import Limits
from ..statistics import Estimate, stratified_counts
from .tables import share


@dataclass
class Cell:
    """Audits of one stratum of one month in one service area and case type."""

    sample_id: int
    period: object
    stratum: str
    area_id: int | None
    case_type: str
    audits: int  # all of them: n_h counts every audit of the stratum
    domain: int  # those in the reader's scope and filters
    domain_good: int
    grades: dict[str, int]  # domain audits at each grade


@dataclass(frozen=True)
class DomainEstimate:
    audits: int
    meeting: int
    estimate: Estimate | None
    low_precision: bool

    @property
    def raw(self) -> float | None:
        return self.meeting / self.audits if self.audits else None

    @property
    def precision(self) -> str:
        if self.estimate is None:
            return "No estimate: too few audits" if self.audits else "No audits"
        return "Low precision" if self.low_precision else "Adequate"

    def row(self) -> list:
        e = self.estimate
        return [
            self.audits,
            share(self.raw),
            share(e.proportion) if e else None,
            share(e.lower) if e else None,
            share(e.upper) if e else None,
            self.precision,
        ]


def by_stratum(cells: list[Cell]) -> dict[tuple[int, str], list[Cell]]:
    strata: dict[tuple[int, str], list[Cell]] = defaultdict(list)
    for cell in cells:
        strata[(cell.sample_id, cell.stratum)].append(cell)
    return strata


def domain_estimate(
    strata: dict[tuple[int, str], list[Cell]], sizes: dict[tuple[int, str], int], limits: Limits
) -> DomainEstimate:
    """The stratified estimate of Good or better over all the cells, grouped by stratum
    (`by_stratum`)."""
    return domain_estimates(strata, sizes, limits, lambda cell: None).get(
        None, DomainEstimate(0, 0, None, False)
    )


def domain_estimates(
    strata: dict[tuple[int, str], list[Cell]],
    sizes: dict[tuple[int, str], int],
    limits: Limits,
    domain_of: Callable[[Cell], Hashable],
) -> dict[Hashable, DomainEstimate]:
    """The estimate for each domain `domain_of` puts the cells in (a service area, a case
    type), in one pass over the cells: a stratum's n_h counts all its audits, and a domain
    counts in the strata where it has audits in the reader's scope and filters."""
    tallies: dict[Hashable, list[tuple]] = defaultdict(list)  # (stratum, n_h, d, hits)
    for key, group in strata.items():
        n_h = 0
        mine: dict[Hashable, list[int]] = {}
        for cell in group:
            n_h += cell.audits
            if cell.domain:
                counts = mine.setdefault(domain_of(cell), [0, 0])
                counts[0] += cell.domain
                counts[1] += cell.domain_good
        for domain, (d, hits) in mine.items():
            tallies[domain].append((key, n_h, d, hits))
    return {domain: _estimate(rows, sizes, limits) for domain, rows in tallies.items()}


def _estimate(rows: list[tuple], sizes: dict[tuple[int, str], int], limits: Limits):
    design, audits, meeting = [], 0, 0
    for key, n_h, d, hits in rows:
        big_n = max(sizes.get(key, n_h), n_h)
        population = big_n if d == n_h else max(d, round(big_n * d / n_h))
        design.append((population, d, hits))
        audits += d
        meeting += hits
    if not audits or audits < limits.suppress_under:
        return DomainEstimate(audits, meeting, None, False)
    estimate = stratified_counts(design)
    low = estimate.effective_n < limits.min_effective_n or estimate.width > limits.max_width
    return DomainEstimate(audits, meeting, estimate, low)
