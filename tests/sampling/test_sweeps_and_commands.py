"""The monthly sweep, the watched folder, and the commands (issue 3; Bury 6.1)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Notice
from sampling.models import Case, CaseType, Sample, Snapshot
from sampling.services import sweep_draft_monthly_sample, sweep_import_frame_folder
from sampling.services.folder import date_from_name, list_from_name

from .conftest import child, headers, write_csv


@pytest.fixture
def cases(org):
    return Case.objects.bulk_create(
        [Case(external_id=f"S{i}", team=org.north_team, case_type=CaseType.CIN) for i in range(30)]
    )


def test_monthly_sweep_drafts_on_the_sampling_day_once_and_tells_qa(org, cases):
    """P&Q 1: the sample is ready on the first working day; the sweep is safe to run twice."""
    # 1 January 2027 is a bank holiday; the first working day is Monday 4 January.
    assert sweep_draft_monthly_sample(today=dt.date(2027, 1, 1)) is None
    first = sweep_draft_monthly_sample(today=dt.date(2027, 1, 4))
    assert first is not None and first.status == "draft" and first.period == dt.date(2027, 1, 1)
    assert sweep_draft_monthly_sample(today=dt.date(2027, 1, 4)) is None
    assert sweep_draft_monthly_sample(today=dt.date(2027, 1, 5)) is None
    assert Sample.objects.count() == 1
    assert Notice.objects.filter(template="sample-drafted").count() == 1


def test_monthly_sweep_follows_the_policys_sampling_day(org, cases):
    from accounts.selectors import policy_get

    policy = policy_get()
    policy.sampling_working_day = 3
    policy.save()
    assert sweep_draft_monthly_sample(today=dt.date(2027, 1, 5)) is None
    assert sweep_draft_monthly_sample(today=dt.date(2027, 1, 6)) is not None


def test_monthly_sweep_waits_when_there_is_no_frame(org):
    assert sweep_draft_monthly_sample(today=dt.date(2027, 1, 4)) is None
    assert not Sample.objects.exists()


def test_folder_sweep_imports_new_files_once(org, settings, tmp_path):
    """Bury 6.1: the lists published each Monday are picked up from a folder."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings.SAMPLING_FRAME_FOLDER = str(inbox)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    write_csv(inbox / "Annex A List 6 2026-11-02.csv", headers("6"), [child("6", 1)])
    write_csv(
        inbox / "list7_02-11-2026.csv",
        headers("7"),
        [child("7", 2, **{"Child Protection Plan Start Date": "31/02/2026"})],
    )
    done = sweep_import_frame_folder(today=dt.date(2026, 11, 2))
    assert sorted((s.annex_list, s.status) for s in done) == [("6", "imported"), ("7", "rejected")]
    assert sweep_import_frame_folder(today=dt.date(2026, 11, 2)) == []
    assert Snapshot.objects.count() == 2
    assert len(list((inbox / "imported").iterdir())) == 1
    assert len(list((inbox / "rejected").iterdir())) == 1
    assert Notice.objects.filter(template="frame-imported", recipient=org.qa_officer).count() == 2


def test_file_names_give_the_date_and_the_list():
    assert date_from_name("Annex A List 6 2026-11-02.csv") == dt.date(2026, 11, 2)
    assert date_from_name("list7_02-11-2026.xlsx") == dt.date(2026, 11, 2)
    assert date_from_name("list.csv") is None
    assert list_from_name("Annex A List 6 2026-11-02") == "6"
    assert list_from_name("L8_export") == "8"
    assert list_from_name("list 4") is None


def test_import_frame_command(org, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = write_csv(tmp_path / "l8.csv", headers("8"), [child("8", 1), child("8", 2)])
    out = io.StringIO()
    call_command("import_frame", str(path), "--as-of", "2026-11-02", "--list", "8", stdout=out)
    text = out.getvalue()
    assert "List 8 as of 2 November 2026 imported: 2 open, 2 new" in text
    assert "column ignored: Placement Type" in text
    again = io.StringIO()
    call_command("import_frame", str(path), "--as-of", "2026-11-02", stdout=again)
    assert "already imported" in again.getvalue()
    bad = write_csv(
        tmp_path / "bad.csv",
        headers("8"),
        [child("8", 3, **{"Date Started to be Looked After": "31/02/2026"})],
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="not imported"):
        call_command("import_frame", str(bad), "--as-of", "2026-11-09", stderr=err)
    assert "Line 2, column “Date Started to be Looked After”" in err.getvalue()


def test_draw_and_export_sample_commands(org, cases):
    out = io.StringIO()
    call_command(
        "draw_sample", "--period", "2026-12", "--seed", "99", "--today", "2026-12-01", stdout=out
    )
    sample = Sample.objects.get()
    assert sample.seed == 99 and sample.status == "draft"
    assert "N_h" in out.getvalue()
    call_command("draw_sample", "--period", "2026-12", "--confirm", stdout=io.StringIO())
    sample.refresh_from_db()
    assert sample.status == "confirmed"
    csv_out = io.StringIO()
    call_command("export_sample", "--period", "2026-12", stdout=csv_out)
    lines = csv_out.getvalue().strip().splitlines()
    assert lines[0].startswith("Case ID,Stratum,Weight")
    assert len(lines) == sample.size + 1
    with pytest.raises(CommandError):
        call_command("export_sample", "--period", "2027-05", stdout=io.StringIO())
