"""The real Celery app with one pause point, for the worker-kill tests.

`celery -A tests.faults.killable worker` runs the project's tasks unchanged, except that the
function named by FAULT_TARGET ("module:attribute") pauses, once, right after it returns
inside its task, while the file FAULT_ARMED exists: it removes that file, writes
FAULT_ARMED + ".reached" with its process id, and sleeps until the test kills it. Every
later call (the task run again) goes straight through.
"""

from __future__ import annotations

import functools
import importlib
import os
import time
from pathlib import Path

from celery.signals import worker_init

from config.celery import app

__all__ = ["app"]


@worker_init.connect
def _arm(**_kwargs) -> None:
    import django

    django.setup()
    module_name, attribute = os.environ["FAULT_TARGET"].split(":")
    armed = Path(os.environ["FAULT_ARMED"])
    module = importlib.import_module(module_name)
    real = getattr(module, attribute)

    @functools.wraps(real)
    def paused(*args, **kwargs):
        result = real(*args, **kwargs)
        try:
            armed.unlink()
        except FileNotFoundError:
            return result
        Path(f"{armed}.reached").write_text(str(os.getpid()))
        time.sleep(600)  # killed long before this ends
        return result

    setattr(module, attribute, paused)
