"""Drawing samples from the frame (SPEC §3; Bury 2.1, 4.2, 6.2; Leeds 4.4–4.5).

The monthly sample is a stratified random sample of the month's frame:

- **Frame**: for each Annex A list, its newest imported snapshot on or before the month's
  sampling day (SPEC §2). With no list imported yet, the cases open now.
- **Size**: the audit pool members available that month and their quotas, at least one
  case each (Bury 6.2). The pool is data: `monthly_sample_size(pool=[(user, quota), …])`.
- **Exclusions**, each counted and recorded: cases closed since the snapshot; cases whose
  team is not known yet (waiting in Match the names); cases under an open audit; cases
  audited within the policy's look-back (Leeds 4.4: 12 months).
- **Strata**: the policy's strata (service area, case type, team). Proportional
  allocation with a minimum per stratum; within a stratum a simple random sample, so
  every eligible case of a stratum is equally likely to be drawn.
- **Seed**: recorded; the same frame, settings and seed draw the same cases. Each
  stratum draws from its own generator seeded with the seed and the stratum's name, so
  a change in one stratum does not reshuffle the others.
- **Weight** of a drawn case: N_h / n_h, the stratum's open frame cases over the cases
  drawn from it, for the population estimate (Bury 2.1).

A thematic sample is the same draw over a filter of the frame, with a size QA staff or a
head of service choose (Bury 4.2, Leeds 4.5).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts import working_days
from accounts.errors import RuleViolation
from accounts.models import Persona, Policy, ServiceArea, Stratum, Team, User
from accounts.selectors import available_pool, policy_get
from accounts.services import notify

from ..models import (
    AnnexList,
    Case,
    CaseStatus,
    CaseType,
    LegalStatus,
    Sample,
    SampleCase,
    SampleKind,
    SampleStatus,
    Snapshot,
    SnapshotCase,
    SnapshotStatus,
)
from .staleness import stale_note

logger = logging.getLogger(__name__)

EXCLUSIONS = (
    ("closed", "Closed since the list was imported"),
    ("team_unknown", "Waiting for their team in Match the names"),
    ("audit_open", "Under an audit in progress"),
    ("recently_audited", "Audited within the look-back"),
)
# A thematic filter on legal status matches the stored code or its label ("C2", "care order").
_LEGAL_LABELS = dict(LegalStatus.choices)


# The frame -------------------------------------------------------------------------------


def sampling_day(*, period: dt.date, policy: Policy | None = None) -> dt.date:
    """The working day of the month the sample is drawn (first by default: P&Q 1)."""
    policy = policy or policy_get()
    first = working_days.first_working_day(period.year, period.month, policy.closures)
    return working_days.add(first, max(0, policy.sampling_working_day - 1), policy.closures)


def frame_snapshots(*, day: dt.date) -> list[Snapshot]:
    """For each list, the newest snapshot imported on or before `day` (SPEC §2)."""
    found = []
    for code in AnnexList.values:
        snapshot = (
            Snapshot.objects.filter(annex_list=code, status=SnapshotStatus.IMPORTED, as_of__lte=day)
            .order_by("-as_of")
            .first()
        )
        if snapshot:
            found.append(snapshot)
    return found


@dataclass(frozen=True, slots=True)
class FrameCase:
    id: int
    external_id: str
    case_type: str
    team_id: int | None
    area_id: int | None
    status: str
    audit_open: bool
    last_audited_on: dt.date | None
    age_band: str
    disability: bool | None
    legal_status: str


def frame_cases(*, snapshots: list[Snapshot]) -> list[FrameCase]:
    """The cases of the frame, with what the draw needs (one query)."""
    cases = Case.objects.all()
    if snapshots:
        cases = cases.filter(
            Exists(
                SnapshotCase.objects.filter(
                    snapshot_id__in=[s.pk for s in snapshots], case_id=OuterRef("pk")
                )
            )
        )
    else:
        cases = cases.filter(status=CaseStatus.OPEN)
    return [
        FrameCase(*row)
        for row in cases.order_by("external_id").values_list(
            "id",
            "external_id",
            "case_type",
            "team_id",
            "team__service_area_id",
            "status",
            "audit_open",
            "last_audited_on",
            "age_band",
            "disability",
            "legal_status",
        )
    ]


# Size and allocation ---------------------------------------------------------------------


def audit_pool(*, period: dt.date) -> list[tuple[User, int]]:
    """The auditors available in the month, each with their monthly quota: active pool
    members less those on a break that month (P&Q 2-3), as the accounts app reckons it."""
    return available_pool(period=period)


def monthly_sample_size(
    *, pool: Iterable[tuple[Any, int]], paired_percent: int = 0, paired_auditors: int = 2
) -> int:
    """The month's sample size: each available auditor's quota, at least one case each
    (Bury 6.2, 5.2).

    A paired case takes the place of `paired_auditors` audits (Bury 8.1), so when the policy
    pairs a share of cases the sample shrinks to leave room for the second (and third)
    auditors: n cases use n * (1 + share * (auditors - 1)) audits of the pool's capacity.
    """
    capacity = sum(max(1, int(quota)) for _member, quota in pool)
    extra = (paired_percent / 100) * max(0, paired_auditors - 1)
    return int(capacity // (1 + extra)) if extra else capacity


def _policy_sample_size(pool: list[tuple[Any, int]], policy: Policy) -> int:
    return monthly_sample_size(
        pool=pool, paired_percent=policy.paired_percent, paired_auditors=policy.paired_auditors
    )


def allocate(
    *, population: dict[str, int], eligible: dict[str, int], n: int, minimum: int
) -> dict[str, int]:
    """How many cases to draw from each stratum: proportional to its share of the frame,
    at least `minimum` where it has cases, never more than it has eligible, summing to `n`
    (or to every eligible case, if fewer). When `n` is too small to give every stratum its
    minimum, the largest strata get theirs first."""
    keys = sorted(k for k in population if eligible.get(k, 0) > 0)
    sizes = dict.fromkeys(population, 0)
    n = min(n, sum(eligible[k] for k in keys))
    if n <= 0:
        return sizes
    remaining = n
    for key in sorted(keys, key=lambda k: (-population[k], k)):
        give = min(minimum, eligible[key], remaining)
        sizes[key] = give
        remaining -= give
        if not remaining:
            break
    # The rest by Sainte-Laguë's divisors (1, 3, 5, …): the closest whole-number shares
    # to the strata's shares of the frame, given the minimums already placed.
    while remaining:
        open_keys = [k for k in keys if sizes[k] < eligible[k]]
        key = max(open_keys, key=lambda k: (population[k] / (2 * sizes[k] + 1), population[k]))
        sizes[key] += 1
        remaining -= 1
    return sizes


# The draw --------------------------------------------------------------------------------


@dataclass
class DrawResult:
    chosen: list[tuple[int, str, float]]  # (case id, stratum, weight)
    strata_table: list[dict]
    exclusions: dict[str, int]
    frame_size: int
    notes: list[str] = field(default_factory=list)


def _labels() -> tuple[dict[int, str], dict[int, str]]:
    return (
        dict(ServiceArea.objects.values_list("id", "name")),
        dict(Team.objects.values_list("id", "name")),
    )


def _stratum(case: FrameCase, strata: list[str], areas: dict, teams: dict) -> str:
    parts = []
    for name in strata:
        if name == Stratum.SERVICE_AREA:
            parts.append(areas.get(case.area_id, "No service area"))
        elif name == Stratum.CASE_TYPE:
            parts.append(
                CaseType(case.case_type).label
                if case.case_type in CaseType.values
                else case.case_type
            )
        elif name == Stratum.TEAM:
            parts.append(teams.get(case.team_id, "No team"))
    return " / ".join(parts) or "All cases"


def matches(case: FrameCase, filters: dict) -> bool:
    """Whether a case is in a thematic sample's part of the frame."""
    if filters.get("case_types") and case.case_type not in filters["case_types"]:
        return False
    if filters.get("teams") and case.team_id not in filters["teams"]:
        return False
    if filters.get("service_areas") and case.area_id not in filters["service_areas"]:
        return False
    if filters.get("age_bands") and case.age_band not in filters["age_bands"]:
        return False
    disability = filters.get("disability")
    if disability == "yes" and case.disability is not True:
        return False
    if disability == "no" and case.disability is not False:
        return False
    legal = (filters.get("legal_status") or "").strip().lower()
    if not legal:
        return True
    label = _LEGAL_LABELS.get(case.legal_status, "")
    return legal in case.legal_status.lower() or legal in label.lower()


