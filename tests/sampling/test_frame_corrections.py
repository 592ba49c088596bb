"""A case's closure date is the list's own when it gives one, and a day's list can be
corrected after a newer one is in (issue 10; Bury 9.6, 9.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from sampling.models import Case, CaseStatus, Snapshot, SnapshotStatus

from .conftest import AS_OF, child

WEEK = dt.timedelta(days=7)


def case(external_id: str) -> Case:
    return Case.objects.get(external_id=external_id)


@pytest.mark.parametrize(
    ("code", "column", "status_cells"),
    [
        (6, "CIN Closure Date", {"Case Status": "e) Closed episode"}),
        (7, "Child Protection Plan End Date", {}),
        (8, "Date Ceased to be Looked After", {}),
    ],
)
def test_closed_on_is_the_rows_own_closure_end_or_ceased_date(
    annex, imported, code, column, status_cells
):
    """Issue 10: closed_on is the row's own closure date when the list gives one."""
    imported(annex(str(code), [child(code, 1), child(code, 2)]))
    ended = child(code, 2, **{column: "28/10/2026"}, **status_cells)
    later = imported(annex(str(code), [child(code, 1), ended]), as_of=AS_OF + WEEK)
    assert later.closed == 1 and later.closed_rows == 1
    assert case("C00002").status == CaseStatus.CLOSED
    assert case("C00002").closed_on == dt.date(2026, 10, 28)


def test_closed_on_is_the_lists_date_when_the_child_is_simply_gone(annex, imported):
    imported(annex("6", [child(6, 1), child(6, 2)]))
    imported(annex("6", [child(6, 1)]), as_of=AS_OF + WEEK)
    assert case("C00002").closed_on == AS_OF + WEEK


def test_a_corrected_list_for_the_newest_day_replaces_its_snapshot(annex, imported):
    imported(annex("6", [child(6, 1), child(6, 2)]))
    wrong = imported(annex("6", [child(6, 1)]), as_of=AS_OF + WEEK)
    assert case("C00002").status == CaseStatus.CLOSED
    right = imported(annex("6", [child(6, 1), child(6, 2), child(6, 3)]), as_of=AS_OF + WEEK)
    assert right.status == SnapshotStatus.IMPORTED
    wrong.refresh_from_db()
    assert wrong.status == SnapshotStatus.REPLACED and wrong.replaced_by == right
    assert not wrong.entries.exists() and right.entries.count() == 3
    back = case("C00002")
    assert back.status == CaseStatus.OPEN and back.closed_on is None and back.reopened_on is None
    assert case("C00003").status == CaseStatus.OPEN
    assert "corrects the one imported" in right.message


def test_correcting_a_day_after_a_newer_list_replays_the_later_closures_and_reopenings(
    annex, imported
):
    """Issue 10: the corrected day's snapshot is replaced and every later list of the kind
    is played again for the cases it touches, in one transaction."""
    day1, day2, day3 = AS_OF, AS_OF + WEEK, AS_OF + 2 * WEEK
    imported(annex("6", [child(6, 1), child(6, 2), child(6, 3)]), as_of=day1)
    # Day 2 was exported wrongly: child 2 missing (so closed) and child 4 on it by mistake.
    imported(annex("6", [child(6, 1), child(6, 3), child(6, 4)]), as_of=day2)
    imported(annex("6", [child(6, 1), child(6, 2)]), as_of=day3)
    assert case("C00002").reopened_on == day3 and case("C00002").closed_on == day2
    assert case("C00003").closed_on == day3
    assert case("C00004").status == CaseStatus.CLOSED and case("C00004").closed_on == day3

    # The corrected day 2: child 2 was there all along, child 4 never was, child 3 had
    # left on 5 November by the list's own closure date.
    ended = child(6, 3, **{"CIN Closure Date": "05/11/2026", "Case Status": "e) Closed episode"})
    corrected = imported(annex("6", [child(6, 1), child(6, 2), ended]), as_of=day2)
    assert corrected.status == SnapshotStatus.IMPORTED, corrected.errors
    assert Snapshot.objects.filter(annex_list="6", status=SnapshotStatus.IMPORTED).count() == 3

    two = case("C00002")
    assert two.status == CaseStatus.OPEN and two.closed_on is None and two.reopened_on is None
    three = case("C00003")
    assert three.status == CaseStatus.CLOSED and three.closed_on == dt.date(2026, 11, 5)
    four = case("C00004")
    assert four.status == CaseStatus.CLOSED and four.closed_on == day2
    assert case("C00001").status == CaseStatus.OPEN


def test_a_correction_keeps_what_a_newer_list_says_of_a_case(annex, imported, org):
    imported(annex("6", [child(6, 1)]), as_of=AS_OF)
    moved = child(6, 1, **{"Allocated Team": "South Children in Care"})
    imported(annex("6", [moved]), as_of=AS_OF + WEEK)
    imported(annex("6", [child(6, 1), child(6, 2)]), as_of=AS_OF)
    assert case("C00001").team == org.south_team
    assert case("C00002").status == CaseStatus.CLOSED  # not on the newer list


def test_a_refused_correction_changes_nothing(annex, imported):
    imported(annex("6", [child(6, 1), child(6, 2)]))
    before = list(Case.objects.values_list("external_id", "status", "updated_at"))
    bad = imported(annex("6", [child(6, 1, **{"CIN Start Date": "never"})]))
    assert bad.status == SnapshotStatus.REJECTED
    assert Snapshot.objects.get(status=SnapshotStatus.IMPORTED).entries.count() == 2
    assert list(Case.objects.values_list("external_id", "status", "updated_at")) == before
