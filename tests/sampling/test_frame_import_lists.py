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
def test_each_annex_a_list_imports_as_a_dated_snapshot_of_open_cases(
    annex, imported, org, code, fmt
):
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


def test_headers_match_regardless_of_case_spacing_and_punctuation(annex, imported, org):
    """SPEC §3: lists come from LCS, Mosaic, Eclipse; their headers differ in form."""
    header = [
        "CHILD_UNIQUE_ID",
        "gender",
        "Ethnicity ",
        "date of birth",
        "Age of child (years)",
        "cin start date",
        "Allocated-Team",
        "allocated worker.",
        "Child Name",
    ]
    rows = [
        {
            "CHILD_UNIQUE_ID": "M1",
            "gender": "F",
            "Ethnicity ": "WBRI",
            "date of birth": "2019-02-01",
            "Age of child (years)": "7",
            "cin start date": "3 Mar 2026",
            "Allocated-Team": "north family support",
            "allocated worker.": "SKY WORKER",
            "Child Name": "Synthetic Name",
        }
    ]
    snapshot = imported(annex("6", rows, header=header))
    assert snapshot.status == "imported", snapshot.errors
    used = {heading for heading, _meaning in snapshot.columns_used}
    assert "CHILD_UNIQUE_ID" in used and "Allocated-Team" in used
    assert snapshot.columns_ignored == ["Child Name"]
    case = Case.objects.get(external_id="M1")
    assert case.team == org.north_team and case.allocated_worker == org.social_worker
    assert case.opened_on.isoformat() == "2026-03-03"


def test_no_child_names_or_dates_of_birth_are_stored(annex, imported):
    """SPEC §2: we hold only what sampling, allocation and reporting need; never a name."""
    header = ["Child Unique ID", "Forename", "Surname", "Date of Birth", "Allocated Team"]
    rows = [
        {
            "Child Unique ID": "N1",
            "Forename": "Zz",
            "Surname": "Yy",
            "Date of Birth": "01/01/2020",
            "Allocated Team": "North Family Support",
        }
    ]
    snapshot = imported(annex("6", rows, header=header), annex_list="6")
    assert snapshot.status == "imported", snapshot.errors
    values = " ".join(
        str(v) for v in Case.objects.filter(external_id="N1").values().first().values()
    )
    assert "Zz" not in values and "Yy" not in values and "2020-01-01" not in values
    assert set(snapshot.columns_ignored) == {"Forename", "Surname"}


def test_list_6_case_status_gives_the_case_type_and_closed_rows_are_not_open(annex, imported):
    """Annex A List 6 carries CP and CLA children and episodes that have ended."""
    rows = [
        child("6", 1, **{"Case Status": "Child Protection Plan"}),
        child("6", 2, **{"Case Status": "Looked After Child"}),
        child("6", 3, **{"Case Status": "Closed", "CIN Closure Date": "01/10/2026"}),
        child("6", 4, **{"Does the Child have a Disability": "Yes"}),
    ]
    snapshot = imported(annex("6", rows))
    assert snapshot.open_count == 3 and snapshot.closed_rows == 1
    types = dict(Case.objects.values_list("external_id", "case_type"))
    assert types == {"C00001": "cp", "C00002": "cla", "C00004": "cin"}
    assert Case.objects.get(external_id="C00004").disability is True


def test_xlsx_with_title_rows_above_the_header_and_spreadsheet_dates(tmp_path, imported):
    """Exports often put a title above the header and store real dates in cells."""
    import datetime as dt

    from .conftest import headers, write_xlsx

    row = child(
        "8",
        1,
        **{"Date Started to be Looked After": dt.datetime(2026, 5, 4), "Child Unique ID": 12345},
    )
    path = write_xlsx(tmp_path / "l8.xlsx", headers("8"), [row], title_rows=2)
    snapshot = imported(path)
    assert snapshot.status == "imported", snapshot.errors
    case = Case.objects.get(external_id="12345")
    assert case.opened_on == dt.date(2026, 5, 4) and case.legal_status == "C2"
    assert case.legal_status_label == "Full care order"


def test_age_band_comes_from_the_date_of_birth_on_the_list_day(annex, imported):
    rows = [
        child("6", 1, **{"Date of Birth": "01/01/2027", "Age of Child (Years)": ""}),
        child("6", 2, **{"Date of Birth": "03/11/2010", "Age of Child (Years)": "16"}),
        child("6", 3, **{"Date of Birth": "", "Age of Child (Years)": "3"}),
    ]
    imported(annex("6", rows))
    bands = dict(Case.objects.values_list("external_id", "age_band"))
    assert bands == {"C00001": "unborn", "C00002": "10_15", "C00003": "1_4"}


def test_a_workbook_of_every_list_takes_the_sheet_named_for_the_list(tmp_path, imported):
    from openpyxl import Workbook

    from .conftest import headers

    book = Workbook()
    first = book.active
    first.title = "List 6"
    first.append(headers("6"))
    first.append([child("6", 1).get(h, "") for h in headers("6")])
    second = book.create_sheet("List 7")
    second.append(headers("7"))
    second.append([child("7", 2).get(h, "") for h in headers("7")])
    book.save(tmp_path / "annex.xlsx")
    snapshot = imported(tmp_path / "annex.xlsx", annex_list="7")
    assert snapshot.status == "imported", snapshot.errors
    assert list(Case.objects.values_list("external_id", "case_type")) == [("C00002", "cp")]


def test_semicolon_separated_and_windows_encoded_csv(tmp_path, imported):
    path = tmp_path / "l6.csv"
    text = (
        "Child Unique ID;Ethnicity;CIN Start Date;Allocated Team;Allocated Worker\r\n"
        "S1;Any other White background;01/06/2026;North Family Support;Zo\xe9 \xc9lan\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    snapshot = imported(path)
    assert snapshot.status == "imported", snapshot.errors
    case = Case.objects.get(external_id="S1")
    assert case.ethnicity == "WOTH" and case.worker_source == "Zo\xe9 \xc9lan"


def test_snapshot_counts_are_shown(annex, imported):
    imported(annex("6", [child("6", n) for n in range(1, 4)]))
    assert Snapshot.objects.get().open_count == 3
