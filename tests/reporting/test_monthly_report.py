"""The monthly report (Bradford 4, P&Q 27; SPEC §10): built by a sweep once every audit of the
month is due, kept as a dated, unchanging record (HTML, PDF, XLSX), announced to senior
managers, heads of service and QA staff with a link; QA staff's commentary is a new version;
safe to run twice."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.errors import RuleViolation
from accounts.models import Notice
from reporting.models import MonthlyReport, ReportChanged
from reporting.reports import services
from tests.reporting import dashboard_data as data

pytestmark = pytest.mark.django_db

DUE = dt.date(2027, 1, 1)  # the day after the month's last deadline (31 December)
PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(pdf: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (apt package poppler-utils) is not installed")
    out = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def november(org, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    return data.everything(org)


@pytest.fixture
def real_pdf():
    """The tests that read the PDF back make a real one; the rest skip WeasyPrint's seconds."""
    return True


@pytest.fixture
def report(november, monkeypatch, request):
    if "real_pdf" not in request.fixturenames:
        monkeypatch.setattr(services.render, "pdf_bytes", lambda template, context: b"%PDF-1.7")
    [built] = services.sweep_build_monthly_reports(today=DUE)
    return built


def test_no_report_until_every_audit_of_the_month_is_due(november):
    """Two of November's audits are due on 31 December: nothing before 1 January."""
    assert services.sweep_build_monthly_reports(today=dt.date(2026, 12, 31)) == []
    assert not MonthlyReport.objects.exists()


def test_the_sweep_run_twice_makes_one_report_and_one_notice_each(november, org):
    first = services.sweep_build_monthly_reports(today=DUE)
    second = services.sweep_build_monthly_reports(today=DUE)
    again_later = services.sweep_build_monthly_reports(today=DUE + dt.timedelta(days=3))
    assert len(first) == 1 and second == [] and again_later == []
    assert MonthlyReport.objects.count() == 1
    report = MonthlyReport.objects.get()
    assert (report.month, report.version, report.as_of) == (data.NOV, 1, DUE)
    notices = Notice.objects.filter(key="monthly-report:2026-11")
    told = set(notices.values_list("recipient__email", flat=True))
    assert {"senior@example.test", "lead@example.test", "qa@example.test"} <= told
    assert "sm@example.test" not in told and "tm@example.test" not in told
    assert notices.count() == len(told)
    assert notices.first().url == reverse("reporting:monthly-report", args=["2026-11"])


def test_building_the_month_again_returns_the_report_made(report):
    assert services.monthly_report_build(month=data.NOV, today=DUE) == report
    assert MonthlyReport.objects.count() == 1


def test_a_kept_report_cannot_be_changed_or_deleted(report):
    report.commentary = "changed"
    with pytest.raises(ReportChanged):
        report.save()
    with pytest.raises(ReportChanged):
        report.delete()


def test_the_report_keeps_the_figures_of_the_day_it_was_made(report, org):
    """An unchanging record: figures read on the day, not again."""
    data.Audit.objects.all().update(overall_grade="outstanding")
    page = services.render.sections_from(MonthlyReport.objects.get().data)
    quality = next(s for s in page if s.key == "quality")
    assert quality.table("quality-by-area").row_dicts()[0]["estimate"] == 48.0


def test_the_pdf_reads_back_with_the_figures(real_pdf, report):
    text = pdf_text(bytes(report.pdf))
    assert "Monthly audit report, November 2026" in text
    assert "Completion of audits" in text and "Quality of practice" in text
    assert "Good or better by service area" in text
    assert "48%" in text  # the estimate
    assert "Safeguarding and inadequate audits" in text
    assert "Voice of the child" in text


