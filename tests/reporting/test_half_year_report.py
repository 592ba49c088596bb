"""The six-monthly report (Leeds Appendix A-B; SPEC §10): QA staff write the narrative
(introduction, scope, methodology, cohort, findings, conclusions and recommendations), preview
it and publish it; the figures and charts of the six months fill themselves in; the action plan
is the one remediation keeps; PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.errors import RuleViolation
from accounts.models import Notice
from remediation.models import ActionPlanItem
from reporting.models import HalfYearReport, HalfYearStatus
from reporting.reports import services
from tests.reporting import dashboard_data as data
from tests.reporting.test_monthly_report import pdf_text

pytestmark = pytest.mark.django_db

HALF = dt.date(2026, 7, 1)
TODAY = dt.date(2027, 1, 5)
URL = reverse("reporting:half-year-report", args=["2026-07"])


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def half(org, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    data.everything(org)
    ActionPlanItem.objects.create(
        half_year=HALF,
        title="Chronologies",
        action="Every team updates chronologies monthly",
        taken_to_date="Training booked",
        responsible_officer=org.strategic_lead,
    )
    return services.half_year_get(half_year=HALF)


TEXT = {
    "introduction": "Why we audit.",
    "scope": "Every open case.",
    "methodology": "A stratified sample.",
    "cohort": "Two service areas.",
    "findings": "Plans drift in South.",
    "conclusions": "Recommend monthly chronologies.",
}


def test_qa_staff_write_preview_and_publish(half, org, client_for):
    client = client_for(org.qa_officer)
    edit = reverse("reporting:half-year-edit", args=["2026-07"])
    assert client.get(edit).status_code == 200
    assert client.post(edit, TEXT).status_code == 302
    preview = client.get(URL).content.decode()
    assert "Draft: a preview" in preview and "Plans drift in South." in preview
    assert "Quality of practice" in preview and "Appendix B: action plan" in preview
    assert "Chronologies" in preview
    assert client.post(reverse("reporting:half-year-publish", args=["2026-07"])).status_code == 302
    half.refresh_from_db()
    assert half.status == HalfYearStatus.PUBLISHED and half.as_of == TODAY
    assert half.events.get().to_status == "published"
    assert Notice.objects.filter(key="half-year-report:2026-07").exists()
    # Published: the text is fixed.
    assert client.get(edit).status_code == 403
    with pytest.raises(RuleViolation):
        services.half_year_save(report=half, by=org.qa_officer, text={"findings": "x"})


def test_publishing_needs_an_introduction_and_findings(half, org):
    with pytest.raises(RuleViolation, match="introduction and the findings"):
        services.half_year_publish(report=half, by=org.qa_officer, today=TODAY)
    half.refresh_from_db()
    assert half.status == HalfYearStatus.DRAFT


def test_the_published_report_keeps_its_figures(half, org):
    services.half_year_save(report=half, by=org.qa_officer, text=TEXT)
    services.half_year_publish(report=half, by=org.qa_officer, today=TODAY)
    data.Audit.objects.update(overall_grade="outstanding")
    from reporting.reports.half_year import half_year_context

    half.refresh_from_db()
    context = half_year_context(report=half, today=TODAY)
    quality = next(s for s in context["findings"] if s.key == "quality")
    assert quality.table("quality-by-area").row_dicts()[0]["estimate"] == 48.0


def test_the_pdf_and_xlsx_hold_the_narrative_figures_and_action_plan(half, org):
    services.half_year_save(report=half, by=org.qa_officer, text=TEXT)
    services.half_year_publish(report=half, by=org.qa_officer, today=TODAY)
    half.refresh_from_db()
    text = pdf_text(bytes(half.pdf))
    for heading in (
        "1. Introduction",
        "2. Scope",
        "3. Methodology",
        "4. The cohort",
        "5. Findings",
        "6. Conclusions and recommendations",
        "Appendix B: action plan",
    ):
        assert heading in text
    assert "Plans drift in South." in text and "Chronologies" in text
    assert "updates chronologies monthly" in text  # the action, as its cell wraps it
    assert "Six-monthly audit report, July to December 2026" in text
    book = load_workbook(io.BytesIO(bytes(half.xlsx)), read_only=True)
    plan = list(book["Appendix B"].iter_rows(values_only=True))
    assert plan[2] == (
        "Title",
        "Action to be taken",
        "Action taken to date",
        "Responsible officer",
        "Date completed",
        "Approved by",
    )
    assert plan[3][:4] == (
        "Chronologies",
        "Every team updates chronologies monthly",
        "Training booked",
        "Lee Lead",
    )


def test_a_draft_is_for_qa_staff_only(half, org, client_for):
    assert client_for(org.qa_officer).get(URL).status_code == 200
    assert client_for(org.senior_manager).get(URL).status_code == 404
    listing = client_for(org.senior_manager).get(reverse("reporting:half-year-reports"))
    assert "July to December 2026" not in listing.content.decode()


@pytest.mark.parametrize("persona", ["senior_manager", "strategic_lead"])
def test_senior_managers_and_heads_of_service_read_the_published_report(
    half, org, client_for, persona
):
    services.half_year_save(report=half, by=org.qa_officer, text=TEXT)
    services.half_year_publish(report=half, by=org.qa_officer, today=TODAY)
    client = client_for(getattr(org, persona))
    assert client.get(URL).status_code == 200
    pdf = client.get(reverse("reporting:half-year-report-file", args=["2026-07", "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    plan = client.get(
        reverse("reporting:half-year-report-table", args=["2026-07", "action-plan", "csv"])
    )
    assert "Chronologies,Every team updates chronologies monthly" in plan.content.decode()
    # Writing is for QA staff.
    assert client.post(reverse("reporting:half-year-publish", args=["2026-07"])).status_code == 403


@pytest.mark.parametrize(
    "persona", ["service_manager", "team_manager", "social_worker", "auditor", "admin"]
)
def test_everyone_else_is_refused_the_six_monthly_report(half, org, client_for, persona):
    client = client_for(getattr(org, persona))
    for url in (
        reverse("reporting:half-year-reports"),
        URL,
        reverse("reporting:half-year-edit", args=["2026-07"]),
        reverse("reporting:half-year-report-file", args=["2026-07", "pdf"]),
    ):
        assert client.get(url).status_code == 403, url


def test_a_half_year_must_start_in_january_or_july(half, org, client_for):
    client = client_for(org.qa_officer)
    assert client.get(reverse("reporting:half-year-report", args=["2026-03"])).status_code == 404
    assert HalfYearReport.objects.count() == 1
