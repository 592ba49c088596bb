"""What is broken refuses the whole file: each refusal names its line, column and reason,
and nothing of the file is imported (SPEC §3; issue 10)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from sampling.models import Case, Snapshot, SnapshotStatus, StagedRow
from sampling.services import FrameFileRefused, frame_import_start

from .conftest import AS_OF, child, write_workbook

REFUSALS = [
    ({"Child Unique ID": ""}, "Child Unique ID", "Enter the child's unique ID"),
    ({"Child Unique ID": "#N/A"}, "Child Unique ID", "is not an ID"),
    ({"Child Unique ID": "X" * 65}, "Child Unique ID", "longer than 64"),
    ({"Date of Birth": "31/02/2019"}, "Date of Birth", "“31/02/2019” is not a date"),
    ({"Date of Birth": "#VALUE!"}, "Date of Birth", "is not a date"),
    ({"CIN Start Date": "yesterday"}, "CIN Start Date", "is not a date"),
    ({"CIN Closure Date": "=H2+5"}, "CIN Closure Date", "is not a date"),
    ({"CIN Start Date": "01/12/2026"}, "CIN Start Date", "after the list's date (02/11/2026)"),
]


@pytest.mark.parametrize(("cells", "column", "reason"), REFUSALS)
def test_a_broken_row_refuses_the_file_naming_its_line_column_and_reason(
    annex, imported, cells, column, reason
):
    """SPEC §3: a bad row names its line and column; a file with one imports nothing."""
    rows = [child(6, 1), child(6, 2), child(6, 3, **cells)]
    snapshot = imported(annex("6", rows))
    assert snapshot.status == SnapshotStatus.REJECTED
    assert [line for line, *_ in snapshot.errors] == [4]
    _line, col, message = snapshot.errors[0]
    assert col == column and reason in message
    assert not Case.objects.exists() and not snapshot.entries.exists()
    assert not StagedRow.objects.exists()


def test_a_list_without_an_id_column_is_refused(tmp_path, imported):
    path = tmp_path / "l6.csv"
    path.write_text("Name,CIN Start Date,Allocated Team\nA1,01/06/2026,North Family Support\n")
    snapshot = imported(path, annex_list="6")
    assert snapshot.status == SnapshotStatus.REJECTED
    assert "No header row with a “Child Unique ID” column" in snapshot.errors[0][2]


def test_a_list_without_a_team_column_is_refused(tmp_path, imported):
    path = tmp_path / "l6.csv"
    path.write_text("Child Unique ID,CIN Start Date\nA1,01/06/2026\n")
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.REJECTED
    assert "no “Allocated Team” column" in snapshot.errors[0][2]


def test_the_same_child_open_in_two_teams_on_one_list_is_refused(annex, imported):
    """Issue 10: one child, one list, two teams: which holds the case cannot be told."""
    rows = [
        child(6, 1),
        child(6, 2),
        child(6, 1, **{"Allocated Team": "South Children in Care"}),
    ]
    snapshot = imported(annex("6", rows))
    assert snapshot.status == SnapshotStatus.REJECTED
    assert snapshot.errors == [
        [
            4,
            "Allocated Team",
            "Child C00001 is also on line 2 with the team “North Family Support”; one child "
            "cannot be open in two teams on one list.",
        ]
    ]
    assert not Case.objects.exists()


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path, imported):
    path = tmp_path / "l6.csv"
    path.write_text(
        "Child Unique ID,CIN Start Date,Allocated Team\nA1,01/06/2026,North Family Support,oops\n"
    )
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.REJECTED
    assert "more cells than the header" in snapshot.errors[0][2]


def test_a_file_that_is_not_an_annex_a_list_is_refused(tmp_path, imported):
    path = tmp_path / "other.csv"
    path.write_text("name,email\nA,b@example.test\n")
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.REJECTED
    assert "Child Unique ID" in snapshot.errors[0][2]


def test_a_list_that_cannot_be_told_from_its_columns_asks_which_list(tmp_path, imported):
    path = tmp_path / "unknown.csv"
    path.write_text("Child Unique ID,Allocated Team\nA1,North Family Support\n")
    assert imported(path).status == SnapshotStatus.REJECTED
    path2 = tmp_path / "unknown2.csv"
    path2.write_text("Child Unique ID,Allocated Team\nA2,North Family Support\n")
    assert imported(path2, annex_list="6").status == SnapshotStatus.IMPORTED


def test_refusals_stop_being_listed_after_100_and_the_rest_are_counted(annex, imported):
    rows = [child(6, n, **{"CIN Start Date": "soon"}) for n in range(1, 131)]
    snapshot = imported(annex("6", rows))
    assert len(snapshot.errors) == 100 and snapshot.more_errors == 30


def test_a_file_over_the_size_limit_is_refused(settings, org, frame_media):
    settings.SAMPLING_FRAME_MAX_BYTES = 100
    with pytest.raises(FrameFileRefused, match="larger than"):
        frame_import_start(stream=io.BytesIO(b"x" * 101), file_name="l6.csv", as_of=AS_OF)
    assert not Snapshot.objects.exists()
    assert not any((frame_media / "frames" / "pending").iterdir())


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("list.xls", b"\xd0\xcf\x11\xe0rest", "old Excel"),
        ("list.pdf", b"%PDF-1.4", "must be a CSV"),
        ("list.xlsx", b"Child Unique ID\n", "not an Excel workbook"),
        ("list.csv", b"PK\x03\x04zip", "is an Excel workbook"),
        ("list.csv", b"\x00\x01\x02", "not text"),
        ("list.csv", b"", "empty"),
    ],
)
def test_an_unreadable_file_gets_a_clear_refusal(org, frame_media, name, content, reason):
    with pytest.raises(FrameFileRefused, match=reason):
        frame_import_start(stream=io.BytesIO(content), file_name=name, as_of=AS_OF)
    assert not Snapshot.objects.exists()


def test_a_damaged_workbook_is_refused_and_nothing_is_imported(tmp_path, imported):
    path = tmp_path / "annex.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.REJECTED
    assert "cannot be opened" in snapshot.errors[0][2]


def test_the_same_file_imported_twice_changes_nothing(annex, imported):
    """SPEC §3: importing the same file twice changes nothing the second time."""
    path = annex("6", [child(6, n) for n in range(1, 4)])
    imported(path)
    before = list(Case.objects.values_list("external_id", "updated_at"))
    with pytest.raises(FrameFileRefused, match="already imported"):
        imported(path)
    assert Snapshot.objects.count() == 1
    assert list(Case.objects.values_list("external_id", "updated_at")) == before


def test_an_older_day_with_no_list_of_its_own_is_refused_once_a_newer_is_in(annex, imported):
    imported(annex("6", [child(6, 1)]))
    older = imported(annex("6", [child(6, 3)]), as_of=AS_OF - dt.timedelta(days=7))
    assert older.status == SnapshotStatus.REJECTED and "newer list" in older.errors[0][2]
    assert list(Case.objects.values_list("external_id", flat=True)) == ["C00001"]


def test_one_broken_sheet_of_a_workbook_imports_nothing_of_any_sheet(tmp_path, imported):
    """Issue 10: a refusal stops the whole file, every sheet of it."""
    path = write_workbook(
        tmp_path / "annex.xlsx",
        {6: [child(6, 1)], 7: [child(7, 2, **{"Child Protection Plan Start Date": "31/13/2026"})]},
    )
    lead = imported(path)
    lists = {s.annex_list: s for s in lead.with_parts}
    assert {code: s.status for code, s in lists.items()} == {
        "6": "rejected",
        "7": "rejected",
    }
    assert lists["7"].errors[0][:2] == [2, "Child Protection Plan Start Date"]
    assert "List 7 - Child protection of the same file did" in lists["6"].message
    assert not Case.objects.exists()
