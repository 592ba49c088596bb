"""Who reads which part of the dashboard, and the filters in its URL (issue 13: senior
managers, heads of service and QA staff the whole authority; a service manager their area;
a team manager their teams; social workers nothing)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role
from reporting.dashboard.filters import read_filters
from reporting.dashboard.scope import reader_scope
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 10)


@pytest.mark.parametrize("persona", ["senior_manager", "strategic_lead", "qa_officer"])
def test_senior_managers_heads_of_service_and_qa_staff_read_the_whole_authority(org, persona):
    scope = reader_scope(getattr(org, persona))
    assert scope.whole and scope.reads_reports


def test_only_qa_staff_write_the_reports(org):
    assert reader_scope(org.qa_officer).writes_reports
    assert not reader_scope(org.senior_manager).writes_reports


def test_a_service_manager_reads_their_service_area(org):
    other_north = TeamFactory(name="North Duty", service_area=org.north)
    scope = reader_scope(org.service_manager)
    assert not scope.whole and not scope.reads_reports
    assert scope.team_ids == {org.north_team.pk, other_north.pk}


def test_a_team_manager_reads_the_teams_they_manage(org):
    scope = reader_scope(org.team_manager)
    assert scope.team_ids == {org.north_team.pk}
    assert not scope.reads_reports


@pytest.mark.parametrize("persona", ["social_worker", "auditor", "outsider", "admin"])
def test_social_workers_auditors_and_administrators_alone_read_nothing(org, persona):
    assert reader_scope(getattr(org, persona)) is None


def test_a_personal_adviser_and_an_iro_read_nothing(db):
    for role in (Role.PERSONAL_ADVISER, Role.IRO):
        person = UserFactory(email=f"{role}@example.test", role=role)
        assert reader_scope(person) is None


def test_the_default_is_this_month(org):
    filters = read_filters({}, scope=reader_scope(org.senior_manager), today=TODAY)
    assert filters.months == (dt.date(2026, 12, 1),)
    assert filters.errors == []


def test_a_quarter_twelve_months_and_a_range_from_the_url(org):
    scope = reader_scope(org.senior_manager)
    quarter = read_filters({"period": "quarter", "month": "2026-02"}, scope=scope, today=TODAY)
    assert quarter.months == (dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    year = read_filters({"period": "year", "month": "2026-11"}, scope=scope, today=TODAY)
    assert (year.start, year.end, len(year.months)) == (
        dt.date(2025, 12, 1),
        dt.date(2026, 11, 30),
        12,
    )
    span = read_filters(
        {"period": "range", "from": "2026-04", "to": "2026-09"}, scope=scope, today=TODAY
    )
    assert (span.start, span.end, span.label) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 9, 30),
        "April 2026 to September 2026",
    )


def test_the_filters_go_back_into_the_url_unchanged(org):
    scope = reader_scope(org.senior_manager)
    params = {
        "period": "quarter",
        "month": "2026-11",
        "area": str(org.north.pk),
        "team": str(org.north_team.pk),
        "case_type": "cp",
    }
    filters = read_filters(params, scope=scope, today=TODAY)
    assert filters.errors == []
    assert filters.params() == params
    again = read_filters(filters.params(), scope=scope, today=TODAY)
    assert again.months == filters.months and again.team_id == org.north_team.pk


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "fortnight"}, "period", "Choose a month, a quarter"),
        ({"month": "November"}, "month", "Enter the month as YYYY-MM"),
        ({"period": "range", "from": "2026-09", "to": "2026-04"}, "from", "same as or before"),
        ({"period": "range", "from": "2000-01", "to": "2026-04"}, "from", "at most 120 months"),
        ({"case_type": "pets"}, "case_type", "Choose a case type"),
        ({"area": "x"}, "area", "Choose a service area"),
    ],
)
def test_a_bad_filter_is_named_and_left_out(org, params, field, message):
    filters = read_filters(params, scope=reader_scope(org.senior_manager), today=TODAY)
    assert [f for f, _ in filters.errors] == [field]
    assert message in filters.errors[0][1]


def test_a_team_outside_the_chosen_area_is_refused(org):
    filters = read_filters(
        {"area": str(org.north.pk), "team": str(org.south_team.pk)},
        scope=reader_scope(org.senior_manager),
        today=TODAY,
    )
    assert filters.team_id is None and filters.area_id == org.north.pk
    assert filters.errors == [("team", "Choose a team in the service area chosen")]


def test_a_team_manager_cannot_filter_to_a_team_or_area_they_do_not_manage(org):
    """Refused with a message; nothing of the other team is read."""
    filters = read_filters(
        {"team": str(org.south_team.pk), "area": str(org.south.pk)},
        scope=reader_scope(org.team_manager),
        today=TODAY,
    )
    assert filters.team_id is None and filters.area_id is None
    assert [f for f, _ in filters.errors] == ["area", "team"]
    assert [t.id for t in filters.teams] == [org.north_team.pk]


def test_a_service_manager_cannot_filter_to_another_area(org):
    filters = read_filters(
        {"area": str(org.south.pk)}, scope=reader_scope(org.service_manager), today=TODAY
    )
    assert filters.area_id is None
    assert filters.areas() == [(org.north.pk, "North")]
