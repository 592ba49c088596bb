"""The month's allocation as a pure computation: cases in, (case, auditor) pairs out.

Deterministic for the same cases, pool and seed: the seed only breaks ties. The rules:

- every case goes to auditors who may audit it (eligibility.py);
- no auditor gets more than their quota (Leeds 5, Bradford 2, P&Q 2) and load is spread:
  each auditor gets one before anyone gets a second (Bury 5.2, 6.2: at least one each),
  then the auditor with most quota left takes the next case;
- the hardest cases (fewest eligible auditors) are placed first, and a case left without
  an auditor may take one from a case that another auditor can take over;
- the policy's share of cases are paired: two or three auditors each (Bury 8.1);
- a case that cannot be placed is reported with the reason, never dropped.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from .eligibility import AuditorFacts, CaseFacts, Refusal, Rules, prefers, refusal


@dataclass(frozen=True)
class Placement:
    case_id: int
    auditor_id: int
    paired: bool


@dataclass
class Plan:
    placements: list[Placement] = field(default_factory=list)
    # (case id, why it has no auditor, or fewer than its pair needs)
    problems: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def paired_case_ids(case_ids: list[int], n: int, rng: random.Random) -> set[int]:
    """n cases, chosen at random, that get two or three auditors."""
    return set(rng.sample(sorted(case_ids), n)) if n else set()


def plan_allocation(
    *,
    cases: list[CaseFacts],
    pool: list[tuple[AuditorFacts, int]],
    rules: Rules,
    seed: int,
    paired_percent: int = 0,
    paired_auditors: int = 2,
    used: Mapping[int, int] | None = None,
) -> Plan:
    """Place each case with eligible auditors; `used` counts audits already given this month."""
    rng = random.Random(seed)
    cases = sorted(cases, key=lambda c: c.id)
    auditors = {a.id: a for a, _ in pool}
    remaining = {a.id: max(q - (used or {}).get(a.id, 0), 0) for a, q in pool}
    order = sorted(auditors)
    rng.shuffle(order)
    rank = {a: i for i, a in enumerate(order)}
    group_size = min(max(paired_auditors, 2), 3)
    # Every case gets one auditor before any gets a second: pair only as many cases as the
    # pool has room for beyond one auditor a case.
    wanted = round(len(cases) * paired_percent / 100)
    spare = max(sum(remaining.values()) - len(cases), 0)
    n_paired = min(wanted, spare // (group_size - 1))
    plan = Plan()
    if n_paired < wanted:
        plan.notes.append(
            f"The policy pairs {wanted} case{'s' if wanted != 1 else ''}; the pool's quotas "
            f"leave room beyond one auditor a case for {n_paired}."
        )
    paired = paired_case_ids([c.id for c in cases], n_paired, rng)
    need = {c.id: group_size if c.id in paired else 1 for c in cases}

    eligible: dict[int, list[int]] = {}
    refusals: dict[int, Counter[Refusal]] = {}
    for case in cases:
        ok, why = [], Counter()
        for auditor in auditors.values():
            reason = refusal(auditor, case, rules)
            if reason is None:
                ok.append(auditor.id)
            else:
                why[reason] += 1
        eligible[case.id] = ok
        refusals[case.id] = why

    tie = {c.id: rng.random() for c in cases}
    by_id = {c.id: c for c in cases}
    queue = sorted(cases, key=lambda c: (len(eligible[c.id]) / need[c.id], tie[c.id]))
    given: Counter[int] = Counter()
    on_case: dict[int, list[int]] = {c.id: [] for c in cases}
    cases_of: dict[int, list[int]] = {a: [] for a in auditors}

    def place(case_id: int, auditor_id: int) -> None:
        on_case[case_id].append(auditor_id)
        cases_of[auditor_id].append(case_id)
        remaining[auditor_id] -= 1
        given[auditor_id] += 1

    for case in queue:
        candidates = [a for a in eligible[case.id] if remaining[a] > 0]
        candidates.sort(
            key=lambda a: (
                not prefers(auditors[a], case, rules),
                given[a] > 0,
                -remaining[a],
                rank[a],
            )
        )
        for auditor_id in candidates[: need[case.id]]:
            place(case.id, auditor_id)
        while len(on_case[case.id]) < need[case.id]:
            if not _free_someone(case.id, eligible, on_case, cases_of, remaining, rank, place):
                break

    for case in cases:
        group = on_case[case.id]
        for auditor_id in sorted(group, key=lambda a: rank[a]):
            plan.placements.append(Placement(case.id, auditor_id, paired=len(group) > 1))
        if not group:
            plan.problems.append((case.id, _why_unplaced(by_id[case.id], eligible, refusals)))
        elif len(group) < need[case.id]:
            plan.problems.append(
                (
                    case.id,
                    f"Chosen for a paired audit, but only {len(group)} eligible auditor"
                    f"{'s' if len(group) != 1 else ''} had room; "
                    f"it is audited by {len(group)}.",
                )
            )
    return plan


def _free_someone(case_id, eligible, on_case, cases_of, remaining, rank, place) -> bool:
    """Give the case an eligible auditor who is full, by moving one of that auditor's cases
    to another eligible auditor with room. One step deep; enough for a monthly pool."""
    for full in sorted(eligible[case_id], key=lambda a: rank[a]):
        if full in on_case[case_id] or remaining[full] > 0:
            continue
        for other_case in cases_of[full]:
            for spare in sorted(eligible[other_case], key=lambda a: rank[a]):
                if remaining[spare] > 0 and spare not in on_case[other_case]:
                    on_case[other_case].remove(full)
                    cases_of[full].remove(other_case)
                    remaining[full] += 1
                    place(other_case, spare)
                    place(case_id, full)
                    return True
    return False


def _why_unplaced(
    case: CaseFacts, eligible: Mapping[int, list[int]], refusals: Mapping[int, Counter]
) -> str:
    if eligible[case.id]:
        n = len(eligible[case.id])
        return (
            f"All {n} pool member{'s' if n != 1 else ''} who may audit it "
            f"{'have' if n != 1 else 'has'} reached their quota this month."
        )
    why = refusals[case.id]
    if not why:
        return "No one in the audit pool is available this month."
    parts = [f"{n} {reason.value}" for reason, n in why.most_common()]
    return "No available pool member may audit it: " + "; ".join(parts) + "."
