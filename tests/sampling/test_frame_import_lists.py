"""Each Annex A list imports from CSV and from XLSX (Bury 6.1, SPEC §2)."""

from __future__ import annotations

import pytest

from sampling.models import Case, CaseType, Snapshot, SnapshotStatus

from .conftest import child

LISTS = {
    "3": CaseType.CIN,
    "6": CaseType.CIN,
    "7": CaseType.CP,
    "8": CaseType.CLA,
    "9": CaseType.CARE_LEAVER,
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("code", sorted(LISTS))
def test_each_annex_a_list_imports_as_a_dated_snapshot_of_open_cases(annex, imported, org, code, fmt):
    """Bury 6.1: the frame is the Annexe A lists; each import is a dated snapshot."""
    path = annex(code, [child(code, n) for n in range(1, 6)], fmt=fmt)
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.IMPORTED, snapshot.errors
    assert snapshot.annex_list == code  # worked out from its columns
    assert snapshot.open_count == 5 and snapshot.created == 5
    assert snapshot.entries.count() == 5
    case = Case.objects.get(external_id="C00001")
    assert case.case_type == LISTS[code]
    assert case.team == org.north_team
    assert case.allocated_worker == org.social_worker
    assert case.source_list == code