def draw(
    *,
    cases: list[FrameCase],
    strata: list[str],
    n: int,
    minimum: int,
    seed: int,
    lookback_cutoff: dt.date | None,
    filters: dict | None = None,
) -> DrawResult:
    """Draw a stratified random sample of `n` cases (see the module's docstring). Pure: the
    same cases, settings and seed give the same result."""
    areas, teams = _labels()
    if filters:
        cases = [c for c in cases if matches(c, filters)]
    exclusions = dict.fromkeys((key for key, _ in EXCLUSIONS), 0)
    population: dict[str, int] = {}
    pools: dict[str, list[FrameCase]] = {}
    for case in cases:
        if case.status != CaseStatus.OPEN:
            exclusions["closed"] += 1
            continue
        if case.team_id is None:
            # The list gave no team we know: the case waits in Match the names and is out
            # of the frame, its stratum unknown, until its team is known.
            exclusions["team_unknown"] += 1
            continue
        key = _stratum(case, strata, areas, teams)
        population[key] = population.get(key, 0) + 1
        pools.setdefault(key, [])
        if case.audit_open:
            exclusions["audit_open"] += 1
        elif lookback_cutoff and case.last_audited_on and case.last_audited_on > lookback_cutoff:
            exclusions["recently_audited"] += 1
        else:
            pools[key].append(case)
    eligible = {k: len(v) for k, v in pools.items()}
    sizes = allocate(population=population, eligible=eligible, n=n, minimum=minimum)
    chosen: list[tuple[int, str, float]] = []
    table = []
    for key in sorted(population):
        n_h = sizes.get(key, 0)
        weight = population[key] / n_h if n_h else None
        if n_h:
            rng = random.Random(f"{seed}/{key}")
            for case in rng.sample(pools[key], n_h):
                chosen.append((case.id, key, weight))
        table.append(
            {
                "stratum": key,
                "frame": population[key],
                "eligible": eligible[key],
                "size": n_h,
                "weight": round(weight, 4) if weight else None,
            }
        )
    notes = []
    total_eligible = sum(eligible.values())
    if n > total_eligible:
        notes.append(
            f"{n} cases were asked for but only {total_eligible} are eligible; all were drawn."
        )
    empty = [row["stratum"] for row in table if row["eligible"] and not row["size"]]
    if empty:
        notes.append(
            f"{len(empty)} strata have no case drawn: the sample is smaller than the number "
            "of strata times the minimum."
        )
    return DrawResult(
        chosen=chosen,
        strata_table=table,
        exclusions=exclusions,
        frame_size=len(cases),
        notes=notes,
    )


