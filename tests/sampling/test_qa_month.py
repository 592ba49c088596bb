"""The sampling half of QA's month (issue 18): several lists in one upload, each dated
from its name or today; an honest warning about the lists' age, once; the draw's month
menu starting at the first month that needs a sample; a confirmed sample leading on to
its allocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sampling.forms import DrawMonthlyForm
from sampling.models import Sample, SampleKind, SampleStatus, Snapshot, SnapshotStatus
from sampling.services.staleness import stale_note

from .conftest import child, headers, write_csv

pytestmark = pytest.mark.django_db


def _lists(day: dt.date, codes=("6", "7", "8", "9")) -> list[Snapshot]:
    return [Snapshot(annex_list=code, as_of=day) for code in codes]


def test_lists_imported_this_week_for_next_months_draw_carry_no_warning():
    """Issue 18: lists uploaded a minute before an early draw are no risk; nothing newer
    exists yet (Bury 6.1: the lists come weekly)."""
    note = stale_note(
        snapshots=_lists(dt.date(2026, 11, 30)),
        frame_day=dt.date(2027, 1, 4),
        today=dt.date(2026, 12, 1),
    )
    assert note is None


def test_a_missing_weeks_list_is_warned_once_with_its_age_on_the_sampling_day():
    """Issue 18: said once, for the oldest list, in days on the sampling day."""
    snapshots = [*_lists(dt.date(2026, 11, 30), ("7", "8", "9")), *_lists(dt.date(2026, 11, 2))]
    note = stale_note(
        snapshots=snapshots, frame_day=dt.date(2027, 1, 4), today=dt.date(2026, 12, 1)
    )
    assert note.startswith(
        "List 6 as of 2 November 2026 will be 63 days old on the sampling day, 4 January 2027"
    )
    assert note.count("days old") == 1


def test_a_draw_after_the_sampling_day_says_how_old_the_list_was():
    note = stale_note(
        snapshots=_lists(dt.date(2026, 11, 2), ("6",)),
        frame_day=dt.date(2026, 12, 1),
        today=dt.date(2026, 12, 10),
    )
    assert note.startswith("List 6 as of 2 November 2026 was 29 days old")


def test_a_list_just_within_the_fortnight_is_no_risk():
    note = stale_note(
        snapshots=_lists(dt.date(2026, 11, 17), ("6",)),
        frame_day=dt.date(2026, 12, 1),
        today=dt.date(2026, 12, 1),
    )
    assert note is None


def _confirmed(period: dt.date) -> Sample:
    return Sample.objects.create(
        kind=SampleKind.MONTHLY, period=period, seed=1, status=SampleStatus.CONFIRMED
    )


def test_the_draw_menu_starts_at_the_first_month_that_needs_a_sample(org):
    """Issue 18: December confirmed, the menu opens on January and offers no December."""
    _confirmed(dt.date(2026, 12, 1))
    form = DrawMonthlyForm(today=dt.date(2026, 12, 1))
    offered = [value for value, _ in form.fields["period"].widget.choices]
    assert offered == ["2026-11", "2027-01", "2027-02"]
    assert form.initial["period"] == "2027-01"


def test_the_draw_menu_opens_on_this_month_while_it_needs_its_sample(org):
    form = DrawMonthlyForm(today=dt.date(2026, 12, 1))
    assert form.initial["period"] == "2026-12"


def test_the_samples_page_says_when_every_month_has_its_sample(org, client_for, on_day):
    on_day(dt.date(2026, 12, 1))
    for month in (dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1)):
        _confirmed(month)
    _confirmed(dt.date(2027, 2, 1))
    page = client_for(org.qa_officer).get("/sampling/samples/").content.decode()
    assert "Every month from last month to two months ahead has its confirmed sample" in page


def test_a_confirmed_monthly_sample_offers_allocate_this_sample(org, client_for):
    """Issue 18: no dead end: the confirmed sample's next step is its allocation."""
    confirmed = _confirmed(dt.date(2027, 1, 1))
    draft = Sample.objects.create(kind=SampleKind.MONTHLY, period=dt.date(2027, 2, 1), seed=1)
    client = client_for(org.qa_officer)
    page = client.get(f"/sampling/samples/{confirmed.pk}/").content.decode()
    assert 'href="/audits/allocation/2027-01/"' in page and "Allocate this sample" in page
    assert (
        "Allocate this sample" not in client.get(f"/sampling/samples/{draft.pk}/").content.decode()
    )


def _upload(client, files, **fields):
    data = {"file": files, "annex_list": "", "complete": "on", **fields}
    return client.post("/sampling/frame/import/", data)


