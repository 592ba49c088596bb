from __future__ import annotations

import datetime as dt

from celery import shared_task


@shared_task(name="audits.confirm_allocation")
def confirm_allocation(run_id: int, by_id: int | None, today: str) -> str:
    """Confirm a month's allocation and send its notices; the sending page follows it."""
    from .services import allocation_confirm_queued

    return allocation_confirm_queued(run_id=run_id, by_id=by_id, today=dt.date.fromisoformat(today))