def new_seed() -> int:
    return secrets.randbelow(10**9)


# Samples ---------------------------------------------------------------------------------


def _method(policy_strata: list[str], minimum: int) -> str:
    names = dict(Stratum.choices)
    by = ", ".join(str(names.get(s, s)).lower() for s in policy_strata) or "nothing"
    return (
        f"Stratified by {by}; proportional allocation with at least {minimum} a stratum; "
        "a simple random sample within each stratum."
    )


def _fill(
    sample: Sample,
    *,
    today: dt.date,
    seed: int,
    n: int,
    by: User | None,
    frame_day: dt.date,
    policy: Policy,
) -> Sample:
    snapshots = frame_snapshots(day=frame_day)
    cases = frame_cases(snapshots=snapshots)
    cutoff = (
        working_days.add_months(sample.period, -policy.lookback_months)
        if policy.lookback_months
        else None
    )
    result = draw(
        cases=cases,
        strata=list(policy.strata),
        n=n,
        minimum=policy.min_per_stratum,
        seed=seed,
        lookback_cutoff=cutoff,
        filters=sample.filters if sample.kind == SampleKind.THEMATIC else None,
    )
    notes = list(result.notes)
    if not snapshots:
        notes.insert(0, "No case list has been imported: the frame is the cases open now.")
    stale = stale_note(snapshots=snapshots, frame_day=frame_day, today=today)
    if stale:
        notes.append(stale)
    sample.seed = seed
    sample.strata = list(policy.strata)
    sample.method = _method(sample.strata, policy.min_per_stratum)
    sample.min_per_stratum = policy.min_per_stratum
    sample.lookback_months = policy.lookback_months
    sample.requested_size = n
    sample.size = len(result.chosen)
    sample.drawn_on = today
    sample.frame_snapshots = [s.pk for s in snapshots]
    sample.frame_size = result.frame_size
    sample.exclusions = result.exclusions
    sample.strata_table = result.strata_table
    sample.notes = notes
    sample.history = [
        *sample.history,
        {
            "action": "redrawn" if sample.history else "drawn",
            "seed": seed,
            "by": by.full_name if by else "The monthly sweep",
            "at": timezone.now().isoformat(timespec="seconds"),
        },
    ]
    sample.save()
    sample.sample_cases.all().delete()
    SampleCase.objects.bulk_create(
        [
            SampleCase(sample=sample, case_id=case_id, stratum=stratum[:200], weight=weight)
            for case_id, stratum, weight in result.chosen
        ],
        batch_size=1000,
    )
    return sample


def _monthly(period: dt.date, status: str) -> Sample | None:
    return Sample.objects.filter(kind=SampleKind.MONTHLY, period=period, status=status).first()


