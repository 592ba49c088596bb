"""Work the sampling services hand to the Celery worker, by task name.

Services enqueue through here rather than importing `sampling.tasks` (which calls the
services): tasks call services, never the reverse, so no import goes round in a circle.
The task is looked up in the Celery app's registry when it is sent, once the transaction
that made its rows has committed.
"""

from __future__ import annotations

from django.db import transaction

FRAME_IMPORT = "sampling.run_frame_import"
FRAME_IMPORTS = "sampling.run_frame_imports"


def send(task_name: str, *args: object) -> None:
    """Send the named task to the worker; with `task_always_eager` (tests, debugging) run
    it here, as `.delay()` would."""
    from celery import current_app as app

    if not app.conf.task_always_eager:
        app.send_task(task_name, args=args)
        return
    if task_name not in app.tasks:
        app.loader.import_default_modules()  # the apps' task modules, found by name
    app.tasks[task_name].delay(*args)


def enqueue_on_commit(task_name: str, *args: object) -> None:
    """Send the named task once the current transaction commits (at once outside one).
    Robust: with the broker down the rows are kept and the page still answers; the work
    waits for its sweep or a retry (issue 11)."""
    transaction.on_commit(lambda: send(task_name, *args), robust=True)
