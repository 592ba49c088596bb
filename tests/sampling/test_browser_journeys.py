"""QA staff upload a case list and preview, redraw and confirm the monthly sample, in
Chromium; every page they open passes axe-core (issue 3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sampling.models import Sample, SampleStatus
from tests.conftest import assert_accessible, sign_in_through_page

from .conftest import child, headers, write_csv, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_qa_staff_upload_a_case_list_and_read_the_summary(
    org, live_server, page, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    rows = [child("7", n) for n in range(1, 8)]
    rows.append(child("7", 8, **{"Allocated Team": "Unheard Of Team"}))
    path = write_xlsx(tmp_path / "Annex A list 7.xlsx", headers("7"), rows)

    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.get_by_role("link", name="Cases").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The sampling frame")
    assert_accessible(page)
    page.get_by_role("button", name="Import case lists").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import case lists")
    assert_accessible(page)

    page.get_by_label("Case lists").set_input_files(str(path))
    page.get_by_text("Date, list and closing options").click()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Import the lists").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("List 7: child protection imported")
    expect(page.get_by_text("Team “Unheard Of Team” (1 row)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Match each name once").click()
    assert_accessible(page)
    page.get_by_label("Team that “Unheard Of Team” means").select_option(
        label="South Children in Care"
    )
    page.get_by_role("button", name="Match “Unheard Of Team”").click()
    expect(page.get_by_text("Every team name is matched")).to_be_visible()
    assert_accessible(page)


def test_a_bad_upload_shows_each_problem_and_imports_nothing(
    org, live_server, page, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = write_csv(
        tmp_path / "l6.csv", headers("6"), [child("6", 1, **{"CIN Start Date": "sometime"})]
    )
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.goto(f"{live_server.url}/sampling/frame/import/")
    page.get_by_label("Case lists").set_input_files(str(path))
    page.get_by_text("Date, list and closing options").click()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Import the lists").click()
    expect(page.get_by_role("alert")).to_contain_text("Line 2, column “CIN Start Date”")
    expect(page.get_by_text("Nothing of the file was imported")).to_be_visible()
    assert_accessible(page)


def test_qa_staff_preview_redraw_and_confirm_the_monthly_sample(org, live_server, page):
    from sampling.models import Case, CaseType

    Case.objects.bulk_create(
        [
            Case(
                external_id=f"B{i:03d}",
                team=org.north_team if i % 2 else org.south_team,
                case_type=CaseType.CIN if i % 3 else CaseType.CP,
            )
            for i in range(60)
        ]
    )
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.get_by_role("link", name="Samples").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samples")
    assert_accessible(page)
    page.get_by_role("button", name="Draw the monthly sample").click()
    expect(page.get_by_role("table", name="Strata")).to_be_visible()
    expect(page.get_by_text("A preview: nothing is fixed")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Seed (optional)").fill("31337")
    page.get_by_role("button", name="Draw again").click()
    expect(page.get_by_text("The sample has been drawn again.")).to_be_visible()
    expect(page.get_by_text("31337").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Confirm the sample").click()
    expect(page.get_by_text("The sample is confirmed.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the sample")).to_have_count(0)
    assert_accessible(page)
    sample = Sample.objects.get()
    assert sample.status == SampleStatus.CONFIRMED and sample.seed == 31337
    expect(page).to_have_url(re.compile(rf"/sampling/samples/{sample.pk}/$"))


def test_a_head_of_service_chooses_a_theme(org, live_server, page):
    from sampling.models import Case, CaseType

    Case.objects.bulk_create(
        [
            Case(external_id=f"T{i:03d}", team=org.north_team, case_type=CaseType.CP)
            for i in range(10)
        ]
    )
    sign_in_through_page(page, live_server.url, org.strategic_lead.email)
    page.goto(f"{live_server.url}/sampling/samples/thematic/")
    assert_accessible(page)
    page.get_by_label("Name of the theme").fill("Plans in the north")
    page.get_by_label("How many cases").fill("4")
    page.get_by_label("Child protection").check()
    page.get_by_role("button", name="Draw the thematic sample").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans in the north")
    assert_accessible(page)
