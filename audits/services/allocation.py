"""The month's allocation: propose, review, confirm, move, reallocate; the audit's start and
finish as the audits app reports them."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import BreakRequest, BreakStatus, User
from accounts.selectors import available_pool, policy_get
from accounts.services import notify
from sampling.services import case_mark_audit_finished, case_mark_audit_started

from .. import lifecycle
from ..allocator import plan_allocation
from ..deadlines import audit_deadline
from ..eligibility import Rules, eligibility_reason, refusal, refusal_text
from ..models import (
    LIVE_STATUSES,
    Allocation,
    AllocationHistory,
    AllocationRun,
    AllocationStatus,
    Audit,
    AuditEvent,
    RunKind,
    RunStatus,
)
from ..selectors import (
    auditor_facts,
    audits_given_in_month,
    case_facts,
    confirmed_sample,
    month_start,
    sample_case_facts,
)


@transaction.atomic
def allocation_transition(
    *, allocation: Allocation, to: str, by: User | None, why: str = ""
) -> Allocation:
    """Move an allocation to another status, as the TRANSITIONS map allows, with a history
    row saying who, when, from, to and why. Refuses any other move."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if to not in Allocation.TRANSITIONS[allocation.status]:
        raise RuleViolation(
            f"An allocation that is {allocation.get_status_display().lower()} cannot become "
            f"{AllocationStatus(to).label.lower()}."
        )
    AllocationHistory.objects.create(
        allocation=allocation, from_status=allocation.status, to_status=to, by=by, why=why
    )
    allocation.status = to
    allocation.save(update_fields=["status"])
    return allocation


@transaction.atomic
def allocation_propose(
    *, period: dt.date, today: dt.date, seed: int | None = None, by: User | None = None
) -> AllocationRun:
    """Propose the month's allocation of its confirmed sample; return the one that exists.

    Each case goes to auditors who may audit it, within their quotas, load spread and the
    policy's share paired (SPEC §4; Leeds 5, Bradford 2, Bury 5.2, 6.2, 8.1). Deterministic
    for the sample and seed (the sample's own seed unless another is given). Cases no one
    can take are recorded on the run with the reason.
    """
    period = month_start(period)
    monthly = AllocationRun.objects.filter(kind=RunKind.MONTHLY)
    existing = monthly.filter(period=period).first()
    if existing is not None:
        return existing
    sample = confirmed_sample(period=period)
    if sample is None:
        raise RuleViolation(
            f"There is no confirmed sample for {period:%B %Y}: confirm the month's sample first."
        )
    seed = sample.seed if seed is None else seed
    try:
        with transaction.atomic():
            run = AllocationRun.objects.create(
                period=period, sample=sample, seed=seed, proposed_by=by
            )
    except IntegrityError:  # another worker proposed it a moment ago
        return monthly.get(period=period)

    used = audits_given_in_month(period=period, exclude_run=run)
    return _fill_run(run=run, used=used, by=by)


def _fill_run(*, run: AllocationRun, used: dict[int, int] | None, by: User | None) -> AllocationRun:
    """Place the run's sample with the available pool and write the proposed allocations,
    with the cases no one can take and why. `used`: audits each person already has this
    month, within their quota (None: the run's quotas stand apart, as for a thematic
    sample)."""
    period, sample, seed = run.period, run.sample, run.seed
    policy = policy_get()
    rules = Rules.from_policy(policy)
    pool = available_pool(period=period)
    facts = auditor_facts(user for user, _ in pool)
    cases = {c.id: c for c in sample_case_facts(sample=sample)}
    plan = plan_allocation(
        cases=list(cases.values()),
        pool=[(facts[user.pk], quota) for user, quota in pool],
        rules=rules,
        seed=seed,
        paired_percent=policy.paired_percent,
        paired_auditors=policy.paired_auditors,
        used=used,
    )
    rng = random.Random(seed)
    groups: dict[int, uuid.UUID] = {}
    rows = []
    for placement in plan.placements:
        group = None
        if placement.paired:
            group = groups.setdefault(placement.case_id, uuid.UUID(int=rng.getrandbits(128)))
        rows.append(
            Allocation(
                run=run,
                sample=sample,
                case_id=placement.case_id,
                auditor_id=placement.auditor_id,
                period=period,
                eligibility_reason=eligibility_reason(
                    facts[placement.auditor_id], cases[placement.case_id], rules
                ),
                pair_group=group,
            )
        )
    created = Allocation.objects.bulk_create(rows, batch_size=500)
    AllocationHistory.objects.bulk_create(
        [
            AllocationHistory(
                allocation=a, to_status=AllocationStatus.PROPOSED, by=by, why="Proposed"
            )
            for a in created
        ],
        batch_size=500,
    )
    run.unallocated = [
        {"case_id": case_id, "external_id": cases[case_id].external_id, "reason": reason}
        for case_id, reason in plan.problems
    ]
    run.notes = " ".join(plan.notes)
    run.save(update_fields=["unallocated", "notes"])
    return run


