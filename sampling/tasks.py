from __future__ import annotations

from celery import shared_task


@shared_task(name="sampling.run_frame_import")
def run_frame_import(snapshot_id: int) -> str:
    """Import one uploaded case list; the page polls the Snapshot for progress.

    Each upload sends one message. The broker hands it out again only when the worker
    that had it died (acks_late, reject_on_worker_lost; Redis also after its visibility
    timeout, an hour, far longer than an import), so a snapshot still running when the
    message arrives is one whose run died: it is taken up again from its file."""
    from .services import frame_import_run

    return frame_import_run(snapshot_id=snapshot_id, resume=True).status


@shared_task(name="sampling.run_frame_imports")
def run_frame_imports(snapshot_ids: list[int]) -> list[str]:
    """Import the files of one upload one after another, oldest list first, so lists of
    one kind go in in date order; the batch page polls their Snapshots."""
    from .services import frame_import_run

    return [frame_import_run(snapshot_id=pk, resume=True).status for pk in snapshot_ids]
