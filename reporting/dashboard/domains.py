"""The share Good or better for a domain (the whole scope, a month, a service area, a case
type) as a stratified estimate, from cells of audits counted by stratum (`quality`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np

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


class Domains:
    """The cells of a period (or of the trend's months), ready to estimate any split of
    them: each stratum's n_h (every audit of it) and N_h, and each cell's audits in the
    reader's scope and filters, as arrays. A domain (the whole scope, a service area, a case
    type, a month) counts in the strata where it has such audits (Cochran's estimator for a
    domain: N_h scaled by the domain's share of the stratum's audits)."""

    def __init__(self, cells: list[Cell], sizes: dict[tuple[int, str], int], limits: Limits):
        self.cells, self.limits = cells, limits
        index: dict[tuple[int, str], int] = {}
        self.stratum = np.array(
            [index.setdefault((c.sample_id, c.stratum), len(index)) for c in cells],
            dtype=np.int64,
        )
        self.domain = np.array([c.domain for c in cells], dtype=np.int64)
        self.good = np.array([c.domain_good for c in cells], dtype=np.int64)
        audits = np.array([c.audits for c in cells], dtype=np.int64)
        self.n_h = np.bincount(self.stratum, weights=audits, minlength=len(index)).astype(np.int64)
        frame = np.array([sizes.get(key, 0) for key in index], dtype=np.int64)
        self.big_n = np.maximum(frame, self.n_h)

    def estimates(self, domain_of: Callable[[Cell], Hashable]) -> dict[Hashable, DomainEstimate]:
        """The estimate for each domain `domain_of` puts the cells in."""
        codes: dict[Hashable, int] = {}
        labels = np.array(
            [codes.setdefault(domain_of(c), len(codes)) for c in self.cells], dtype=np.int64
        )
        has = self.domain > 0
        strata = max(len(self.n_h), 1)
        pairs, where = np.unique(labels[has] * strata + self.stratum[has], return_inverse=True)
        d = np.bincount(where, weights=self.domain[has]).astype(np.int64)
        hits = np.bincount(where, weights=self.good[has]).astype(np.int64)
        label, stratum = pairs // strata, pairs % strata
        n_h, big_n = self.n_h[stratum], self.big_n[stratum]
        # The domain's share of the stratum's frame; the whole stratum when it is all of it.
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.maximum(d, np.round(big_n * d / n_h).astype(np.int64))
        population = np.where(d == n_h, big_n, scaled)
        # `pairs` is sorted, so each domain's strata are one run of it.
        bounds = np.searchsorted(label, np.arange(len(codes) + 1))
        found = {}
        for value, code in codes.items():
            lo, hi = bounds[code], bounds[code + 1]
            if lo == hi:
                continue
            design = np.column_stack((population[lo:hi], d[lo:hi], hits[lo:hi]))
            found[value] = _estimate(design, self.limits)
        return found

    def whole(self) -> DomainEstimate:
        return self.estimates(lambda cell: None).get(None, NO_AUDITS)


NO_AUDITS = DomainEstimate(0, 0, None, False)


def _estimate(design: np.ndarray, limits: Limits) -> DomainEstimate:
    """From each stratum's (N_h for the domain, its audits, those Good or better)."""
    audits, meeting = int(design[:, 1].sum()), int(design[:, 2].sum())
    if not audits or audits < limits.suppress_under:
        return DomainEstimate(audits, meeting, None, False)
    estimate = stratified_counts(design)
    low = estimate.effective_n < limits.min_effective_n or estimate.width > limits.max_width
    return DomainEstimate(audits, meeting, estimate, low)