def sample_draw_monthly(
    *,
    period: dt.date,
    today: dt.date,
    by: User | None = None,
    seed: int | None = None,
    pool: list[tuple[Any, int]] | None = None,
) -> Sample:
    """Draft the month's sample, or return the one the month already has (confirmed
    first, then a draft): the month has one monthly sample. Safe to call twice, or from
    two places at once."""
    period = period.replace(day=1)
    existing = _monthly(period, SampleStatus.CONFIRMED) or _monthly(period, SampleStatus.DRAFT)
    if existing:
        return existing
    policy = policy_get()
    pool = audit_pool(period=period) if pool is None else pool
    try:
        with transaction.atomic():
            sample = Sample.objects.create(
                kind=SampleKind.MONTHLY, period=period, seed=0, created_by=by
            )
            sample.pool_size = len(pool)
            return _fill(
                sample,
                today=today,
                seed=new_seed() if seed is None else seed,
                n=_policy_sample_size(pool, policy),
                by=by,
                frame_day=sampling_day(period=period, policy=policy),
                policy=policy,
            )
    except IntegrityError:
        # Another request drafted the month's sample first; theirs is the month's.
        existing = _monthly(period, SampleStatus.CONFIRMED) or _monthly(period, SampleStatus.DRAFT)
        if existing is None:
            raise
        return existing


def sample_draw_thematic(
    *,
    name: str,
    period: dt.date,
    filters: dict,
    size: int,
    today: dt.date,
    by: User | None,
    seed: int | None = None,
) -> Sample:
    """Draft a thematic sample: a chosen size drawn from a filter of the frame (case type,
    team, service area, age band, disability, legal status) (Bury 4.2, Leeds 4.5)."""
    if size < 1:
        raise RuleViolation("A sample needs at least one case.")
    policy = policy_get()
    with transaction.atomic():
        sample = Sample.objects.create(
            kind=SampleKind.THEMATIC,
            period=period.replace(day=1),
            name=name,
            filters=filters,
            seed=0,
            created_by=by,
        )
        return _fill(
            sample,
            today=today,
            seed=new_seed() if seed is None else seed,
            n=size,
            by=by,
            frame_day=today,
            policy=policy,
        )


@transaction.atomic
def sample_redraw(
    *, sample: Sample, today: dt.date, by: User | None, seed: int | None = None
) -> Sample:
    """Draw a draft again with another seed (or the one given). The earlier seeds stay in
    the sample's history, so a redraw is never hidden. A confirmed sample is fixed."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if sample.status == SampleStatus.CONFIRMED:
        raise RuleViolation("This sample is confirmed and cannot be drawn again.")
    policy = policy_get()
    if sample.kind == SampleKind.MONTHLY:
        pool = audit_pool(period=sample.period)
        sample.pool_size = len(pool)
        n = _policy_sample_size(pool, policy)
        frame_day = sampling_day(period=sample.period, policy=policy)
    else:
        n = sample.requested_size
        frame_day = today
    return _fill(
        sample,
        today=today,
        seed=new_seed() if seed is None else seed,
        n=n,
        by=by,
        frame_day=frame_day,
        policy=policy,
    )


@transaction.atomic
def sample_confirm(*, sample: Sample, by: User | None) -> Sample:
    """Fix a draft sample. The month has one confirmed monthly sample: confirming again
    returns the one already confirmed."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if sample.status == SampleStatus.CONFIRMED:
        return sample
    if sample.kind == SampleKind.MONTHLY:
        confirmed = _monthly(sample.period, SampleStatus.CONFIRMED)
        if confirmed:
            return confirmed
    if not sample.size:
        raise RuleViolation("The sample has no cases. Import the case lists and draw it again.")
    sample.status = SampleStatus.CONFIRMED
    sample.confirmed_by = by
    sample.confirmed_at = timezone.now()
    sample.history = [
        *sample.history,
        {
            "action": "confirmed",
            "seed": sample.seed,
            "by": by.full_name if by else "",
            "at": sample.confirmed_at.isoformat(timespec="seconds"),
        },
    ]
    sample.save()
    return sample


def sweep_draft_monthly_sample(*, today: dt.date) -> Sample | None:
    """On or after the month's sampling day, draft its sample if it has none, and tell QA
    staff to check and confirm it. Running twice, late or on two workers drafts one."""
    period = today.replace(day=1)
    if today < sampling_day(period=period):
        return None
    if Sample.objects.filter(kind=SampleKind.MONTHLY, period=period).exists():
        return None
    if not frame_cases(snapshots=frame_snapshots(day=today))[:1]:
        logger.info("no frame for %s: the monthly sample waits for a case list", period)
        return None
    sample = sample_draw_monthly(period=period, today=today)
    notify(
        recipients=User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True).distinct(),
        template="sample-drafted",
        key=f"sample-drafted:{period.isoformat()}",
        context={"sample": sample},
        url=reverse("sampling:sample-detail", args=[sample.pk]),
    )
    return sample
