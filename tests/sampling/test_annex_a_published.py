"""Annex A read exactly as published and as councils' systems export it: the lettered
codes, bare codes and labels of every coded column of Lists 3, 6, 7, 8 and 9, computed
ages, spreadsheet cells, a workbook of all eleven lists, and CSV in each encoding
(SPEC §2; Bury 6.1; issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from sampling import annex_a
from sampling.models import AgeBand, Case, Snapshot, SnapshotStatus

from .annex_layout import (
    CASE_STATUSES,
    ELIGIBILITY,
    ETHNICITIES,
    GENDERS,
    LEGAL_STATUSES,
    SHEET_NAMES,
    YES_NO_UNKNOWN,
)
from .conftest import child, headers, write_csv, write_workbook


@pytest.mark.parametrize("form", [0, 1, 2], ids=["lettered", "bare code", "label"])
def test_every_gender_ethnicity_and_disability_value_round_trips(annex, imported, form):
    """Annex A's code lists in each of the three forms exports write: the code is stored
    and the label shown."""
    rows = []
    for n, ethnicity in enumerate(ETHNICITIES):
        gender = GENDERS[n % len(GENDERS)]
        disability = YES_NO_UNKNOWN[n % len(YES_NO_UNKNOWN)]
        rows.append(
            child(
                6,
                n,
                Gender=gender[form],
                Ethnicity=ethnicity[form],
                **{"Does the Child have a Disability": disability[form]},
            )
        )
    snapshot = imported(annex("6", rows))
    assert snapshot.status == SnapshotStatus.IMPORTED and snapshot.notes == []
    cases = {c.external_id: c for c in Case.objects.all()}
    for n, ethnicity in enumerate(ETHNICITIES):
        case = cases[f"C{n:05d}"]
        assert case.ethnicity == ethnicity[1] and case.ethnicity_label == ethnicity[2]
        assert case.gender == GENDERS[n % len(GENDERS)][3]
        assert case.disability is YES_NO_UNKNOWN[n % len(YES_NO_UNKNOWN)][3]


@pytest.mark.parametrize("form", [0, 1, 2], ids=["coded", "bare code", "label"])
def test_every_legal_status_round_trips_as_its_code(annex, imported, form):
    rows = [child(8, n, **{"Child's Legal Status": s[form]}) for n, s in enumerate(LEGAL_STATUSES)]
    snapshot = imported(annex("8", rows))
    assert snapshot.status == SnapshotStatus.IMPORTED and snapshot.notes == []
    stored = dict(Case.objects.values_list("external_id", "legal_status"))
    assert stored == {f"C{n:05d}": s[1] for n, s in enumerate(LEGAL_STATUSES)}
    assert Case.objects.get(external_id="C00003").legal_status_label == "Placement order granted"


@pytest.mark.parametrize("form", [0, 1], ids=["lettered", "label"])
def test_every_care_leaver_eligibility_round_trips(annex, imported, form):
    rows = [child(9, n, **{"Eligibility Category": e[form]}) for n, e in enumerate(ELIGIBILITY)]
    snapshot = imported(annex("9", rows))
    assert snapshot.notes == []
    assert dict(Case.objects.values_list("external_id", "legal_status")) == {
        f"C{n:05d}": e[2] for n, e in enumerate(ELIGIBILITY)
    }
    assert Case.objects.get(external_id="C00001").legal_status_label == "Former relevant child"


@pytest.mark.parametrize("form", [0, 1], ids=["lettered", "label"])
def test_list_6_case_status_gives_the_type_and_a_closed_episode_is_not_open(annex, imported, form):
    rows = [child(6, n, **{"Case Status": s[form]}) for n, s in enumerate(CASE_STATUSES)]
    closed = ("e) Closed episode", "Closed episode")[form]
    rows.append(child(6, 9, **{"Case Status": closed, "CIN Closure Date": "01/10/2026"}))
    snapshot = imported(annex("6", rows))
    assert snapshot.notes == [] and snapshot.closed_rows == 1
    assert dict(Case.objects.values_list("external_id", "case_type")) == {
        f"C{n:05d}": s[2] for n, s in enumerate(CASE_STATUSES)
    }


def test_a_referral_with_no_further_action_is_not_open(annex, imported):
    rows = [child(3, 1), child(3, 2, **{"Referral NFA?": "a) Yes"})]
    snapshot = imported(annex("3", rows))
    assert snapshot.open_count == 1 and snapshot.closed_rows == 1


def test_ages_the_spreadsheet_computed_are_whole_years_and_a_birth_date_wins(annex, imported):
    rows = [
        child(6, 1, **{"Date of Birth": "", "Age of Child (Years)": "17.45927446954141"}),
        child(6, 2, **{"Date of Birth": "", "Age of Child (Years)": "6.138"}),
        child(6, 3, **{"Date of Birth": "", "Age of Child (Years)": "0.4"}),
        child(6, 4, **{"Date of Birth": "01/01/2012", "Age of Child (Years)": "3.2"}),
    ]
    snapshot = imported(annex("6", rows))
    assert snapshot.notes == []
    assert dict(Case.objects.values_list("external_id", "age_band")) == {
        "C00001": AgeBand.AGE_16_17,
        "C00002": AgeBand.AGE_5_9,
        "C00003": AgeBand.UNDER_1,
        "C00004": AgeBand.AGE_10_15,
    }


def test_spreadsheet_cells_error_values_formulas_spaces_numeric_ids_and_dates(
    tmp_path, imported, org
):
    """What spreadsheets write: #N/A and #REF!, formulas, non-breaking spaces, IDs stored
    as numbers, real Excel dates and text dates, headers with trailing spaces."""
    from openpyxl import Workbook

    header = [h + " " if h in ("Child Unique ID", "Allocated Team") else h for h in headers(6)]
    header[header.index("Gender")] = "Gender\xa0"
    book = Workbook()
    sheet = book.active
    sheet.title = "List 6"
    sheet.append(header)
    rows = [
        child(6, 1, **{"Child Unique ID": 9212044, "CIN Start Date": dt.datetime(2026, 5, 4)}),
        child(6, 2, **{"Child Unique ID": 9212045.0, "Allocated Team": "North\xa0Family  Support"}),
        child(6, 3, **{"Allocated Worker": "Sky\xa0Worker", "Ethnicity": "#REF!"}),
        child(6, 4, **{"Allocated Team": "#N/A", "Age of Child (Years)": "=H2+5"}),
        child(6, 5, **{"CIN Start Date": "2026-05-04 00:00:00", "Date of Birth": 43000}),
    ]
    for row in rows:
        sheet.append([row.get(h.strip().replace("\xa0", ""), "") for h in header])
    book.save(tmp_path / "l6.xlsx")
    snapshot = imported(tmp_path / "l6.xlsx")
    assert snapshot.status == SnapshotStatus.IMPORTED, snapshot.errors
    cases = {c.external_id: c for c in Case.objects.all()}
    assert set(cases) == {"9212044", "9212045", "C00003", "C00004", "C00005"}
    assert cases["9212044"].opened_on == dt.date(2026, 5, 4)
    assert cases["9212045"].team == org.north_team
    assert cases["C00003"].allocated_worker == org.social_worker
    assert cases["C00003"].ethnicity == ""
    assert cases["C00004"].team is None
    assert cases["C00005"].opened_on == dt.date(2026, 5, 4)
    assert cases["C00005"].age_band == AgeBand.AGE_5_9  # 43000 is 21 September 2017
    noted = {(n["column"], n["count"]) for n in snapshot.notes}
    assert noted == {("Ethnicity", 1), ("Allocated Team", 1)}


def test_a_workbook_of_all_eleven_lists_imports_lists_3_6_7_8_and_9_in_one_upload(
    tmp_path, imported, org
):
    """Issue 10: one workbook in the published layout, one snapshot a list, the other
    sheets named as ignored; lettered codes, fractional ages, #N/A teams, formulas,
    non-breaking spaces and numeric IDs among its cells."""
    lists = {
        1: [child(1, 90)],
        3: [child(3, 1), child(3, 2, **{"Referral NFA?": "a) Yes"})],
        4: [child(4, 91)],
        6: [
            child(6, 3, **{"Age of Child (Years)": 8.61, "Date of Birth": ""}),
            child(6, 4, **{"Allocated Team": "#N/A"}),
            child(6, 5, **{"Child Unique ID": 9212044.0}),
        ],
        7: [child(7, 6, **{"Allocated Worker": "Sky\xa0Worker"})],
        8: [child(8, 7, **{"Child's Legal Status": "E1", "Age of Child (Years)": "=F2/365"})],
        9: [child(9, 8)],
        10: [child(10, 92)],
    }
    lead = imported(write_workbook(tmp_path / "Annex A.xlsx", lists))
    parts = {s.annex_list: s for s in lead.with_parts}
    assert sorted(parts) == ["3", "6", "7", "8", "9"]
    assert all(s.status == SnapshotStatus.IMPORTED for s in parts.values())
    assert {s.annex_list: s.sheet_name for s in parts.values()} == {
        code: SHEET_NAMES[int(code)] for code in parts
    }
    assert Snapshot.objects.filter(status=SnapshotStatus.IMPORTED).count() == 5
    assert lead.ignored_sheets == [
        "List 1 - Contacts (List 1 is not part of the sampling frame)",
        "List 2 - Early Help (List 2 is not part of the sampling frame)",
        "List 4 - Assessments (List 4 is not part of the sampling frame)",
        "List 5 - Section 47 (List 5 is not part of the sampling frame)",
        "List 10 - Adoption (List 10 is not part of the sampling frame)",
        "List 11 - Adopters (List 11 is not part of the sampling frame)",
    ]
    types = dict(Case.objects.values_list("external_id", "case_type"))
    assert types == {
        "C00001": "cin",
        "C00003": "cin",
        "C00004": "cin",
        "9212044": "cin",
        "C00006": "cp",
        "C00007": "cla",
        "C00008": "care_leaver",
    }
    assert Case.objects.get(external_id="C00003").age_band == AgeBand.AGE_5_9
    assert Case.objects.get(external_id="C00004").team is None
    assert Case.objects.get(external_id="C00006").allocated_worker == org.social_worker
    assert Case.objects.get(external_id="C00007").legal_status == "E1"
    assert parts["6"].note_count == 1


def test_workbook_sheets_are_known_by_their_columns_when_their_names_say_nothing(
    tmp_path, imported
):
    names = {n: f"Sheet{n}" for n in range(1, 12)}
    lead = imported(
        write_workbook(
            tmp_path / "export.xlsx", {4: [child(4, 9)], 6: [child(6, 1)], 8: [child(8, 2)]}, names
        )
    )
    assert sorted(s.annex_list for s in lead.with_parts) == ["6", "8"]
    assert "Sheet3 (no rows)" in lead.ignored_sheets
    assert "Sheet4 (its list cannot be told from its name or columns)" in lead.ignored_sheets


def test_a_workbook_with_a_list_chosen_reads_only_that_sheet(tmp_path, imported):
    path = write_workbook(tmp_path / "annex.xlsx", {6: [child(6, 1)], 7: [child(7, 2)]})
    snapshot = imported(path, annex_list="7")
    assert snapshot.status == SnapshotStatus.IMPORTED and not snapshot.parts.exists()
    assert list(Case.objects.values_list("external_id", "case_type")) == [("C00002", "cp")]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("cp1252", ";")],
)
def test_csv_exports_in_each_encoding_and_separator(tmp_path, imported, org, encoding, delimiter):
    rows = [
        child(6, 1, **{"Allocated Worker": "Zoë Élan", "Ethnicity": "Any other White background"}),
        child(6, 2, **{"Gender": "b) Female", "Age of Child (Years)": "4.99"}),
    ]
    path = write_csv(tmp_path / "l6.csv", headers(6), rows, encoding, delimiter)
    snapshot = imported(path)
    assert snapshot.status == SnapshotStatus.IMPORTED, snapshot.errors
    first = Case.objects.get(external_id="C00001")
    assert first.worker_source == "Zoë Élan" and first.ethnicity == "WOTH"
    assert Case.objects.get(external_id="C00002").gender == "f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("02/11/2026", dt.date(2026, 11, 2)),
        ("2/11/2026", dt.date(2026, 11, 2)),
        ("2026-11-02", dt.date(2026, 11, 2)),
        ("2026-11-02T00:00:00", dt.date(2026, 11, 2)),
        ("2 Nov 2026", dt.date(2026, 11, 2)),
        ("02-Nov-2026", dt.date(2026, 11, 2)),
        ("46328", dt.date(2026, 11, 2)),
        (46328, dt.date(2026, 11, 2)),
        (dt.datetime(2026, 11, 2, 0, 0), dt.date(2026, 11, 2)),
        ("", None),
    ],
)
def test_dates_as_spreadsheets_and_systems_write_them(value, expected):
    assert annex_a.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (9212044, "9212044"),
        (9212044.0, "9212044"),
        ("9212044.0", "9212044"),
        ("9.212044E+06", "9212044"),
        (" A\xa0123 ", "A 123"),
        ("0012", "0012"),
    ],
)
def test_ids_stored_as_numbers_are_the_same_id(value, expected):
    assert annex_a.identifier(value) == expected


@pytest.mark.parametrize("value", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "=H2+5"])
def test_error_values_and_formulas_are_told_apart_from_values(value):
    assert annex_a.is_error(value)
    assert not annex_a.is_error("North Family Support")
