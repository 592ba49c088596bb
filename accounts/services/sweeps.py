from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from ..models import SweepRun


@contextmanager
def sweep_run_record(*, name: str, today: dt.date) -> Iterator[SweepRun]:
    """Record one run of a sweep, with the error if it failed (the error still propagates)."""
    run = SweepRun.objects.create(name=name, today=today)
    try:
        yield run
    except Exception:
        run.error = traceback.format_exc(limit=5)
        raise
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at", "error"])