def _start_day(*, period: dt.date, today: dt.date) -> dt.date:
    # Confirmed before the month begins, an audit counts from the month's first day.
    return max(today, period)


@transaction.atomic
def allocation_confirm(*, run: AllocationRun, by: User | None, today: dt.date) -> AllocationRun:
    """Confirm the month's allocation and send its notices, once.

    Each auditor is told their cases with the deadline; each case's allocated worker and
    team manager are told who audits it (Bradford 2, Bury 6.4). The deadline follows the
    policy: N working days from allocation (Bury 6.4) or the month's end (P&Q 6).
    Confirming twice changes and sends nothing more.
    """
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if run.status == RunStatus.CONFIRMED:
        return run
    policy = policy_get()
    start = _start_day(period=run.period, today=today)
    # A thematic sample has its own deadline (Bury 4.2, Leeds 4.5).
    deadline = run.deadline or audit_deadline(policy=policy, allocated_on=start)
    proposed = list(run.allocations.filter(status=AllocationStatus.PROPOSED))
    run.allocations.filter(status=AllocationStatus.PROPOSED).update(
        status=AllocationStatus.ALLOCATED, allocated_on=start, deadline=deadline
    )
    AllocationHistory.objects.bulk_create(
        [
            AllocationHistory(
                allocation=a,
                from_status=AllocationStatus.PROPOSED,
                to_status=AllocationStatus.ALLOCATED,
                by=by,
                why="Allocation confirmed" if by else "Sent without review, as the policy says",
            )
            for a in proposed
        ],
        batch_size=500,
    )
    run.status = RunStatus.CONFIRMED
    run.confirmed_at = timezone.now()
    run.confirmed_by = by
    run.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    for case_id in sorted({a.case_id for a in proposed}):
        case_mark_audit_started(case_id=case_id, today=start)
    _send_allocation_notices(run=run)
    return run


def _send_allocation_notices(*, run: AllocationRun) -> None:
    allocations = list(
        run.allocations.filter(status=AllocationStatus.ALLOCATED)
        .select_related("case__team__manager", "case__allocated_worker", "auditor")
        .order_by("case__external_id")
    )
    by_auditor: dict[int, list[Allocation]] = defaultdict(list)
    by_case: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in allocations:
        by_auditor[allocation.auditor_id].append(allocation)
        by_case[allocation.case_id].append(allocation)
    month = f"{run.period:%Y-%m}" if run.kind == RunKind.MONTHLY else f"run{run.pk}"
    for mine in by_auditor.values():
        notify(
            recipients=[mine[0].auditor],
            template="allocation-auditor",
            key=f"allocated:{month}:{mine[0].auditor_id}",
            context={"allocations": mine, "period": run.period},
            url=reverse("audits:mine"),
        )
    for group in by_case.values():
        case = group[0].case
        notify(
            recipients=[case.allocated_worker, case.team.manager if case.team_id else None],
            template="allocation-case",
            key=f"case-allocated:{month}:{case.pk}",
            context={"case": case, "allocations": group, "period": run.period},
        )


