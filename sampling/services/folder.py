"""The watched folder: case lists dropped there are imported by a sweep (Bury 6.1: the
lists are published each Monday).

Each file is claimed by moving it into `processing/` (a rename, so two workers never take
the same file), imported, then moved to `imported/` or `rejected/`. The list's date comes
from a date in the file name (2026-11-02 or 02-11-2026), else the day the file was
written; the list from "List 6" (or "list_6", "L6") in the name, else from its columns.
QA staff are told the outcome of each file.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import clock
from accounts.models import Persona, User
from accounts.services import notify

from ..models import AnnexList, Snapshot, SnapshotSource
from .frame import FrameFileRefused, frame_import_file

logger = logging.getLogger(__name__)

_ISO = re.compile(r"(20\d\d)[-_.]?(\d\d)[-_.]?(\d\d)")
_UK = re.compile(r"(\d\d)[-_.](\d\d)[-_.](20\d\d)")


def frame_folder() -> Path:
    configured = settings.SAMPLING_FRAME_FOLDER
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "frames" / "inbox"


def date_from_name(name: str) -> dt.date | None:
    for pattern, order in ((_ISO, (0, 1, 2)), (_UK, (2, 1, 0))):
        match = pattern.search(name)
        if match:
            parts = [int(match.group(i + 1)) for i in order]
            try:
                return dt.date(*parts)
            except ValueError:
                continue
    return None


def list_from_name(name: str) -> str | None:
    match = re.search(r"\b(?:list|l)[\s_-]*(\d{1,2})(?!\d)", name, re.IGNORECASE)
    if match and match.group(1) in AnnexList.values:
        return match.group(1)
    return None


def sweep_import_frame_folder(*, today: dt.date) -> list[Snapshot]:
    """Import every case list waiting in the watched folder. Safe to run twice or on two
    workers: a file is claimed by renaming it, and a file already imported is refused."""
    inbox = frame_folder()
    if not inbox.is_dir():
        return []
    done: list[Snapshot] = []
    for folder in ("processing", "imported", "rejected"):
        (inbox / folder).mkdir(exist_ok=True)
    for path in sorted(inbox.iterdir()):
        if not path.is_file() or path.suffix.lower() not in (".csv", ".xlsx"):
            continue
        claimed = inbox / "processing" / path.name
        try:
            path.rename(claimed)
        except FileNotFoundError:
            continue  # another worker took it
        written = dt.date.fromtimestamp(claimed.stat().st_mtime)
        as_of = date_from_name(path.name) or min(written, today)
        outcome = "rejected"
        snapshot = None
        try:
            snapshot = frame_import_file(
                path=claimed,
                as_of=as_of,
                annex_list=list_from_name(path.stem),
                source=SnapshotSource.FOLDER,
            )
            outcome = "imported" if snapshot.status == "imported" else "rejected"
        except FrameFileRefused as refused:
            logger.warning("%s refused: %s", path.name, refused.message)
            outcome = "imported" if refused.snapshot else "rejected"
            _tell_qa_refused(path.name, refused.message)
        except Exception:
            logger.exception("import of %s failed", path.name)
        claimed.rename(
            inbox / outcome / f"{timezone.localtime(clock.now()):%Y%m%d%H%M%S}-{path.name}"
        )
        if snapshot is not None:
            _tell_qa(snapshot)
            done.append(snapshot)
    return done


def _qa_staff():
    return User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True).distinct()


def _tell_qa(snapshot: Snapshot) -> None:
    notify(
        recipients=_qa_staff(),
        template="frame-imported",
        key=f"frame-import:{snapshot.pk}",
        context={"snapshot": snapshot},
        url=reverse("sampling:import-detail", args=[snapshot.pk]),
    )


def _tell_qa_refused(file_name: str, message: str) -> None:
    notify(
        recipients=_qa_staff(),
        template="frame-refused",
        key=f"frame-refused:{file_name}:{timezone.localtime(clock.now()):%Y%m%d%H%M}",
        context={"file_name": file_name, "message": message},
        url=reverse("sampling:frame"),
    )
