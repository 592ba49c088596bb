"""Closing and reopening across snapshots (Bury 9.6, 9.7; SPEC §2)."""

from __future__ import annotations

import datetime as dt

from accounts.models import Notice
from sampling.models import Case, CaseStatus
from sampling.services import case_mark_audit_started

from .conftest import AS_OF, child

WEEK = dt.timedelta(days=7)


def status(external_id: str) -> Case:
    return Case.objects.get(external_id=external_id)


def test_a_case_missing_from_a_complete_newer_list_is_closed_as_of_that_date(annex, imported):
    """SPEC §2: each import is a dated snapshot; a case missing from the next is closed."""
    imported(annex("6", [child("6", 1), child("6", 2)]))
    later = imported(annex("6", [child("6", 1)]), as_of=AS_OF + WEEK)
    assert later.closed == 1
    gone = status("C00002")
    assert gone.status == CaseStatus.CLOSED and gone.closed_on == AS_OF + WEEK
    assert status("C00001").status == CaseStatus.OPEN


def test_a_partial_list_closes_nothing(annex, imported):
    imported(annex("6", [child("6", 1), child("6", 2)]))
    later = imported(annex("6", [child("6", 1)]), as_of=AS_OF + WEEK, complete=False)
    assert later.closed == 0 and status("C00002").status == CaseStatus.OPEN


def test_a_case_that_comes_back_after_closing_is_marked_reopened(annex, imported):
    """Bury 9.7: a reopened case is marked, so its team manager can be shown unfinished
    actions."""
    imported(annex("6", [child("6", 1), child("6", 2)]))
    imported(annex("6", [child("6", 1)]), as_of=AS_OF + WEEK)
    back = imported(annex("6", [child("6", 1), child("6", 2)]), as_of=AS_OF + 2 * WEEK)
    assert back.reopened == 1 and back.created == 0
    case = status("C00002")
    assert case.status == CaseStatus.OPEN
    assert case.reopened_on == AS_OF + 2 * WEEK and case.closed_on == AS_OF + WEEK


def test_a_case_closed_with_an_audit_in_progress_is_reported_to_qa_staff(annex, imported, org):
    """Bury 9.6: no case should be closed with an uncompleted audit; QA staff are told."""
    imported(annex("6", [child("6", 1), child("6", 2)]))
    case_mark_audit_started(case=status("C00002"), today=AS_OF)
    imported(annex("6", [child("6", 1)]), as_of=AS_OF + WEEK)
    notices = Notice.objects.filter(template="case-closed-during-audit")
    assert [n.recipient for n in notices] == [org.qa_officer]
    assert "C00002" in notices[0].body and "Bury 9.6" in notices[0].body


def test_a_child_still_on_another_list_stays_open_and_takes_that_lists_type(annex, imported):
    """A child protection plan ends but the child is still in need: open, now CIN."""
    imported(annex("6", [child("6", 1), child("6", 2)]))
    imported(annex("7", [child("7", 1)]))
    assert status("C00001").case_type == "cp"
    # The List 6 import after does not demote the more specific type.
    imported(annex("6", [child("6", 1), child("6", 2)]), as_of=AS_OF + WEEK)
    assert status("C00001").case_type == "cp"
    imported(annex("7", [child("7", 3)]), as_of=AS_OF + WEEK)
    case = status("C00001")
    assert case.status == CaseStatus.OPEN
    assert case.case_type == "cin" and case.source_list == "6"


def test_an_unchanged_newer_list_updates_nothing(annex, imported):
    imported(annex("6", [child("6", 1), child("6", 2)]))
    before = dict(Case.objects.values_list("external_id", "updated_at"))
    again = imported(annex("6", [child("6", 2), child("6", 1)]), as_of=AS_OF + WEEK)
    assert (again.created, again.updated, again.unchanged, again.closed) == (0, 0, 2, 0)
    assert dict(Case.objects.values_list("external_id", "updated_at")) == before


def test_a_changed_team_or_worker_updates_the_case(annex, imported, org):
    imported(annex("6", [child("6", 1)]))
    moved = child(
        "6", 1, **{"Allocated Team": "South Children in Care", "Allocated Worker": "Oz Outside"}
    )
    again = imported(annex("6", [moved]), as_of=AS_OF + WEEK)
    assert again.updated == 1
    case = status("C00001")
    assert case.team == org.south_team and case.allocated_worker == org.outsider