def _refusal_to_take(
    *,
    case_id: int,
    auditor: User,
    period: dt.date,
    sample_id: int,
    moving: Allocation | None,
    check_quota: bool = True,
) -> str | None:
    """Why this person may not take this case this month, or None when they may."""
    if not (auditor.is_active and auditor.in_audit_pool):
        return f"{auditor.full_name} is not in the audit pool."
    if BreakRequest.objects.filter(user=auditor, month=period, status=BreakStatus.GRANTED).exists():
        return f"{auditor.full_name} is on a break from auditing in {period:%B %Y}."
    others = Allocation.objects.filter(sample_id=sample_id, case_id=case_id, auditor=auditor)
    if moving is not None:
        others = others.exclude(pk=moving.pk)
    if others.exists():
        return f"{auditor.full_name} already has, or has had, this case in this sample."
    auditor = User.objects.select_related("team__service_area", "service_area").get(pk=auditor.pk)
    facts = auditor_facts([auditor])[auditor.pk]
    case = case_facts(case_ids=[case_id])[case_id]
    why = refusal(facts, case, Rules.from_policy(policy_get()))
    if why is not None:
        return refusal_text(facts, case, why)
    if not check_quota:
        return None
    quota = {u.pk: q for u, q in available_pool(period=period)}.get(auditor.pk, 0)
    given = audits_given_in_month(period=period).get(auditor.pk, 0)
    if moving is not None and moving.auditor_id == auditor.pk:
        given -= 1
    if given >= quota:
        return (
            f"{auditor.full_name} has reached their quota of {quota} audit"
            f"{'s' if quota != 1 else ''} in {period:%B %Y}."
        )
    return None


