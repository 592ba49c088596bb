"""The service areas' figures on a senior or service manager's home page, and the QA panel's
count of open cases, are kept in the process by a version of their data (and the area:
`reporting.kept_figures`, issue 16): read once while nothing has changed, read
again after any change to a case, team or service area, and never shown to a reader for an
area they may not see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Team
from reporting import kept_figures, selectors
from sampling.models import Case, CaseStatus, CaseType

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60  # the tests' settings turn keeping off
    kept_figures._kept_areas.clear()
    yield
    kept_figures._kept_areas.clear()


def _home(client, person):
    with CaptureQueriesContext(connection) as ctx:
        page = client(person).get("/").content.decode()
    # The areas' query: each area's name, its teams and open cases (`_area_figures`).
    return page, sum(q["sql"].startswith('SELECT "accounts_servicearea"."name"') for q in ctx)


def _areas(page: str) -> str:
    """The page's table of service areas."""
    return page.split('id="areas-heading"', 1)[1].split("</table>", 1)[0]


def _open_cases(page: str, area: str) -> str:
    """The open cases of `area` in the page's table of service areas."""
    row = _areas(page).split(f">{area}<", 1)[1].split("</tr>", 1)[0]
    return row.rsplit('numeric">', 1)[1].split("<", 1)[0].strip()


def test_the_areas_are_read_once_while_nothing_changes(org, client_for, kept):
    Case.objects.create(external_id="N1", case_type=CaseType.CIN, team=org.north_team)
    page, reads = _home(client_for, org.senior_manager)
    assert reads == 1 and _open_cases(page, "North") == "1"
    again, reads = _home(client_for, org.senior_manager)
    assert reads == 0, "kept: no query counts the open cases again"
    assert _areas(again) == _areas(page)


def test_a_new_case_or_a_changed_case_reads_them_again(org, client_for, kept):
    _home(client_for, org.senior_manager)
    Case.objects.create(external_id="N1", case_type=CaseType.CIN, team=org.north_team)
    page, reads = _home(client_for, org.senior_manager)
    assert reads == 1 and _open_cases(page, "North") == "1", "a new case: a new version"
    Case.objects.filter(external_id="N1").update(status=CaseStatus.CLOSED)
    page, reads = _home(client_for, org.senior_manager)
    assert reads == 1 and _open_cases(page, "North") == "0", "a closed case: a new version"
    Team.objects.filter(pk=org.north_team.pk).update(service_area=org.south_team.service_area)
    page, reads = _home(client_for, org.senior_manager)
    assert reads == 1, "a team moved to another area: a new version"


def test_a_service_manager_sees_only_their_own_area_after_a_senior_manager(org, client_for, kept):
    senior, _ = _home(client_for, org.senior_manager)
    assert "North" in senior and "South" in senior
    page, reads = _home(client_for, org.service_manager)
    own = selectors.area_figures(user=org.service_manager)
    assert reads == 1, "their own area is kept apart from every area"
    assert [row["name"] for row in own] == [
        name for name in ("North", "South") if f">{name}<" in _areas(page)
    ]
    assert len(own) == 1


def test_without_keeping_the_areas_are_read_every_time(org, client_for, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    kept_figures._kept_areas.clear()
    _home(client_for, org.senior_manager)
    _, reads = _home(client_for, org.senior_manager)
    assert reads == 1 and not kept_figures._kept_areas


def _qa_open_cases(page: str) -> str:
    row = page.split("Open cases</dt>", 1)[1]
    return row.split('value">', 1)[1].split(";", 1)[0].strip()


def test_the_qa_panel_counts_the_open_cases_only_when_the_data_has_changed(org, client_for, kept):
    """The open cases are counted in the facts' query unless its data version is the one
    the process kept the count for; then the database answers NULL without counting and
    the kept count is shown (here a kept count no data has, to tell it apart)."""
    kept_figures._kept_open_cases.clear()
    Case.objects.create(external_id="N1", case_type=CaseType.CIN, team=org.north_team)
    client = client_for(org.qa_officer)
    client.get("/")  # the session's activity stamp, written once
    assert _qa_open_cases(client.get("/").content.decode()) == "1"
    ((version, count, at),) = kept_figures._kept_open_cases
    assert count == 1
    kept_figures._kept_open_cases[:] = [(version, 777, at)]
    assert _qa_open_cases(client.get("/").content.decode()) == "777", "kept: not counted"
    Case.objects.create(external_id="N2", case_type=CaseType.CIN, team=org.north_team)
    assert _qa_open_cases(client.get("/").content.decode()) == "2", "a new case: counted"
    Case.objects.filter(external_id="N2").update(status=CaseStatus.CLOSED)
    assert _qa_open_cases(client.get("/").content.decode()) == "1", "a closed case: counted"
    kept_figures._kept_open_cases.clear()


def test_without_keeping_the_qa_panel_counts_the_open_cases_every_time(org, client_for):
    kept_figures._kept_open_cases.clear()
    Case.objects.create(external_id="N1", case_type=CaseType.CIN, team=org.north_team)
    client = client_for(org.qa_officer)
    client.get("/")
    version, _count, at = kept_figures._kept_open_cases[0]
    kept_figures._kept_open_cases[:] = [(version, 777, at)]
    assert _qa_open_cases(client.get("/").content.decode()) == "1"
    kept_figures._kept_open_cases.clear()
