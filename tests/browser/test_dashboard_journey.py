"""A senior manager's journey through the dashboard in Chromium: from the home page to the
dashboard, filter it, read a chart's table, drill down to the list behind a figure and
download a table; every page passes axe-core (issue 13; SPEC §1, §10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, sign_in_through_page
from tests.reporting import dashboard_data as data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senior_manager_filters_drills_down_and_downloads(org, live_server, page, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    data.everything(org)
    sign_in_through_page(page, live_server.url, org.senior_manager.email)
    page.get_by_role("link", name="The audit dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit dashboard")
    assert_accessible(page)

    # Filter: the quarter to November 2026, North only.
    page.get_by_label("Period", exact=True).select_option("quarter")
    page.get_by_label("Month (for a month, a quarter or twelve months)").fill("2026-11")
    page.get_by_label("Service area", exact=True).select_option(label="North")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Audit dashboard: September 2026 to November 2026, North"
    )
    assert "period=quarter" in page.url and "month=2026-11" in page.url
    assert_accessible(page)
    expect(page.get_by_role("img", name="Overall grades by month").first).to_be_visible()

    # A chart's numbers, unfolded.
    page.get_by_text("The numbers in this chart: audits by month").click()
    expect(page.locator("#table-completion-by-month")).to_be_visible()
    assert_accessible(page)

    # Download a table as CSV.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"CSV\s*, audits by the case's team")).click()
    assert download.value.suggested_filename == "completion-by-team-2026-09-to-2026-11.csv"
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[1].startswith("North Family Support,15,")

    # Drill down from a headline figure to the list behind it.
    page.get_by_role("link", name="inadequate, see the list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Graded audits")
    expect(page.get_by_role("rowheader", name="N-8")).to_be_visible()
    expect(page.get_by_text("S-8")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("North")

    # The methodology page, linked from the dashboard.
    page.get_by_role("link", name="How the figures are worked out").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How the audit figures are worked out"
    )


def test_qa_staff_read_the_monthly_report_add_commentary_and_write_the_six_monthly_report(
    org, live_server, page, settings, monkeypatch
):
    import datetime as dt

    from reporting.reports import services

    settings.ESTIMATE_SUPPRESS_UNDER = 5
    data.everything(org)
    monkeypatch.setattr(services.render, "pdf_bytes", lambda template, context: b"%PDF-1.7")
    services.sweep_build_monthly_reports(today=dt.date(2027, 1, 1))
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.get_by_role("link", name="Monthly reports").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly reports")
    assert_accessible(page)
    page.get_by_role("link", name="November 2026").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly audit report, November 2026")
    assert_accessible(page)
    page.get_by_role("link", name="Add a commentary (a new version)").click()
    assert_accessible(page)
    page.get_by_label("Commentary").fill("South's plans drift; a workshop is booked.")
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.get_by_text("Version 2 published with your commentary.")).to_be_visible()
    expect(page.get_by_text("South's plans drift; a workshop is booked.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/reports/six-monthly/2026-07/write/")
    assert_accessible(page)
    page.get_by_label("Introduction").fill("Why we audit.")
    page.get_by_label("Findings").fill("Plans drift in South.")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_text("Draft: a preview")).to_be_visible()
    expect(page.get_by_text("Plans drift in South.")).to_be_visible()
    assert_accessible(page)