@transaction.atomic
def allocation_move(
    *,
    allocation: Allocation,
    to_auditor: User,
    by: User,
    today: dt.date,
    why: str = "",
    hand_on_draft: bool = True,
) -> Allocation:
    """QA staff give a case to another auditor, who must be eligible, available and within
    quota; refused with the reason otherwise. A proposed allocation changes hands; a
    confirmed one is reallocated and the new auditor told, and a draft begun goes with it
    (or is closed, kept read only, with `hand_on_draft=False`). A submitted audit is never
    moved."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.auditor_id == to_auditor.pk:
        raise RuleViolation(f"{to_auditor.full_name} already has this case.")
    if allocation.status not in LIVE_STATUSES:
        raise RuleViolation("Only a proposed or allocated audit can be moved.")
    if allocation.completed_at is not None or audit_submitted(allocation):
        raise RuleViolation("This audit has been submitted; a submitted audit is never moved.")
    refused = _refusal_to_take(
        case_id=allocation.case_id,
        auditor=to_auditor,
        period=allocation.period,
        sample_id=allocation.sample_id,
        moving=None,
    )
    if refused:
        raise RuleViolation(refused)
    if allocation.status == AllocationStatus.ALLOCATED:
        return _reallocate(
            allocation=allocation,
            to=to_auditor,
            by=by,
            today=today,
            to_status=AllocationStatus.REALLOCATED,
            why=why or f"Moved by {by.full_name}",
            hand_on_draft=hand_on_draft,
        )
    previous = allocation.auditor
    to_auditor = User.objects.select_related("team__service_area", "service_area").get(
        pk=to_auditor.pk
    )
    allocation.auditor = to_auditor
    allocation.eligibility_reason = eligibility_reason(
        auditor_facts([to_auditor])[to_auditor.pk],
        case_facts(case_ids=[allocation.case_id])[allocation.case_id],
        Rules.from_policy(policy_get()),
    )
    allocation.save(update_fields=["auditor", "eligibility_reason"])
    AllocationHistory.objects.create(
        allocation=allocation,
        from_status=allocation.status,
        to_status=allocation.status,
        by=by,
        why=why or f"Moved from {previous.full_name} to {to_auditor.full_name}",
    )
    return allocation


@transaction.atomic
def allocation_place(
    *,
    run: AllocationRun,
    case_id: int,
    to_auditor: User,
    by: User,
    today: dt.date,
    over_quota: bool = False,
    why: str = "",
) -> Allocation:
    """QA staff give a case of the month's sample that nobody holds to an auditor by hand:
    a case the allocation could not place, or one left without an auditor after an agreed
    exemption (SPEC §4: every case of the sample goes to an eligible auditor). The auditor
    must be eligible and not on a break; with `over_quota` QA staff may knowingly give them
    one more than their quota. Once the month is confirmed they are told at once."""
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if not run.sample.sample_cases.filter(case_id=case_id).exists():
        raise RuleViolation("That case is not in this month's sample.")
    held = Allocation.objects.filter(sample_id=run.sample_id, case_id=case_id).filter(
        Q(status__in=LIVE_STATUSES) | Q(completed_at__isnull=False)
    )
    if held.exists():
        raise RuleViolation("Someone already has this case: move it instead.")
    refused = _refusal_to_take(
        case_id=case_id,
        auditor=to_auditor,
        period=run.period,
        sample_id=run.sample_id,
        moving=None,
        check_quota=not over_quota,
    )
    if refused:
        raise RuleViolation(refused)
    to_auditor = User.objects.select_related("team__service_area", "service_area").get(
        pk=to_auditor.pk
    )
    confirmed = run.status == RunStatus.CONFIRMED
    start = _start_day(period=run.period, today=today)
    allocation = Allocation.objects.create(
        run=run,
        sample_id=run.sample_id,
        case_id=case_id,
        auditor=to_auditor,
        period=run.period,
        status=AllocationStatus.ALLOCATED if confirmed else AllocationStatus.PROPOSED,
        eligibility_reason=eligibility_reason(
            auditor_facts([to_auditor])[to_auditor.pk],
            case_facts(case_ids=[case_id])[case_id],
            Rules.from_policy(policy_get()),
        ),
        allocated_on=start if confirmed else None,
        deadline=audit_deadline(policy=policy_get(), allocated_on=start) if confirmed else None,
    )
    note = "over their quota, " if over_quota else ""
    AllocationHistory.objects.create(
        allocation=allocation,
        to_status=allocation.status,
        by=by,
        why=why or f"Placed by hand by {by.full_name}, {note}as nobody else could take it",
    )
    run.unallocated = [p for p in run.unallocated if p.get("case_id") != case_id]
    run.save(update_fields=["unallocated"])
    if confirmed:
        case_mark_audit_started(case_id=case_id, today=today)
        allocation = Allocation.objects.select_related(
            "case__team__manager", "case__allocated_worker", "auditor"
        ).get(pk=allocation.pk)
        notify(
            recipients=[allocation.auditor],
            template="allocation-placed",
            key=f"allocation:{allocation.pk}",
            context={"allocation": allocation},
            url=reverse("audits:allocation", args=[allocation.pk]),
        )
        case = allocation.case
        notify(
            recipients=[case.allocated_worker, case.team.manager if case.team_id else None],
            template="allocation-case",
            key=f"case-allocated:{allocation.pk}",
            context={"case": case, "allocations": [allocation], "period": allocation.period},
        )
    return allocation


def _choose_replacement(*, allocation: Allocation) -> tuple[User | None, str]:
    """The eligible auditor with most quota left this month for a case being reallocated;
    ties broken by a random order seeded on the allocation, so the choice is repeatable."""
    policy = policy_get()
    rules = Rules.from_policy(policy)
    pool = available_pool(period=allocation.period)
    facts = auditor_facts(user for user, _ in pool)
    case = case_facts(case_ids=[allocation.case_id])[allocation.case_id]
    had_it = set(
        Allocation.objects.filter(
            sample_id=allocation.sample_id, case_id=allocation.case_id
        ).values_list("auditor_id", flat=True)
    )
    given = audits_given_in_month(period=allocation.period)
    rng = random.Random(allocation.pk)
    candidates = []
    for user, quota in pool:
        left = quota - given.get(user.pk, 0)
        if user.pk in had_it or left <= 0 or refusal(facts[user.pk], case, rules):
            continue
        candidates.append((given.get(user.pk, 0) > 0, -left, rng.random(), user))
    if not candidates:
        return None, "No other eligible auditor has room this month."
    user = min(candidates, key=lambda c: c[:3])[3]
    return user, eligibility_reason(facts[user.pk], case, rules)


def _reallocate(
    *,
    allocation: Allocation,
    to: User | None,
    by: User | None,
    today: dt.date,
    to_status: str,
    why: str,
    hand_on_draft: bool = True,
) -> Allocation | None:
    """End this allocation and give the case to `to` (or the best eligible auditor) at once,
    with a fresh deadline; the new auditor, worker and team manager are told. The audit
    stops being the first auditor's: a draft they began goes on with the new allocation
    (`hand_on_draft`), or stays with the ended one, closed and read only. Returns the new
    allocation, or None when no eligible auditor has room (QA staff then place it)."""
    if audit_submitted(allocation):
        raise RuleViolation("This audit has been submitted; a submitted audit is never moved.")
    allocation_transition(allocation=allocation, to=to_status, by=by, why=why)
    if to is None:
        to, reason = _choose_replacement(allocation=allocation)
        if to is None:
            return None
    else:
        to = User.objects.select_related("team__service_area", "service_area").get(pk=to.pk)
        reason = eligibility_reason(
            auditor_facts([to])[to.pk],
            case_facts(case_ids=[allocation.case_id])[allocation.case_id],
            Rules.from_policy(policy_get()),
        )
    start = _start_day(period=allocation.period, today=today)
    new = Allocation.objects.create(
        run_id=allocation.run_id,
        sample_id=allocation.sample_id,
        case_id=allocation.case_id,
        auditor=to,
        period=allocation.period,
        status=AllocationStatus.ALLOCATED,
        eligibility_reason=reason,
        pair_group=allocation.pair_group,
        replaces=allocation,
        allocated_on=start,
        deadline=audit_deadline(policy=policy_get(), allocated_on=start),
    )
    AllocationHistory.objects.create(
        allocation=new,
        to_status=AllocationStatus.ALLOCATED,
        by=by,
        why=f"Reallocated from {allocation.auditor.full_name}: {why}",
    )
    if hand_on_draft:
        _hand_on_draft(old=allocation, new=new, by=by)
    new = Allocation.objects.select_related(
        "case__team__manager", "case__allocated_worker", "auditor"
    ).get(pk=new.pk)
    notify(
        recipients=[new.auditor],
        template="allocation-reallocated",
        key=f"allocation:{new.pk}",
        context={"allocation": new, "previous": allocation.auditor},
        url=reverse("audits:allocation", args=[new.pk]),
    )
    case = new.case
    notify(
        recipients=[case.allocated_worker, case.team.manager if case.team_id else None],
        template="allocation-case",
        key=f"case-reallocated:{new.pk}",
        context={"case": case, "allocations": [new], "period": new.period, "reallocated": True},
    )
    return new


# An audit in these may still change hands; from submission on it is the auditor's for good.
DRAFT_STATUSES = frozenset({lifecycle.ALLOCATED, lifecycle.IN_PROGRESS, lifecycle.SHARED})


def audit_submitted(allocation: Allocation) -> bool:
    """Whether the allocation's audit has been submitted (or gone further)."""
    return (
        Audit.objects.filter(allocation_id=allocation.pk)
        .exclude(status__in=DRAFT_STATUSES)
        .exists()
        or Audit.objects.filter(allocation_id=allocation.pk, submitted_at__isnull=False).exists()
    )


