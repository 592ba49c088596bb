from __future__ import annotations

import datetime as dt

from celery import shared_task

from accounts import clock


@shared_task(name="config.tasks.run_sweep")
def run_sweep(name: str, today_iso: str | None = None) -> None:
    """Beat's entry point: run one sweep as of today (or the ISO date given)."""
    from config import sweeps

    today = dt.date.fromisoformat(today_iso) if today_iso else clock.today()
    sweeps.run(name, today=today)
