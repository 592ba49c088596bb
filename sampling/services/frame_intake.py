"""Taking a case list in: the file's size and kind are checked, the very file already
imported for the day is refused, a copy is kept and a queued Snapshot recorded. Reading it
is `frame_read`'s; `frame.frame_import_run` runs the rest."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone

from accounts.models import User

from .. import annex_a
from ..models import AnnexList, Snapshot, SnapshotSource, SnapshotStatus


def max_bytes() -> int:
    return settings.SAMPLING_FRAME_MAX_BYTES


def upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "frames" / "pending"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class FrameFileRefused(Exception):
    """The file was refused before reading: too big, the wrong kind, or already imported."""

    def __init__(self, message: str, snapshot: Snapshot | None = None):
        super().__init__(message)
        self.message = message
        self.snapshot = snapshot


def _copy_with_hash(source: IO[bytes], dest: Path, limit: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with dest.open("wb") as out:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            size += len(chunk)
            if size > limit:
                raise FrameFileRefused(
                    f"The file is larger than {limit // (1024 * 1024)} MB. "
                    "Export one list at a time, or ask an administrator to raise the limit."
                )
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def day_words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def frame_import_start(
    *,
    stream: IO[bytes],
    file_name: str,
    as_of: dt.date,
    annex_list: str | None = None,
    complete: bool = True,
    source: str = SnapshotSource.UPLOAD,
    by: User | None = None,
) -> Snapshot:
    """Keep a copy of a case list and queue its import; refuse it at once if it is too
    large, not CSV or XLSX, or the very file already imported for that day (the same file
    twice changes nothing; the same content for a later day is a new snapshot in which
    nothing changed). Raises FrameFileRefused with a message for the person."""
    if annex_list and annex_list not in AnnexList.values:
        raise FrameFileRefused(f"There is no Annex A list {annex_list} to import.")
    dest = upload_dir() / f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()[:6]}"
    try:
        sha, size = _copy_with_hash(stream, dest, max_bytes())
        if size == 0:
            raise FrameFileRefused("The file is empty.")
        kind, refusal = annex_a.sniff_kind(dest, file_name)
        if kind is None:
            raise FrameFileRefused(refusal)
        earlier = (
            Snapshot.objects.filter(sha256=sha, as_of=as_of, status=SnapshotStatus.IMPORTED)
            .order_by("created_at")
            .first()
        )
        busy = Snapshot.objects.filter(
            sha256=sha,
            status__in=[SnapshotStatus.QUEUED, SnapshotStatus.RUNNING],
            created_at__gte=timezone.now() - dt.timedelta(hours=1),
        ).first()
        if busy is not None:
            raise FrameFileRefused("This file is being imported now.", snapshot=busy)
        if earlier is not None:
            raise FrameFileRefused(
                f"This file was already imported on {day_words(earlier.created_at.date())} as "
                f"{earlier}. Nothing has changed.",
                snapshot=earlier.lead or earlier,
            )
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return Snapshot.objects.create(
        annex_list=annex_list or "",
        as_of=as_of,
        complete=complete,
        source=source,
        file_name=Path(file_name).name[:255],
        file_size=size,
        sha256=sha,
        stored_path=str(dest),
        created_by=by,
    )