def _hand_on_draft(*, old: Allocation, new: Allocation, by: User | None) -> None:
    """The draft begun under the ended allocation goes on under the new one: the new
    auditor carries on from it, and the first can no longer change or submit it."""
    audit = Audit.objects.filter(allocation_id=old.pk).first()
    if audit is None:
        return
    Audit.objects.filter(pk=audit.pk).update(allocation=new)
    AuditEvent.objects.create(
        audit=audit,
        from_status=audit.status,
        to_status=audit.status,
        by=by,
        why=f"Draft handed on from {old.auditor.full_name} to {new.auditor.full_name}",
    )
    if audit.started_at is not None:
        Allocation.objects.filter(pk=new.pk, started_at__isnull=True).update(
            started_at=audit.started_at
        )


def allocation_mark_started(*, allocation: Allocation, at: dt.datetime) -> bool:
    """The audit has begun (called by the audits of issue 5). Once only; returns whether
    this call set it."""
    return bool(
        Allocation.objects.filter(pk=allocation.pk, started_at__isnull=True).update(started_at=at)
    )


@transaction.atomic
def allocation_mark_completed(*, allocation: Allocation, at: dt.datetime) -> bool:
    """The audit is finished (called by the audits of issue 5). Once only; returns whether
    this call set it. An audit finished after its deadline still counts as done (P&Q 30)."""
    done = Allocation.objects.filter(pk=allocation.pk, completed_at__isnull=True).update(
        completed_at=at
    )
    Allocation.objects.filter(pk=allocation.pk, started_at__isnull=True).update(started_at=at)
    still_open = (
        Allocation.objects.filter(
            case_id=allocation.case_id,
            status=AllocationStatus.ALLOCATED,
            completed_at__isnull=True,
        )
        .exclude(pk=allocation.pk)
        .exists()
    )
    if done and not still_open:  # the last auditor of a paired audit has finished
        # Sampling's exclusions (an open audit, audited in the look-back) stay true.
        case_mark_audit_finished(case_id=allocation.case_id, today=timezone.localdate(at))
    return bool(done)
