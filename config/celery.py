"""The Celery app and its beat schedule.

Beat fires sweeps ("do what is due as of today"), listed in config/sweeps.py; each sweep is
one service that takes `today` and is safe to run twice, late, or on two workers at once.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casefile")
app.config_from_object("django.conf:settings", namespace="CELERY")

app.autodiscover_tasks(["accounts", "sampling", "audits", "remediation", "reporting", "config"])


def _beat_schedule() -> dict:
    from config.sweeps import SWEEPS

    # SWEEPS_EVERY_SECONDS runs every sweep that often instead (the test of web, worker and
    # beat on one SQLite file; a demo): safe, since each sweep does only what is due.
    every = int(os.environ.get("SWEEPS_EVERY_SECONDS") or 0)
    schedule = {}
    for sweep in SWEEPS:
        if every:
            when = every
        elif sweep.every == "hour":
            when = crontab(minute=sweep.minute)
        else:
            when = crontab(hour=sweep.hour, minute=sweep.minute)
        schedule[f"sweep:{sweep.name}"] = {
            "task": "config.tasks.run_sweep",
            "schedule": when,
            "args": (sweep.name,),
            # A tick that waits behind a stopped worker is dropped after an hour; the next
            # tick catches up, because every sweep does what is due as of its day.
            "options": {"expires": 3600},
        }
    return schedule


app.conf.beat_schedule = _beat_schedule()
