"""A bad row names its line, column and reason; a file with any bad row imports nothing
(SPEC §3)."""

from __future__ import annotations

import io

import pytest

from sampling.models import Case, Snapshot, SnapshotStatus, StagedRow
from sampling.services import FrameFileRefused, frame_import_start

from .conftest import AS_OF, child

BAD_ROWS = [
    ({"Child Unique ID": ""}, "Child Unique ID", "Enter the child's unique ID"),
    ({"Child Unique ID": "X" * 65}, "Child Unique ID", "longer than 64"),
    ({"Allocated Team": ""}, "Allocated Team", "Enter the allocated team"),
    ({"Gender": "Sometimes"}, "Gender", "is not a gender"),
    ({"Date of Birth": "31/02/2019"}, "Date of Birth", "is not a date"),
    ({"Date of Birth": "yesterday"}, "Date of Birth", "is not a date"),
    ({"Age of Child (Years)": "seven"}, "Age of Child (Years)", "not an age"),
    ({"Age of Child (Years)": "4.5"}, "Age of Child (Years)", "not an age"),
    ({"CIN Start Date": "01/12/2026"}, "CIN Start Date", "after the list's date"),
    ({"CIN Closure Date": "01/01/2026"}, "CIN Closure Date", "before the start date"),
    (
        {"Does the Child have a Disability": "maybe"},
        "Does the Child have a Disability",
        "not yes, no or unknown",
    ),
    ({"Ethnicity": "E" * 81}, "Ethnicity", "longer than 80"),
]


@pytest.mark.parametrize(("cells", "column", "reason"), BAD_ROWS)
def test_a_bad_row_names_its_line_column_and_reason_and_nothing_is_imported(
    annex, imported, cells, column, reason
):
    """SPEC §3: a bad row names its line and column; a file with any bad row imports
    nothing."""
    rows = [child("6", 1), child("6", 2), child("6", 3, **cells)]
    snapshot = imported(annex("6", rows))
    assert snapshot.status == SnapshotStatus.REJECTED
    assert [line for line, *_ in snapshot.errors] == [4]
    line, col, message = snapshot.errors[0]
    assert col == column and reason in message
    assert not Case.objects.exists()
    assert not snapshot.entries.exists()
    assert not StagedRow.objects.exists()


def test_the_same_child_twice_is_a_bad_row_naming_the_first_line(annex, imported):
    snapshot = imported(annex("6", [child("6", 1), child("6", 2), child("6", 1)]))
    assert snapshot.status == SnapshotStatus.REJECTED
    assert snapshot.errors == [[4, "Child Unique ID", "Child C00001 is also on line 2."]]
    assert not Case.objects.exists()


def test_a_row_with_more_cells_than_the_header_is_bad(tmp_path, imported):
    path = tmp_path / "l6.csv"
    path.write_text(
        "Child Unique ID,CIN Start Date,Allocated Team\nA1,01/06/2026,North Family Support,oops\n"
    )
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.REJECTED
    assert "more cells than the header" in snapshot.errors[0][2]


def test_a_file_without_the_required_columns_is_refused(tmp_path, imported):
    path = tmp_path / "l6.csv"
    path.write_text("Child Unique ID,CIN Start Date\nA1,01/06/2026\n")
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.REJECTED
    assert "no “Allocated Team” column" in snapshot.errors[0][2]


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


def test_errors_stop_being_listed_after_100_and_the_rest_are_counted(annex, imported):
    rows = [child("6", n, Gender="Sometimes") for n in range(1, 131)]
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
def test_a_file_of_the_wrong_kind_gets_a_clear_refusal(org, frame_media, name, content, reason):
    with pytest.raises(FrameFileRefused, match=reason):
        frame_import_start(stream=io.BytesIO(content), file_name=name, as_of=AS_OF)
    assert not Snapshot.objects.exists()


def test_the_same_file_imported_twice_changes_nothing(annex, imported):
    """SPEC §3: importing the same file twice changes nothing the second time."""
    path = annex("6", [child("6", n) for n in range(1, 4)])
    imported(path)
    before = list(Case.objects.values_list("external_id", "updated_at"))
    with pytest.raises(FrameFileRefused, match="already imported"):
        imported(path)
    assert Snapshot.objects.count() == 1
    assert list(Case.objects.values_list("external_id", "updated_at")) == before


def test_a_second_list_for_the_same_day_or_an_older_day_is_refused(annex, imported):
    import datetime as dt

    imported(annex("6", [child("6", 1)]))
    again = imported(annex("6", [child("6", 2)]))
    assert again.status == SnapshotStatus.REJECTED and "already imported" in again.errors[0][2]
    older = imported(annex("6", [child("6", 3)]), as_of=AS_OF - dt.timedelta(days=7))
    assert older.status == SnapshotStatus.REJECTED and "newer list" in older.errors[0][2]
    assert list(Case.objects.values_list("external_id", flat=True)) == ["C00001"]
