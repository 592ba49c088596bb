"""Who may see the frame and sample pages, the upload and the preview-and-confirm flow,
and fixed query counts whatever the data size (issue 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sampling.models import Case, CaseType, Sample, SampleStatus, Snapshot

from .conftest import child, headers, write_csv

QA_ONLY = [
    "/sampling/frame/",
    "/sampling/frame/import/",
    "/sampling/frame/names/",
]
REFUSED = [
    "auditor",
    "team_manager",
    "service_manager",
    "senior_manager",
    "social_worker",
    "outsider",
    "admin",
]


@pytest.mark.parametrize("url", QA_ONLY)
@pytest.mark.parametrize("persona", REFUSED)
def test_only_qa_staff_see_the_frame_pages(org, client_for, url, persona):
    """SPEC §1: QA staff import the weekly list and draw the sample."""
    person = getattr(org, persona)
    if persona == "admin":
        person.is_superuser = False
        person.save()
    assert client_for(person).get(url).status_code == 403
    assert client_for(org.qa_officer).get(url).status_code == 200


@pytest.mark.parametrize("persona", REFUSED)
def test_only_qa_staff_and_heads_of_service_see_samples(org, client_for, persona):
    """Bury 4.2, Leeds 4.5: heads of service may ask for thematic samples."""
    person = getattr(org, persona)
    if persona == "admin":
        person.is_superuser = False
        person.save()
    assert client_for(person).get("/sampling/samples/").status_code == 403
    assert (
        client_for(person).post("/sampling/samples/draw/", {"period": "2026-12"}).status_code == 403
    )
    assert client_for(org.strategic_lead).get("/sampling/samples/").status_code == 200
    assert client_for(org.strategic_lead).get("/sampling/samples/thematic/").status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get("/sampling/frame/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_upload_imports_in_the_worker_and_shows_a_summary(
    org, client_for, frame_media, tmp_path, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path / "list6.csv", headers("6"), [child("6", n) for n in range(1, 4)])
    client = client_for(org.qa_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sampling/frame/import/",
            {
                "file": SimpleUploadedFile("list6.csv", path.read_bytes(), "text/csv"),
                "annex_list": "",
                "as_of_0": "2",
                "as_of_1": "11",
                "as_of_2": "2026",
                "complete": "on",
            },
        )
    assert response.status_code == 302
    snapshot = Snapshot.objects.get()
    assert response["Location"] == f"/sampling/frame/imports/{snapshot.pk}/"
    assert snapshot.status == "imported" and snapshot.created_by == org.qa_officer
    page = client.get(response["Location"]).content.decode()
    assert "List 6: children in need imported" in page and "Columns ignored" in page
    progress = client.get(f"/sampling/frame/imports/{snapshot.pk}/progress/").json()
    assert progress["finished"] and progress["percent"] == 100
    assert not list((frame_media / "frames" / "pending").iterdir())  # the copy is gone


def test_upload_of_a_bad_file_lists_its_problems(
    org, client_for, frame_media, tmp_path, django_capture_on_commit_callbacks
):
    path = write_csv(
        tmp_path / "l6.csv", headers("6"), [child("6", 1, **{"CIN Start Date": "sometime"})]
    )
    client = client_for(org.qa_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sampling/frame/import/",
            {
                "file": SimpleUploadedFile("l6.csv", path.read_bytes()),
                "as_of_0": "2",
                "as_of_1": "11",
                "as_of_2": "2026",
                "complete": "on",
            },
        )
    page = client.get(response["Location"]).content.decode()
    assert "Nothing of the file was imported" in page
    assert "Line 2, column “CIN Start Date”" in page
    assert not Case.objects.exists()


def test_upload_refuses_the_wrong_kind_of_file(org, client_for, frame_media):
    client = client_for(org.qa_officer)
    response = client.post(
        "/sampling/frame/import/",
        {
            "file": SimpleUploadedFile("list.pdf", b"%PDF"),
            "as_of_0": "2",
            "as_of_1": "11",
            "as_of_2": "2026",
        },
    )
    assert response.status_code == 400
    assert "must be a CSV or an .xlsx file" in response.content.decode()


def test_upload_refuses_a_list_dated_in_the_future(org, client_for, frame_media):
    client = client_for(org.qa_officer)
    future = dt.date.today() + dt.timedelta(days=3)
    response = client.post(
        "/sampling/frame/import/",
        {
            "file": SimpleUploadedFile("l.csv", b"Child Unique ID\n"),
            "as_of_0": future.day,
            "as_of_1": future.month,
            "as_of_2": future.year,
        },
    )
    assert response.status_code == 400


def _cases(org, n, prefix):
    Case.objects.bulk_create(
        [
            Case(
                external_id=f"{prefix}{i}",
                team=org.north_team if i % 2 else org.south_team,
                case_type=CaseType.CIN if i % 3 else CaseType.CP,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize(
    "url", ["/sampling/frame/", "/sampling/frame/names/", "/sampling/samples/"]
)
def test_list_pages_run_a_fixed_number_of_queries(
    org, client_for, django_assert_max_num_queries, annex, imported, url
):
    """Issue 3: the frame and sample pages run a fixed number of queries whatever the size."""
    client = client_for(org.qa_officer)
    _cases(org, 5, "A")
    client.get(url)
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    imported(
        annex("6", [child("6", n, **{"Allocated Team": f"Unknown {n % 7}"}) for n in range(1, 200)])
    )
    _cases(org, 500, "B")
    Sample.objects.create(period=dt.date(2026, 12, 1), seed=1)
    with django_assert_max_num_queries(len(small.captured_queries) + 1):
        client.get(url)


def test_sample_page_runs_a_fixed_number_of_queries(org, client_for, django_assert_num_queries):
    from sampling.services import sample_draw_monthly

    _cases(org, 30, "A")
    small = sample_draw_monthly(
        period=dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), pool=[("x", 3)]
    )
    _cases(org, 400, "B")
    big = sample_draw_monthly(
        period=dt.date(2027, 1, 1), today=dt.date(2027, 1, 4), pool=[("x", 200)]
    )
    client = client_for(org.qa_officer)
    client.get(f"/sampling/samples/{small.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/sampling/samples/{small.pk}/")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/sampling/samples/{big.pk}/")


def test_preview_redraw_and_confirm_a_monthly_sample(org, client_for):
    """Issue 3: QA staff preview a draw, redraw with another seed if they must, confirm;
    a confirmed sample is fixed; the month has one monthly sample."""
    _cases(org, 50, "A")
    client = client_for(org.qa_officer)
    period = dt.date.today().replace(day=1)
    response = client.post("/sampling/samples/draw/", {"period": period.strftime("%Y-%m")})
    sample = Sample.objects.get()
    assert response["Location"] == f"/sampling/samples/{sample.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Strata" in page and "Exclusions" in page and str(sample.seed) in page
    client.post(f"/sampling/samples/{sample.pk}/redraw/", {"seed": "777"})
    sample.refresh_from_db()
    assert sample.seed == 777 and [h["action"] for h in sample.history] == ["drawn", "redrawn"]
    client.post(f"/sampling/samples/{sample.pk}/confirm/")
    sample.refresh_from_db()
    assert sample.status == SampleStatus.CONFIRMED and sample.confirmed_by == org.qa_officer
    # Fixed: a redraw is refused, a second draw or confirm returns the first.
    client.post(f"/sampling/samples/{sample.pk}/redraw/", {"seed": "1"})
    sample.refresh_from_db()
    assert sample.seed == 777
    again = client.post("/sampling/samples/draw/", {"period": period.strftime("%Y-%m")})
    assert again["Location"] == f"/sampling/samples/{sample.pk}/"
    assert Sample.objects.count() == 1


def test_a_second_confirm_returns_the_first_confirmed_sample(org):
    from sampling.services import sample_confirm, sample_draw_monthly

    _cases(org, 20, "A")
    first = sample_draw_monthly(
        period=dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), pool=[("x", 3)]
    )
    confirmed = sample_confirm(sample=first, by=org.qa_officer)
    rival = Sample.objects.create(period=dt.date(2026, 12, 1), seed=5, size=1)
    assert sample_confirm(sample=rival, by=org.qa_officer) == confirmed
    rival.refresh_from_db()
    assert rival.status == SampleStatus.DRAFT


def test_exports_csv_and_xlsx(org, client_for):
    import io

    from openpyxl import load_workbook

    from sampling.services import sample_draw_monthly

    _cases(org, 20, "A")
    sample = sample_draw_monthly(
        period=dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), pool=[("x", 4)]
    )
    client = client_for(org.qa_officer)
    text = client.get(f"/sampling/samples/{sample.pk}/export.csv").content.decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Case ID,Stratum,Weight") and len(lines) == 5
    book = load_workbook(
        io.BytesIO(client.get(f"/sampling/samples/{sample.pk}/export.xlsx").content)
    )
    assert book["Sample"].max_row == 5 and "Strata" in book.sheetnames
    assert client.get(f"/sampling/samples/{sample.pk}/export.pdf").status_code == 404


def test_a_head_of_service_draws_and_sees_only_their_own_thematic_samples(org, client_for):
    """Leeds 4.5: heads of service specify a theme; Bury 4.2."""
    _cases(org, 20, "A")
    client = client_for(org.strategic_lead)
    response = client.post(
        "/sampling/samples/thematic/",
        {
            "name": "Child protection in the north",
            "period": dt.date.today().strftime("%Y-%m"),
            "size": "3",
            "case_types": ["cp"],
            "service_areas": [org.north.pk],
            "disability": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sample = Sample.objects.get()
    assert sample.kind == "thematic" and sample.created_by == org.strategic_lead
    assert client.get(response["Location"]).status_code == 200
    monthly = Sample.objects.create(period=dt.date(2026, 12, 1), seed=1)
    assert client.get(f"/sampling/samples/{monthly.pk}/").status_code == 403
    assert client.post("/sampling/samples/draw/", {"period": "2026-12"}).status_code == 403
    other = client_for(org.service_manager)
    assert other.get(f"/sampling/samples/{sample.pk}/").status_code == 403
    assert other.get("/sampling/samples/thematic/").status_code == 403


def test_a_running_import_shows_its_progress_with_and_without_javascript(org, client_for):
    snapshot = Snapshot.objects.create(
        annex_list="6",
        as_of=dt.date(2026, 11, 2),
        file_name="big.csv",
        sha256="x",
        status="running",
        rows_read=50_000,
        rows_expected=200_000,
    )
    client = client_for(org.qa_officer)
    page = client.get(f"/sampling/frame/imports/{snapshot.pk}/").content.decode()
    assert "50,000 rows read of about 200,000" in page
    assert "Refresh to see how it is going" in page and "progress.js" in page
    progress = client.get(f"/sampling/frame/imports/{snapshot.pk}/progress/").json()
    assert progress == {
        "status": "running",
        "status_label": "Importing",
        "finished": False,
        "rows_read": 50_000,
        "rows_expected": 200_000,
        "percent": 25,
    }
    assert (
        client_for(org.auditor).get(f"/sampling/frame/imports/{snapshot.pk}/progress/").status_code
        == 403
    )
