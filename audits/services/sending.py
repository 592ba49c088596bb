"""Confirming a month's allocation in the worker: the request answers at once and the
page follows the notices going out (issue 18). `allocation_confirm` does the work; this
only hands it over, by task name, once the request's transaction commits."""

from __future__ import annotations

import datetime as dt

from accounts.history import acting_as
from accounts.models import User
from sampling.dispatch import enqueue_on_commit

from ..models import AllocationRun, RunStatus
from .allocation import allocation_confirm

CONFIRM_TASK = "audits.confirm_allocation"


def allocation_confirm_enqueue(*, run: AllocationRun, by: User | None, today: dt.date) -> bool:
    """Queue the confirmation of a proposed allocation; False if it is already confirmed.
    Queuing twice is harmless: `allocation_confirm` confirms and sends once."""
    if run.status == RunStatus.CONFIRMED:
        return False
    enqueue_on_commit(CONFIRM_TASK, run.pk, by.pk if by else None, today.isoformat())
    return True


def allocation_confirm_queued(*, run_id: int, by_id: int | None, today: dt.date) -> str:
    """The worker's side: confirm the run (sending its notices) and say how it stands. The
    change history names the person who pressed the button, not the worker (issue 14)."""
    run = AllocationRun.objects.get(pk=run_id)
    by = User.objects.filter(pk=by_id).first() if by_id else None
    with acting_as(by):
        return allocation_confirm(run=run, by=by, today=today).status