def test_the_xlsx_reads_back_cell_by_cell(report):
    book = load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    assert book.sheetnames[0] == "About"
    assert book["About"]["A1"].value == "Monthly audit report, November 2026"
    sheet = book["Audits by month"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Audits by month",)
    assert rows[2] == (
        "Month",
        "Allocated",
        "Done on time",
        "Done late",
        "Submitted, not finished",
        "In progress",
        "Not started",
        "Overdue",
        "Exempted",
        "Done on time (%)",
    )
    # As of 1 January the two audits due on 31 December are overdue too.
    assert rows[3] == ("November 2026", 28, 22, 1, 1, 0, 0, 3, 1, 81.5)
    areas = list(book["Good or better by service area"].iter_rows(values_only=True))
    assert areas[3][:4] == ("All", 20, 45.0, 48.0)


def test_qa_commentary_makes_a_new_version_and_keeps_the_first(real_pdf, report, org):
    second = services.monthly_report_comment(
        month=data.NOV, by=org.qa_officer, commentary="Drift in South's plans."
    )
    first = MonthlyReport.objects.get(month=data.NOV, version=1)
    second.refresh_from_db()
    assert second.version == 2 and second.data == first.data and second.as_of == first.as_of
    assert first.commentary == "" and first.html == report.html
    assert "Drift in South" in pdf_text(bytes(second.pdf))
    assert Notice.objects.filter(key="monthly-report:2026-11:v2").exists()


def test_only_qa_staff_add_commentary(report, org):
    with pytest.raises(RuleViolation):
        services.monthly_report_comment(month=data.NOV, by=org.senior_manager, commentary="x")
    with pytest.raises(RuleViolation, match="Enter the commentary"):
        services.monthly_report_comment(month=data.NOV, by=org.qa_officer, commentary="  ")


# Pages ----------------------------------------------------------------------------------------

READERS = ["senior_manager", "strategic_lead", "qa_officer"]
REFUSED = ["service_manager", "team_manager", "social_worker", "auditor", "admin", "outsider"]


def _urls():
    return [
        reverse("reporting:monthly-reports"),
        reverse("reporting:monthly-report", args=["2026-11"]),
        reverse("reporting:monthly-report-version", args=["2026-11", 1]),
        reverse("reporting:monthly-report-file", args=["2026-11", 1, "pdf"]),
        reverse("reporting:monthly-report-file", args=["2026-11", 1, "xlsx"]),
        reverse(
            "reporting:monthly-report-table", args=["2026-11", 1, "completion-by-month", "csv"]
        ),
    ]


@pytest.mark.parametrize("persona", READERS)
def test_senior_managers_heads_of_service_and_qa_staff_read_the_reports(
    report, org, client_for, persona
):
    client = client_for(getattr(org, persona))
    for url in _urls():
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("reporting:monthly-report", args=["2026-11"])).content.decode()
    assert "Monthly audit report, November 2026" in page
    csv = client.get(_urls()[-1]).content.decode()
    assert csv.splitlines()[1] == "November 2026,28,22,1,1,0,0,3,1,81.5"


@pytest.mark.parametrize("persona", REFUSED)
def test_everyone_else_is_refused_the_reports(report, org, client_for, persona):
    client = client_for(getattr(org, persona))
    for url in [*_urls(), reverse("reporting:monthly-report-comment", args=["2026-11"])]:
        assert client.get(url).status_code == 403, url


def test_a_senior_manager_may_not_add_commentary(report, org, client_for):
    url = reverse("reporting:monthly-report-comment", args=["2026-11"])
    assert client_for(org.senior_manager).post(url, {"commentary": "x"}).status_code == 403
    assert MonthlyReport.objects.count() == 1


def test_qa_staff_add_commentary_through_the_page(report, org, client_for):
    client = client_for(org.qa_officer)
    url = reverse("reporting:monthly-report-comment", args=["2026-11"])
    assert client.post(url, {"commentary": ""}).status_code == 200  # the error, nothing made
    assert MonthlyReport.objects.count() == 1
    response = client.post(url, {"commentary": "Better than October."})
    assert response.status_code == 302
    page = client.get(reverse("reporting:monthly-report", args=["2026-11"])).content.decode()
    assert "Better than October." in page and "Version 2 of 2" in page


def test_a_month_without_a_report_is_not_found(report, org, client_for):
    client = client_for(org.senior_manager)
    assert client.get(reverse("reporting:monthly-report", args=["2026-10"])).status_code == 404
    assert client.get(reverse("reporting:monthly-report", args=["nonsense"])).status_code == 404
