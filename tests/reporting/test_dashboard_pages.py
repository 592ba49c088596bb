"""The dashboard's pages: who may open them, the drill-down lists behind the figures showing
only what the reader may see, the tables as CSV and XLSX, and a fixed number of queries
whatever the size of the data (issue 13; SPEC §1, §10)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tests.reporting import dashboard_data as data

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
MONTH = "?month=2026-11"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def built(org, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    return data.everything(org)


def list_url(kind: str, query: str = "month=2026-11") -> str:
    return f"{reverse('reporting:dashboard-list', args=[kind])}?{query}"


def cases_in(response) -> set[str]:
    return {
        c
        for c in [
            *[f"N-{i}" for i in range(9)],
            "N-pair",
            *[f"S-{i}" for i in range(10)],
            *["C-N1", "C-N2", "C-N3", "C-N4", "C-S1", "C-S2", "C-S3"],
        ]
        if f">{c}<" in response.content.decode()
    }


ALL_PAGES = [
    DASHBOARD + MONTH,
    reverse("reporting:dashboard-table", args=["completion-by-month", "csv"]) + MONTH,
    list_url("allocations"),
    list_url("audits"),
    list_url("actions"),
    list_url("learning"),
    list_url("concerns"),
    list_url("pathways"),
    list_url("qa-checks"),
]


@pytest.mark.parametrize(
    "persona", ["senior_manager", "strategic_lead", "qa_officer", "service_manager", "team_manager"]
)
def test_managers_and_qa_staff_open_the_dashboard_and_its_lists(built, org, client_for, persona):
    client = client_for(getattr(org, persona))
    for url in ALL_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["social_worker", "auditor", "outsider", "admin"])
def test_social_workers_auditors_and_administrators_are_refused(built, org, client_for, persona):
    client = client_for(getattr(org, persona))
    for url in ALL_PAGES:
        assert client.get(url).status_code == 403, url


def test_someone_signed_out_is_sent_to_sign_in(client):
    assert client.get(DASHBOARD).status_code == 302


def test_the_dashboard_shows_each_section_with_charts_and_links_the_methodology(
    built, org, client_for
):
    page = client_for(org.senior_manager).get(DASHBOARD + MONTH).content.decode()
    for title in (
        "Completion of audits",
        "Quality of practice",
        "Remedial actions",
        "Learning",
        "Safeguarding and inadequate audits",
        "Consistency of grading",
    ):
        assert title in page
    assert reverse("reporting:methodology") in page
    assert page.count('role="img"') >= 8
    assert "<title id=" in page and "<desc id=" in page
    assert "<script" not in page.split('id="main-content"')[1].split("</main>")[0]
    assert reverse("reporting:monthly-reports") in page


def test_the_filters_are_kept_in_the_links_and_downloads(built, org, client_for):
    query = f"period=quarter&month=2026-11&area={org.north.pk}"
    page = client_for(org.senior_manager).get(f"{DASHBOARD}?{query}").content.decode()
    assert f"completion-by-month.csv?{query.replace('&', '&amp;')}" in page
    assert f"lists/allocations/?{query.replace('&', '&amp;')}&amp;state=overdue" in page


def test_a_bad_filter_is_named_on_the_page_and_the_rest_apply(built, org, client_for):
    response = client_for(org.team_manager).get(
        f"{DASHBOARD}?month=2026-11&team={org.south_team.pk}"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem with the filters" in page
    assert "Choose a team from the list" in page
    assert "South Children in Care" not in page


def test_the_overdue_list_shows_the_overdue_audit_and_no_other(built, org, client_for):
    response = client_for(org.senior_manager).get(
        list_url("allocations", "month=2026-11&state=overdue")
    )
    assert cases_in(response) == {"C-S1"}


def test_the_graded_list_behind_inadequate_shows_the_three_cases(built, org, client_for):
    response = client_for(org.senior_manager).get(
        list_url("audits", "month=2026-11&grade=inadequate")
    )
    assert cases_in(response) == {"N-8", "S-8", "S-9"}
    good = client_for(org.senior_manager).get(
        list_url("audits", "month=2026-11&grade=good_or_better")
    )
    assert len(cases_in(good)) == 9 and "N-pair" in cases_in(good) and "S-2" in cases_in(good)


def test_the_section_list_finds_the_pairs_agreed_grade(built, org, client_for):
    response = client_for(org.senior_manager).get(
        list_url("audits", "month=2026-11&section=assessments&section_grade=requires_improvement")
    )
    assert cases_in(response) == {"N-pair"}


def test_a_team_manager_sees_only_their_teams_cases_in_every_list(built, org, client_for):
    client = client_for(org.team_manager)
    for kind in (
        "allocations",
        "audits",
        "actions",
        "learning",
        "concerns",
        "pathways",
        "qa-checks",
    ):
        found = cases_in(client.get(list_url(kind)))
        assert not {c for c in found if c.startswith(("S-", "C-S"))}, kind
    everything = cases_in(client.get(list_url("allocations")))
    assert "C-N1" in everything and "N-0" in everything


def test_a_team_manager_asking_for_another_teams_list_sees_nothing_of_it(built, org, client_for):
    response = client_for(org.team_manager).get(
        list_url("allocations", f"month=2026-11&team={org.south_team.pk}&state=overdue")
    )
    assert response.status_code == 200
    assert cases_in(response) == set()


def test_case_ids_link_only_where_the_reader_may_open_the_case(built, org, client_for):
    north_case = reverse("reporting:case", args=["N-0"])
    # The team manager may open their team's cases; the assistant director reads the list
    # but the case pages are for QA staff and the case's managers.
    assert north_case in client_for(org.team_manager).get(list_url("audits")).content.decode()
    assert north_case not in client_for(org.senior_manager).get(list_url("audits")).content.decode()
    assert north_case in client_for(org.qa_officer).get(list_url("audits")).content.decode()


def test_an_unknown_list_or_state_is_not_found(built, org, client_for):
    client = client_for(org.senior_manager)
    assert client.get(list_url("people")).status_code == 404
    assert client.get(list_url("allocations", "state=lost")).status_code == 404
    assert client.get(list_url("audits", "section=x&section_grade=good")).status_code == 404
    bad_table = reverse("reporting:dashboard-table", args=["completion-by-nothing", "csv"])
    assert client.get(bad_table).status_code == 404


def test_a_table_downloads_as_csv_with_the_same_numbers(built, org, client_for):
    url = reverse("reporting:dashboard-table", args=["completion-by-area", "csv"]) + MONTH
    response = client_for(org.senior_manager).get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="completion-by-area-2026-11.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Service area", "Allocated", "Done on time"]
    assert rows[1] == ["North", "15", "12", "1", "1", "0", "0", "0", "1", "85.7"]


def test_a_table_downloads_as_xlsx_read_back_cell_by_cell(built, org, client_for):
    url = reverse("reporting:dashboard-table", args=["quality-by-area", "xlsx"]) + MONTH
    response = client_for(org.senior_manager).get(url)
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    about = list(book["About"].iter_rows(values_only=True))
    assert about[1] == ("Period: November 2026",)
    sheet = list(book["Good or better by service area"].iter_rows(values_only=True))
    assert sheet[2][0] == "Service area"
    assert sheet[3] == ("All", 20, 45.0, 48.0, sheet[3][4], sheet[3][5], "Low precision")
    assert sheet[4][:4] == ("North", 10, 60.0, 60.0)


def test_a_drill_down_list_downloads_whole(built, org, client_for):
    response = client_for(org.senior_manager).get(list_url("audits", "month=2026-11&format=csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Case ID" and len(rows) == 21


def test_the_learning_log_lists_the_statements_and_searches_them(built, org, client_for):
    client = client_for(org.senior_manager)
    page = client.get(list_url("learning", "month=2026-11&written=learning")).content.decode()
    assert page.count("Chronologies need updating monthly.") == 3
    none = client.get(list_url("learning", "month=2026-11&q=supervision")).content.decode()
    assert "Chronologies need updating monthly." not in none


def test_the_home_page_links_the_dashboard_for_senior_managers_not_social_workers(
    built, org, client_for
):
    assert DASHBOARD in client_for(org.senior_manager).get("/").content.decode()
    assert DASHBOARD not in client_for(org.social_worker).get("/").content.decode()
