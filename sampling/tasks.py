from __future__ import annotations

from celery import shared_task


@shared_task(name="sampling.run_frame_import")
def run_frame_import(snapshot_id: int) -> str:
    """Import one uploaded case list; the page polls the Snapshot for progress."""
    from .services import frame_import_run

    return frame_import_run(snapshot_id=snapshot_id).status


@shared_task(name="sampling.run_frame_imports")
def run_frame_imports(snapshot_ids: list[int]) -> list[str]:
    """Import the files of one upload one after another, oldest list first, so lists of
    one kind go in in date order; the batch page polls their Snapshots."""
    from .services import frame_import_run

    return [frame_import_run(snapshot_id=pk).status for pk in snapshot_ids]
