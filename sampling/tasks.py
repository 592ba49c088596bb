from __future__ import annotations

from celery import shared_task


@shared_task(name="sampling.run_frame_import")
def run_frame_import(snapshot_id: int) -> str:
    """Import one uploaded case list; the page polls the Snapshot for progress."""
    from .services import frame_import_run

    return frame_import_run(snapshot_id=snapshot_id).status