def _file(tmp_path, name, code="6", start=1):
    path = write_csv(
        tmp_path / name, headers(code), [child(code, n) for n in range(start, start + 3)]
    )
    return SimpleUploadedFile(name, path.read_bytes(), "text/csv")


def test_several_lists_in_one_upload_are_dated_from_their_names_or_today(
    org, client_for, frame_media, tmp_path, on_day, django_capture_on_commit_callbacks
):
    """Issue 18: one upload for the week; the date from each file's name (as the folder
    sweep reads it), else today; the page follows every import."""
    on_day(dt.date(2026, 12, 1))
    client = client_for(org.qa_officer)
    files = [
        _file(tmp_path, "List 6 2026-11-30.csv", "6", 1),
        _file(tmp_path, "L7 30-11-2026.csv", "7", 101),
        _file(tmp_path, "list_9.csv", "9", 201),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, files)
    assert response.status_code == 302
    assert response["Location"].startswith("/sampling/frame/imports/batch/?ids=")
    got = sorted(Snapshot.objects.values_list("annex_list", "as_of", "status"))
    assert got == [
        ("6", dt.date(2026, 11, 30), SnapshotStatus.IMPORTED),
        ("7", dt.date(2026, 11, 30), SnapshotStatus.IMPORTED),
        ("9", dt.date(2026, 12, 1), SnapshotStatus.IMPORTED),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "3 files imported" in page and "Draw the monthly sample" in page
    ids = response["Location"].split("ids=")[1]
    progress = client.get(f"/sampling/frame/imports/batch/progress/?ids={ids}").json()
    assert progress == {"finished": True, "percent": 100, "text": "3 of 3 files imported."}


def test_a_typed_date_wins_over_the_names(
    org, client_for, frame_media, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(org.qa_officer)
    files = [_file(tmp_path, "List 6 2026-11-30.csv"), _file(tmp_path, "List 7.csv", "7", 50)]
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, files, as_of_0="23", as_of_1="11", as_of_2="2026")
    assert set(Snapshot.objects.values_list("as_of", flat=True)) == {dt.date(2026, 11, 23)}


def test_one_refused_file_imports_nothing_of_the_upload(
    org, client_for, frame_media, tmp_path, django_capture_on_commit_callbacks
):
    """Bad input changes nothing: the file already imported is named, the others wait."""
    client = client_for(org.qa_officer)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, [_file(tmp_path, "List 6 2026-11-30.csv")])
    assert Snapshot.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(
            client,
            [
                _file(tmp_path, "List 7 2026-11-30.csv", "7", 50),
                _file(tmp_path, "List 6 2026-11-30.csv"),
            ],
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "List 6 2026-11-30.csv: This file was already imported" in page
    assert "Nothing of this upload was imported" in page
    assert Snapshot.objects.count() == 1
    assert not list((frame_media / "frames" / "pending").iterdir())


def test_a_name_dated_after_today_or_a_file_of_another_kind_is_refused(
    org, client_for, frame_media, tmp_path, on_day
):
    on_day(dt.date(2026, 12, 1))
    client = client_for(org.qa_officer)
    response = _upload(client, [_file(tmp_path, "List 6 2027-01-04.csv")])
    assert response.status_code == 400
    assert "gives a date after today" in response.content.decode()
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF")
    response = _upload(client, [_file(tmp_path, "List 6.csv"), pdf])
    assert response.status_code == 400
    assert "notes.pdf must be a CSV or an .xlsx file" in response.content.decode()
    assert not Snapshot.objects.exists()


def test_one_list_chosen_for_several_files_is_refused(org, client_for, frame_media, tmp_path):
    response = _upload(
        client_for(org.qa_officer),
        [_file(tmp_path, "a.csv"), _file(tmp_path, "b.csv", "6", 9)],
        annex_list="6",
    )
    assert response.status_code == 400 and not Snapshot.objects.exists()


@pytest.mark.parametrize("persona", ["auditor", "team_manager", "senior_manager", "outsider"])
def test_only_qa_staff_follow_an_uploads_imports(org, client_for, persona):
    snapshot = Snapshot.objects.create(as_of=dt.date(2026, 11, 30), annex_list="6")
    for url in (
        f"/sampling/frame/imports/batch/?ids={snapshot.pk}",
        f"/sampling/frame/imports/batch/progress/?ids={snapshot.pk}",
    ):
        assert client_for(getattr(org, persona)).get(url).status_code == 403
        assert client_for(org.qa_officer).get(url).status_code == 200
    assert client_for(org.qa_officer).get("/sampling/frame/imports/batch/?ids=x").status_code == 404
    assert (
        client_for(org.qa_officer).get("/sampling/frame/imports/batch/?ids=999").status_code == 404
    )
