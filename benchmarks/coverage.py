"""Can the intervals be trusted? Coverage and mean width of the 95% intervals of
`reporting.statistics.stratified_proportion`, by method, over synthetic frames whose truth
is known.

Each scenario is a frame of 6,000 cases in few (3) or many (30) strata of unequal size, each
stratum with its own true share of cases meeting the criterion around an overall share near
0, at 0.5 or near 1. A draw takes n cases by stratified simple random sampling without
replacement, allocated in proportion to the strata with at least one a stratum (as the
monthly sample is drawn), and computes each method's interval; coverage is the share of
draws whose interval holds the frame's true share. A method that can be trusted covers in
about 95% of draws; we accept 93% to 99%.

Pure Python with numpy and scipy: no database. Run: python -m benchmarks.coverage [--draws N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reporting.statistics import METHODS, Stratum, stratified_proportion

FRAME = 6000
ACCEPTABLE = (0.93, 0.99)


@dataclass(frozen=True)
class Frame:
    """A synthetic frame: each stratum's size and how many of its cases meet the
    criterion, so the truth is known exactly."""

    sizes: tuple[int, ...]
    successes: tuple[int, ...]

    @property
    def truth(self) -> float:
        return sum(self.successes) / sum(self.sizes)


@dataclass(frozen=True)
class Scenario:
    name: str
    strata: int
    n: int
    p: float


def make_frame(*, strata: int, p: float, seed: int, size: int = FRAME) -> Frame:
    """Strata of unequal size (a Dirichlet split of the frame), each with its own true
    share scattered around `p` on the log-odds scale."""
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.full(strata, 2.0))
    sizes = np.maximum(5, np.round(shares * size)).astype(int)
    logit = np.log(p / (1 - p)) + rng.normal(0, 0.5, strata)
    truths = 1 / (1 + np.exp(-logit))
    successes = np.minimum(sizes, np.round(truths * sizes)).astype(int)
    return Frame(tuple(int(s) for s in sizes), tuple(int(k) for k in successes))


def allocate(sizes: Sequence[int], n: int) -> list[int]:
    """Proportional allocation with at least one a stratum, largest remainders first."""
    strata = len(sizes)
    if n < strata:
        raise ValueError("The sample is smaller than the number of strata.")
    total = sum(sizes)
    extra = n - strata
    exact = [extra * s / total for s in sizes]
    counts = [1 + int(e) for e in exact]
    order = sorted(range(strata), key=lambda h: exact[h] - int(exact[h]), reverse=True)
    for h in order[: n - sum(counts)]:
        counts[h] += 1
    return [min(c, s) for c, s in zip(counts, sizes, strict=True)]


def coverage(
    frame: Frame,
    *,
    n: int,
    methods: Sequence[str] = METHODS,
    draws: int = 1000,
    seed: int = 2026,
    confidence: float = 0.95,
) -> dict[str, tuple[float, float]]:
    """For each method, (coverage, mean width) over `draws` stratified samples of `n`."""
    rng = np.random.default_rng(seed)
    sizes = np.array(frame.sizes)
    good = np.array(frame.successes)
    taken = np.array(allocate(frame.sizes, n))
    # Successes in each stratum's sample: hypergeometric, all draws at once.
    drawn = rng.hypergeometric(good, sizes - good, taken, size=(draws, len(sizes)))
    truth = frame.truth
    covered = dict.fromkeys(methods, 0)
    widths = dict.fromkeys(methods, 0.0)
    for row in drawn:
        strata = [
            Stratum(int(N), int(m), int(x)) for N, m, x in zip(sizes, taken, row, strict=True)
        ]
        for method in methods:
            estimate = stratified_proportion(strata, method=method, confidence=confidence)
            covered[method] += estimate.lower <= truth <= estimate.upper
            widths[method] += estimate.width
    return {m: (covered[m] / draws, widths[m] / draws) for m in methods}


def trusted(rate: float) -> bool:
    """The test's criterion: a 95% interval covers the truth in 93% to 99% of draws."""
    return ACCEPTABLE[0] <= rate <= ACCEPTABLE[1]


SCENARIOS = tuple(
    Scenario(f"{label} strata, n={n}, p≈{p}", strata, n, p)
    for label, strata in (("few", 3), ("many", 30))
    for n in (30, 90, 300)
    for p in (0.03, 0.5, 0.97)
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000, help="samples drawn a scenario")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv if argv is not None else [])
    started = time.perf_counter()
    print(f"Coverage of nominal 95% intervals, {args.draws} stratified samples a scenario")
    low, high = ACCEPTABLE
    print(f"(frame of {FRAME:,} cases; acceptable coverage {low:.0%} to {high:.0%})")
    print()
    header = f"{'strata':>6} {'n':>4} {'p':>5} {'true p':>7}"
    for method in METHODS:
        header += f" | {method + ' cover':>17} {'width':>5}"
    print(header)
    print("-" * len(header))
    misses: dict[str, int] = dict.fromkeys(METHODS, 0)
    for number, scenario in enumerate(SCENARIOS):
        frame = make_frame(strata=scenario.strata, p=scenario.p, seed=args.seed + number)
        result = coverage(frame, n=scenario.n, draws=args.draws, seed=args.seed + 100 + number)
        line = f"{scenario.strata:>6} {scenario.n:>4} {scenario.p:>5} {frame.truth:>7.3f}"
        for method in METHODS:
            rate, width = result[method]
            flag = " " if trusted(rate) else "*"
            misses[method] += not trusted(rate)
            line += f" | {rate:>16.1%}{flag} {width:>5.3f}"
        print(line)
    print()
    print("* outside the acceptable range. Korn-Graubard errs on the safe side (over 99%) only")
    print("  where n is small and p near 0 or 1; Wald fails there, zero-wide when none or all meet")
    print("  the criterion.")
    for method in METHODS:
        print(f"{method}: outside the range in {misses[method]} of {len(SCENARIOS)} scenarios")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
