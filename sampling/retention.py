"""Case lists hold children's data: the files are not kept once they have done their job
(issue 14). Uploads are deleted by the import itself; this sweep deletes what the watched
folder keeps — an imported list after CASE_LIST_IMPORTED_RETENTION_DAYS (default 0: at
the next run), a rejected one after CASE_LIST_REJECTED_RETENTION_DAYS (default 30, for
QA staff to see what was wrong) — and any upload an interrupted import left behind.
Safe to run twice: a second run finds nothing more to delete."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import Snapshot, SnapshotStatus
from .services.folder import frame_folder

logger = logging.getLogger(__name__)


def _written_on(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(
        path.stat().st_mtime, tz=timezone.get_current_timezone()
    ).date()


def _delete_older(folder: Path, *, keep_days: int, today: dt.date) -> int:
    if not folder.is_dir():
        return 0
    cutoff = today - dt.timedelta(days=keep_days)
    deleted = 0
    for path in folder.iterdir():
        if path.is_file() and _written_on(path) <= cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def sweep_case_list_files(*, today: dt.date) -> int:
    """Delete case list files past their retention (see the module's rule); returns how
    many were deleted."""
    inbox = frame_folder()
    deleted = _delete_older(
        inbox / "imported", keep_days=settings.CASE_LIST_IMPORTED_RETENTION_DAYS, today=today
    )
    deleted += _delete_older(
        inbox / "rejected", keep_days=settings.CASE_LIST_REJECTED_RETENTION_DAYS, today=today
    )
    pending = Path(settings.MEDIA_ROOT) / "frames" / "pending"
    if pending.is_dir():
        waiting = set(
            Snapshot.objects.filter(
                status__in=(SnapshotStatus.QUEUED, SnapshotStatus.RUNNING)
            ).values_list("stored_path", flat=True)
        )
        yesterday = today - dt.timedelta(days=1)
        for path in pending.iterdir():
            if path.is_file() and str(path) not in waiting and _written_on(path) <= yesterday:
                path.unlink(missing_ok=True)
                deleted += 1
    if deleted:
        logger.info("case list files: %s deleted", deleted)
    return deleted
