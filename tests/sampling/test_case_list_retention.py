"""Case lists hold children's data: each file is deleted once imported (or after a
retention setting), and a rejected one is kept only as long as QA staff need it
(issue 14). The sweep runs twice safely."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from sampling.retention import sweep_case_list_files

pytestmark = pytest.mark.django_db


def _file(path: Path, written: dt.date) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Child Unique ID,Allocated Team\nC1,North\n")
    stamp = dt.datetime.combine(written, dt.time(12)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_imported_lists_go_at_once_and_rejected_ones_after_the_setting(tmp_path, settings):
    settings.SAMPLING_FRAME_FOLDER = str(tmp_path / "inbox")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CASE_LIST_IMPORTED_RETENTION_DAYS = 0
    settings.CASE_LIST_REJECTED_RETENTION_DAYS = 30
    today = dt.date(2026, 11, 30)
    imported = _file(tmp_path / "inbox/imported/list6-2026-11-30.csv", today)
    fresh_rejection = _file(tmp_path / "inbox/rejected/list7-2026-11-20.csv", dt.date(2026, 11, 20))
    old_rejection = _file(tmp_path / "inbox/rejected/list7-2026-10-01.csv", dt.date(2026, 10, 1))
    waiting = _file(tmp_path / "inbox/list8.csv", dt.date(2026, 10, 1))  # not yet imported
    left_upload = _file(tmp_path / "media/frames/pending/abc.csv", dt.date(2026, 11, 1))

    assert sweep_case_list_files(today=today) == 3
    assert sweep_case_list_files(today=today) == 0
    assert not imported.exists() and not old_rejection.exists() and not left_upload.exists()
    assert fresh_rejection.exists() and waiting.exists()


def test_an_upload_still_waiting_to_import_is_kept(org, tmp_path, settings):
    from sampling.models import Snapshot, SnapshotStatus

    settings.SAMPLING_FRAME_FOLDER = str(tmp_path / "inbox")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    upload = _file(tmp_path / "media/frames/pending/queued.csv", dt.date(2026, 11, 1))
    Snapshot.objects.create(
        annex_list="6",
        as_of=dt.date(2026, 11, 2),
        status=SnapshotStatus.QUEUED,
        stored_path=str(upload),
        file_name="queued.csv",
    )
    assert sweep_case_list_files(today=dt.date(2026, 11, 30)) == 0
    assert upload.exists()
