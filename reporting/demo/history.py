"""The demo's months: draw and confirm each month's sample and allocation, choose what
becomes of each audit, and play them forward (see `reporting.demo`)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import Notice
from accounts.selectors import policy_get
from audits.models import Allocation, AllocationStatus, Audit
from audits.selectors import current_form_version
from audits.services import allocation_confirm, allocation_propose
from sampling.models import Sample
from sampling.selectors import monthly_sample
from sampling.services import sample_confirm, sample_draw_monthly, sampling_day

from .actions import progress_actions, supervise
from .audits import fill_qa_queue, play_audit
from .plan import (
    CURRENT,
    FATES,
    FINISHED,
    HISTORY_COUNTS,
    IN_PROGRESS,
    MIN_INADEQUATE,
    NOT_STARTED,
    OLD,
    RECENT,
    SAMPLE_TRIES,
    SHARED,
    Month,
    Plan,
    Unit,
    months_back,
)


def build_history(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Play the current month and the two before it forward through the services (see
    the docstring of `reporting.demo`). Returns what was made; a month that has audits already is
    left alone, so a second run makes nothing."""
    plan = Plan.load()
    current = today.replace(day=1)
    made: Counter = Counter()
    closures = list(policy_get().closures)
    version = current_form_version()
    if version is None:
        return dict.fromkeys(HISTORY_COUNTS, 0)
    for back, kind in ((2, OLD), (1, RECENT), (0, CURRENT)):
        period = months_back(current, back)
        month = Month(
            period=period,
            kind=kind,
            today=today,
            rng=random.Random(f"{seed}:{period:%Y-%m}"),
            closures=closures,
            definition=version.definition,
        )
        with transaction.atomic():
            _build_month(month, plan)
        made.update(month.made)
    # The history's notices count as sent long ago: no one is emailed about the past when
    # the worker starts (their queued tasks find nothing left to send).
    Notice.objects.filter(emailed_at__isnull=True, recipient__email__endswith=DEMO_DOMAIN).update(
        emailed_at=timezone.now()
    )
    return {key: made[key] for key in HISTORY_COUNTS}


# The month --------------------------------------------------------------------------------


def _build_month(month: Month, plan: Plan) -> None:
    if Audit.objects.filter(allocation__period=month.period).exists():
        return  # built before
    first_day = min(sampling_day(period=month.period), month.today)
    wanted = None if month.kind == OLD else plan.holds_worker_case
    sample = _sample(month, plan, first_day, wanted)
    sample_confirm(sample=sample, by=plan.qa)
    run = allocation_propose(period=month.period, today=first_day, by=plan.qa)
    allocation_confirm(run=run, by=plan.qa, today=first_day)
    units = _units(run.allocations.filter(status=AllocationStatus.ALLOCATED))
    if not units:
        return
    month.made["months"] += 1
    month.made["allocations"] += sum(len(u.allocations) for u in units)
    _choose_fates(month, plan, units)
    for unit in units:
        play_audit(month, plan, unit)
    if month.kind == CURRENT:
        fill_qa_queue(month, plan, units)
        return
    supervise(month, plan)
    progress_actions(month, plan)


def _sample(
    month: Month, plan: Plan, day: dt.date, wanted: Callable[[Sample], bool] | None
) -> Sample:
    """The month's sample: the one it has, or a new draw. Each seed is tried in a savepoint
    and the first sample holding what the demo needs is kept (QA staff may draw again with
    another seed; here the tries that are not kept leave no trace)."""
    existing = monthly_sample(period=month.period)
    if existing is not None:
        return existing
    for attempt in range(SAMPLE_TRIES):
        seed = month.rng.randrange(10**9)
        last = attempt == SAMPLE_TRIES - 1
        try:
            with transaction.atomic():
                sample = sample_draw_monthly(period=month.period, today=day, by=plan.qa, seed=seed)
                if wanted is None or last or wanted(sample):
                    return sample
                raise _TryAnotherSeed
        except _TryAnotherSeed:
            continue
    raise AssertionError("unreachable")  # the last try is always kept


class _TryAnotherSeed(Exception):
    pass


def _units(allocations: QuerySet[Allocation]) -> list[Unit]:
    by_key: dict[Any, Unit] = {}
    for allocation in allocations.select_related(
        "case__team__manager", "case__allocated_worker", "auditor"
    ).order_by("case__external_id", "auditor__email"):
        key = allocation.pair_group or allocation.pk
        by_key.setdefault(key, Unit(allocations=[])).allocations.append(allocation)
    return list(by_key.values())


def _choose_fates(month: Month, plan: Plan, units: list[Unit]) -> None:
    finished, in_progress = FATES[month.kind]
    for unit in units:
        draw = month.rng.random()
        unit.fate = (
            FINISHED
            if draw < finished
            else IN_PROGRESS
            if draw < finished + in_progress
            else NOT_STARTED
        )
        unit.grade = _grade(month, unit)
    worker_units = [u for u in units if u.case.allocated_worker_id == plan.social_worker.pk]
    for unit in units:
        # The demo team manager's team: finished audits with actions to see through.
        if month.kind != CURRENT and unit.case.team_id == plan.home_team.pk:
            unit.fate = FINISHED
            unit.grade = _grade(month, unit, band="middle")
            unit.min_actions = 2
        # The demo auditor: last month's audit still in progress (overdue, but still to be
        # done: P&Q 30), this month's not started.
        if any(a.auditor_id == plan.auditor.pk for a in unit.allocations):
            unit.fate = {OLD: FINISHED, RECENT: IN_PROGRESS, CURRENT: NOT_STARTED}[month.kind]
            # The demo auditor's own allocation is the one left unfinished in a pair.
            unit.allocations.sort(key=lambda a: a.auditor_id == plan.auditor.pk)
    if month.kind == CURRENT and worker_units:
        worker_units[0].fate = SHARED  # the demo social worker's case, for comment
    if month.kind != CURRENT:
        # A few inadequate audits each month, to show the inadequate pathway (P&Q 25).
        inadequate = [
            level["value"]
            for level in month.definition["scales"][month.definition["overall"]["scale"]]
            if level.get("inadequate")
        ]
        ordinary = [
            u
            for u in units
            if u.fate == FINISHED
            and not u.min_actions
            and u.case.allocated_worker_id != plan.social_worker.pk
        ]
        others = [u for u in ordinary if u.grade not in inadequate]
        wanted = max(0, MIN_INADEQUATE - (len(ordinary) - len(others))) if inadequate else 0
        for unit in month.rng.sample(others, min(len(others), wanted)):
            unit.grade = inadequate[0]


def _grade(month: Month, unit: Unit, band: str | None = None) -> str:
    """An overall grade: mostly Good and Requires improvement, a few of the best and a few
    inadequate (which starts the inadequate pathway)."""
    definition = month.definition
    levels = definition["scales"][definition["overall"]["scale"]]
    if band == "middle":
        return levels[len(levels) // 2]["value"]
    weights = []
    for index, level in enumerate(levels):
        if level.get("inadequate"):
            weights.append(4)
        elif index == 0:
            weights.append(6)
        else:
            weights.append(90 / max(1, len(levels) - 2))
    return month.rng.choices([level["value"] for level in levels], weights)[0]
