"""What is merely awkward is imported with a note: the summary page, the command and the
QA notice count notes per column with up to five examples and their lines, and a note
never blocks (issue 10)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from accounts.models import Notice
from sampling.models import Case, Gender, SnapshotStatus
from sampling.services import sample_draw_monthly, sweep_import_frame_folder

from .conftest import child, headers, write_csv

NOTES = [
    ({"Gender": "Sometimes"}, "Gender", "Not in Annex A's gender list", "gender", "u"),
    ({"Ethnicity": "z) ZZZZ"}, "Ethnicity", "Not in Annex A's DfE ethnicity list", "ethnicity", ""),
    (
        {"Does the Child have a Disability": "maybe"},
        "Does the Child have a Disability",
        "Not in Annex A's yes, no or unknown list",
        "disability",
        None,
    ),
    (
        {"Age of Child (Years)": "seven", "Date of Birth": ""},
        "Age of Child (Years)",
        "Not an age in years",
        "age_band",
        "unknown",
    ),
    (
        {"Age of Child (Years)": "212", "Date of Birth": ""},
        "Age of Child (Years)",
        "Not an age in years",
        "age_band",
        "unknown",
    ),
    (
        {"Allocated Worker": "#N/A"},
        "Allocated Worker",
        "A spreadsheet error value, not a name",
        "worker_source",
        "",
    ),
    (
        {"CIN Closure Date": "01/01/2026"},
        "CIN Closure Date",
        "Before the start date",
        "status",
        "closed",
    ),
]


@pytest.mark.parametrize(("cells", "column", "reason", "field", "stored"), NOTES)
def test_an_awkward_value_is_imported_with_a_note_naming_its_line(
    annex, imported, cells, column, reason, field, stored
):
    """Issue 10: a code outside Annex A's list is stored as not recorded, an age that
    cannot be one is left out; the row is imported and the note names its line."""
    rows = [child(6, 1), child(6, 2, **cells)]
    snapshot = imported(annex("6", rows))
    assert snapshot.status == SnapshotStatus.IMPORTED, snapshot.errors
    assert snapshot.note_count == 1
    [note] = snapshot.notes
    assert note["column"] == column and note["reason"].startswith(reason)
    assert note["count"] == 1 and note["examples"][0][0] == 3
    if field == "status":
        assert snapshot.closed_rows == 1 and snapshot.open_count == 1
    else:
        assert getattr(Case.objects.get(external_id="C00002"), field) == stored


def test_notes_are_counted_per_column_with_five_examples_and_their_lines(annex, imported):
    rows = [child(6, n, Gender="Sometimes") for n in range(1, 13)] + [child(6, 13)]
    snapshot = imported(annex("6", rows))
    assert snapshot.status == SnapshotStatus.IMPORTED and snapshot.open_count == 13
    [note] = snapshot.notes
    assert note["count"] == 12
    assert note["examples"] == [[line, "Sometimes"] for line in range(2, 7)]
    assert set(Case.objects.values_list("gender", flat=True)) == {Gender.UNKNOWN, Gender.FEMALE}


@pytest.mark.parametrize("value", ["", "#N/A", "#REF!", "=VLOOKUP(A2,Teams!A:B,2,0)"])
def test_a_case_with_no_team_waits_in_match_the_names_and_is_left_out_of_draws(
    annex, imported, org, client_for, value
):
    """Issue 10: a blank or error team is a note; the case waits until its team is known
    and the draw page says how many wait."""
    snapshot = imported(
        annex("6", [child(6, n) for n in range(1, 4)] + [child(6, 4, **{"Allocated Team": value})])
    )
    assert snapshot.status == SnapshotStatus.IMPORTED
    [note] = snapshot.notes
    assert note["column"] == "Allocated Team" and "waits in Match the names" in note["reason"]
    assert note["examples"] == [[5, value if value else ""]]
    waiting = Case.objects.get(external_id="C00004")
    assert waiting.team is None and waiting.team_source == ""
    sample = sample_draw_monthly(
        period=dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), pool=[("x", 10)]
    )
    assert sample.exclusions["team_unknown"] == 1 and sample.size == 3
    assert waiting.pk not in set(sample.sample_cases.values_list("case_id", flat=True))
    client = client_for(org.qa_officer)
    page = client.get(f"/sampling/samples/{sample.pk}/").content.decode()
    assert "1 open case waits for its team" in page
    assert "Waiting for their team in Match the names" in page
    names = client.get("/sampling/frame/names/").content.decode()
    assert "Cases with no team on the list" in names and "C00004" in names


def test_an_unknown_team_name_also_waits_until_it_is_matched(annex, imported, org):
    imported(annex("6", [child(6, 1), child(6, 2, **{"Allocated Team": "Nowhere Team"})]))
    sample = sample_draw_monthly(
        period=dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), pool=[("x", 10)]
    )
    assert sample.exclusions["team_unknown"] == 1 and sample.size == 1


def test_the_same_child_twice_in_one_team_keeps_the_open_row_with_a_note(annex, imported):
    rows = [
        child(6, 1, **{"Case Status": "e) Closed episode", "CIN Closure Date": "01/09/2026"}),
        child(6, 2),
        child(6, 1, **{"CIN Start Date": "01/10/2026"}),
    ]
    snapshot = imported(annex("6", rows))
    assert snapshot.status == SnapshotStatus.IMPORTED
    [note] = snapshot.notes
    assert note["column"] == "Child Unique ID" and note["examples"] == [[2, "C00001"]]
    case = Case.objects.get(external_id="C00001")
    assert case.status == "open" and case.opened_on == dt.date(2026, 10, 1)


def test_a_child_on_the_referrals_list_twice_is_ordinary(annex, imported):
    """Annex A List 3 has a row a referral: a child referred twice is on it twice."""
    rows = [child(3, 1), child(3, 1, **{"Date of referral": "01/09/2026"})]
    snapshot = imported(annex("3", rows))
    assert snapshot.status == SnapshotStatus.IMPORTED and snapshot.notes == []
    assert Case.objects.get().opened_on == dt.date(2026, 9, 1)


def test_the_summary_page_and_the_command_show_the_notes(annex, imported, org, client_for):
    path = annex("6", [child(6, 1, Gender="Sometimes"), child(6, 2, **{"Allocated Team": "#N/A"})])
    out = io.StringIO()
    call_command("import_frame", str(path), "--as-of", "2026-11-02", stdout=out)
    text = out.getvalue()
    assert "2 values imported with a note" in text
    assert "note: Gender: Not in Annex A's gender list: stored as not recorded. 1 row" in text
    assert "(e.g. line 2 “Sometimes”)" in text and "(e.g. line 3 “#N/A”)" in text
    from sampling.models import Snapshot

    page = client_for(org.qa_officer).get(f"/sampling/frame/imports/{Snapshot.objects.get().pk}/")
    body = page.content.decode()
    assert "Imported with a note: 2 values" in body
    assert "line 3: “#N/A”" in body and "waits in Match the names" in body


def test_the_qa_notice_of_a_folder_import_shows_the_notes(org, settings, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings.SAMPLING_FRAME_FOLDER = str(inbox)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    write_csv(inbox / "List 6 2026-11-02.csv", headers(6), [child(6, 1, Ethnicity="Martian")])
    [snapshot] = sweep_import_frame_folder(today=dt.date(2026, 11, 2))
    assert snapshot.status == SnapshotStatus.IMPORTED
    notice = Notice.objects.get(template="frame-imported", recipient=org.qa_officer)
    assert "1 value imported with a note" in notice.body
    assert "Ethnicity: Not in Annex A's DfE ethnicity list" in notice.body
    assert "(line 2; the values are on the import page)" in notice.body
    assert "Martian" not in notice.body  # the value a child's row held stays on the page
