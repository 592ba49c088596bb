"""Thematic samples allocated and audited like the monthly one (Bury 4.2, 8.1; Leeds 4.5).

Bury 4.2 foresees "'thematic' auditing, in which case records of a particular type are
examined as at a fixed date or over a longer period", with its own review reports at "the
end of each thematic audit exercise" (8.1); Leeds 4.5 lets heads of service "specify a
theme of particular interest so that the sample can be drawn up accordingly". A confirmed
thematic sample is allocated to the pool by the same rules as the month's, its quotas
standing apart from the month's, and its audits are due by the exercise's own deadline.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from accounts.errors import RuleViolation
from accounts.models import User
from sampling.models import Sample, SampleKind, SampleStatus

from ..models import AllocationRun, RunKind
from ..selectors import month_start
from .allocation import _fill_run


@transaction.atomic
def allocation_propose_thematic(
    *, sample: Sample, deadline: dt.date, today: dt.date, by: User | None = None
) -> AllocationRun:
    """Propose the allocation of a confirmed thematic sample, due by its own deadline;
    return the one that exists. QA staff review and confirm it like the month's
    (`allocation_confirm`), which tells each auditor, worker and team manager."""
    existing = AllocationRun.objects.filter(sample=sample).first()
    if existing is not None:
        return existing
    if sample.kind != SampleKind.THEMATIC:
        raise RuleViolation("Only a thematic sample is allocated here; the month's has its own.")
    if sample.status != SampleStatus.CONFIRMED:
        raise RuleViolation("Confirm the thematic sample before allocating it.")
    if deadline <= today:
        raise RuleViolation("The thematic audits' deadline must be after today.")
    try:
        with transaction.atomic():
            run = AllocationRun.objects.create(
                period=month_start(today),
                kind=RunKind.THEMATIC,
                deadline=deadline,
                sample=sample,
                seed=sample.seed,
                proposed_by=by,
            )
    except IntegrityError:  # another worker proposed it a moment ago
        return AllocationRun.objects.get(sample=sample)
    return _fill_run(run=run, used=None, by=by)
