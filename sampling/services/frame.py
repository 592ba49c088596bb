"""Importing the sampling frame: the weekly Annex A lists of open cases (SPEC §2–§3,
Bury 6.1).

An import is two steps. `frame_import_start` (in `frame_intake`) checks the file's size and
kind, refuses a file already imported, keeps a copy and records a queued Snapshot.
`frame_import_run` (a Celery task for uploads, directly for the command and the watched
folder) then:

1. works out which lists the file holds: a CSV is one; a workbook is one a sheet that is
   List 3, 6, 7, 8 or 9 (by its name or its columns), each its own snapshot, the other
   sheets named as ignored;
2. streams each list into staged rows (`frame_read`), counting the notes (awkward values
   imported all the same) and collecting the refusals;
3. if any list has a refusal, records up to 100 by line and column and imports nothing of
   the file; otherwise, in one transaction, writes every list (`frame_merge`), replacing
   the snapshot of a day that already had one and replaying the later lists
   (`frame_correct`), then closes the cases that left and reopens those that came back.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import IO

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import ImportRejected, RowError
from accounts.models import Persona, User
from accounts.services import notify

from .. import annex_a, dispatch
from ..models import Snapshot, SnapshotSource, SnapshotStatus, StagedRow
from .frame_correct import replace_and_replay
from .frame_intake import FrameFileRefused, frame_import_start
from .frame_merge import close_departed, write_snapshot
from .frame_read import MAX_ERRORS, PartResult, order_refusal, read_part

logger = logging.getLogger(__name__)


def _counted(counter) -> list[list]:
    return [[name, n] for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))][:500]


def _reject(snapshot: Snapshot, errors: list[RowError], more: int, message: str = "") -> None:
    snapshot.status = SnapshotStatus.REJECTED
    snapshot.errors = [[e.line, e.column, e.message] for e in errors[:MAX_ERRORS]]
    snapshot.more_errors = more + max(0, len(errors) - MAX_ERRORS)
    snapshot.message = message
    snapshot.finished_at = timezone.now()
    snapshot.save()


def _parts_of(lead: Snapshot, plan: annex_a.FilePlan) -> list[Snapshot]:
    """The lead snapshot takes the first list; each other list gets a snapshot of its own."""
    snapshots = [lead]
    for _part in plan.parts[1:]:
        snapshots.append(
            Snapshot.objects.create(
                lead=lead,
                as_of=lead.as_of,
                complete=lead.complete,
                status=SnapshotStatus.RUNNING,
                source=lead.source,
                file_name=lead.file_name,
                file_size=lead.file_size,
                sha256=lead.sha256,
                created_by=lead.created_by,
            )
        )
    return snapshots


def _merge_all(snapshots: list[Snapshot]) -> list[str]:
    """Write every list of the file, then close what left, in one transaction. Returns
    the IDs of cases closed while an audit of them is in progress."""
    now = timezone.now()
    ordered = sorted(snapshots, key=lambda s: annex_a.LIST_PRECEDENCE[s.annex_list])
    during_audit: list[str] = []
    with transaction.atomic():
        # Imports of one list run one at a time: its imported snapshots' rows are the lock.
        list(
            Snapshot.objects.select_for_update()
            .filter(annex_list__in=[s.annex_list for s in ordered], status=SnapshotStatus.IMPORTED)
            .values_list("id", flat=True)
        )
        for snapshot in ordered:
            refusal = order_refusal(snapshot)
            if refusal:
                raise ImportRejected([RowError(0, "", refusal)])
        fresh = []
        for snapshot in ordered:
            old = (
                Snapshot.objects.filter(
                    annex_list=snapshot.annex_list,
                    as_of=snapshot.as_of,
                    status=SnapshotStatus.IMPORTED,
                )
                .exclude(pk=snapshot.pk)
                .first()
            )
            if old is not None:
                during_audit += replace_and_replay(snapshot, old, now=now)
            else:
                write_snapshot(snapshot, now=now)
                fresh.append(snapshot)
        for snapshot in fresh:
            during_audit += close_departed(snapshot, now=now)
        for snapshot in ordered:
            StagedRow.objects.filter(snapshot=snapshot).delete()
            Snapshot.objects.filter(pk=snapshot.pk).update(finished_at=timezone.now())
    return during_audit


def _read_everything(lead: Snapshot, path: Path) -> list[tuple[Snapshot, PartResult]]:
    kind, refusal = annex_a.sniff_kind(path, lead.file_name)
    if kind is None:
        return [(lead, PartResult(errors=[RowError(0, "", refusal)]))]
    try:
        plan = annex_a.plan(path, kind, lead.annex_list or None)
    except Exception:
        logger.info("unreadable workbook %s", lead.file_name, exc_info=True)
        problem = "The workbook cannot be opened. Save it again from Excel as .xlsx."
        return [(lead, PartResult(errors=[RowError(0, "", problem)]))]
    if plan.problem:
        lead.ignored_sheets = plan.ignored
        return [(lead, PartResult(errors=[RowError(0, "", plan.problem)]))]
    snapshots = _parts_of(lead, plan)
    lead.ignored_sheets = plan.ignored
    Snapshot.objects.filter(pk=lead.pk).update(ignored_sheets=plan.ignored)
    done = 0
    results = []

    def progress(rows: int) -> None:
        Snapshot.objects.filter(pk=lead.pk).update(rows_read=done + rows)

    for snapshot, part in zip(snapshots, plan.parts, strict=True):
        if part.annex_list and not snapshot.annex_list:
            snapshot.annex_list = part.annex_list
        result = read_part(snapshot, path, kind, part, progress)
        done += snapshot.rows_read
        results.append((snapshot, result))
    return results


def frame_import_run(*, snapshot_id: int, resume: bool = False) -> Snapshot:
    """Import a queued case list (see the module's docstring). Safe to call twice: a
    snapshot that is not queued is returned as it is. With `resume` (the run that claimed
    it died: its worker was killed), a running one is started again from its file; the
    merge is one transaction, so the dead run left no case changed."""
    states = [SnapshotStatus.QUEUED, SnapshotStatus.RUNNING] if resume else [SnapshotStatus.QUEUED]
    claimed = Snapshot.objects.filter(pk=snapshot_id, status__in=states).update(
        status=SnapshotStatus.RUNNING
    )
    lead = Snapshot.objects.get(pk=snapshot_id)
    if not claimed:
        return lead
    if resume:
        # The run that claimed it died: what it staged is cleared and the file read again.
        StagedRow.objects.filter(snapshot__in=[lead, *lead.parts.all()]).delete()
    path = Path(lead.stored_path)
    during_audit: list[str] = []
    results: list[tuple[Snapshot, PartResult]] = []
    try:
        results = _read_everything(lead, path)
        for snapshot, result in results:
            snapshot.notes = result.notes.as_list()
            snapshot.note_count = result.notes.total
            if result.names is not None:
                snapshot.unknown_teams = _counted(result.names.unknown_teams)
                snapshot.unknown_workers = _counted(result.names.unknown_workers)
            snapshot.save()
        refused = [(s, r) for s, r in results if r.errors]
        if refused:
            _reject_all(results)
        else:
            try:
                during_audit = _merge_all([s for s, _ in results])
            except ImportRejected as rejected:
                for snapshot, _ in results:
                    snapshot.refresh_from_db()
                    _reject(snapshot, rejected.errors, 0)
    except Exception:
        logger.exception("import of snapshot %s failed", snapshot_id)
        ids = [
            snapshot_id,
            *Snapshot.objects.filter(lead_id=snapshot_id).values_list("id", flat=True),
        ]
        StagedRow.objects.filter(snapshot_id__in=ids).delete()
        Snapshot.objects.filter(pk__in=ids).update(
            status=SnapshotStatus.FAILED,
            message="The import stopped because of a fault, and nothing was imported. "
            "Try again; if it fails again, tell an administrator.",
            finished_at=timezone.now(),
        )
        raise
    finally:
        StagedRow.objects.filter(snapshot_id__in=[s.pk for s, _ in results]).delete()
        if lead.stored_path:
            path.unlink(missing_ok=True)
            Snapshot.objects.filter(pk=snapshot_id).update(stored_path="")
    lead.refresh_from_db()
    if during_audit:
        notify(
            recipients=_qa_staff(),
            template="case-closed-during-audit",
            key=f"case-closed-during-audit:{lead.pk}",
            context={"snapshot": lead, "case_ids": sorted(set(during_audit))},
            url=reverse("sampling:import-detail", args=[lead.pk]),
        )
    return lead


def _reject_all(results: list[tuple[Snapshot, PartResult]]) -> None:
    """Nothing of a file with a refusal is imported: each list keeps its own refusals, and
    a list without any says that another list of the file had some."""
    failing = [s.sheet_name or f"List {s.annex_list}" for s, r in results if r.errors]
    for snapshot, result in results:
        message = ""
        if not result.errors:
            message = (
                f"This list had no problem, but {', '.join(failing)} of the same file "
                "did, so nothing of the file was imported."
            )
        _reject(snapshot, result.errors, result.more, message)


def _qa_staff():
    return User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True).distinct()


def frame_import_file(
    *,
    path: Path,
    as_of: dt.date,
    annex_list: str | None = None,
    complete: bool = True,
    source: str = SnapshotSource.COMMAND,
    by: User | None = None,
) -> Snapshot:
    """Import a case list from a file on disk, there and then (the command and the folder).
    Returns the lead snapshot; a workbook's other lists are its `parts`."""
    with path.open("rb") as stream:
        snapshot = frame_import_start(
            stream=stream,
            file_name=path.name,
            as_of=as_of,
            annex_list=annex_list,
            complete=complete,
            source=source,
            by=by,
        )
    return frame_import_run(snapshot_id=snapshot.pk)


def frame_import_enqueue(*, snapshot: Snapshot) -> None:
    """Run the import in the worker once the Snapshot row is committed."""
    dispatch.enqueue_on_commit(dispatch.FRAME_IMPORT, snapshot.pk)


def frame_imports_start(
    *,
    files: list[tuple[dt.date, str | None, IO[bytes]]],
    complete: bool = True,
    source: str = SnapshotSource.UPLOAD,
    by: User | None = None,
) -> list[Snapshot]:
    """Keep every file of one upload (each with its date and list, oldest first) and queue
    their imports to run one after another, or none of them: a refusal of one file (too
    big, not a list, already imported) undoes the others. Raises FrameFileRefused naming
    the file."""
    started: list[Snapshot] = []
    try:
        with transaction.atomic():
            for as_of, annex_list, upload in files:
                name = getattr(upload, "name", "") or "the file"
                try:
                    started.append(
                        frame_import_start(
                            stream=upload,
                            file_name=name,
                            as_of=as_of,
                            annex_list=annex_list,
                            complete=complete,
                            source=source,
                            by=by,
                        )
                    )
                except FrameFileRefused as refused:
                    whole = " Nothing of this upload was imported." if len(files) > 1 else ""
                    raise FrameFileRefused(
                        f"{Path(name).name}: {refused.message}{whole}", snapshot=refused.snapshot
                    ) from refused
            frame_imports_enqueue(snapshots=started)
    except FrameFileRefused:
        for snapshot in started:
            Path(snapshot.stored_path).unlink(missing_ok=True)
        raise
    return started


def frame_imports_enqueue(*, snapshots: list[Snapshot]) -> None:
    """Run several imports in the worker, one after another in the order given."""
    dispatch.enqueue_on_commit(dispatch.FRAME_IMPORTS, [s.pk for s in snapshots])


__all__ = [
    "FrameFileRefused",
    "frame_import_enqueue",
    "frame_imports_enqueue",
    "frame_imports_start",
    "frame_import_file",
    "frame_import_run",
    "frame_import_start",
]
