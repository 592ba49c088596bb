"""The dashboard's request path reads the data's version and the reader's teams in one query
(issue 16), the same version and teams as `data_version` and `teams_in_scope` read."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.selectors import policy_get
from reporting.dashboard.cache import data_version, version_and_teams
from reporting.dashboard.filters import teams_in_scope
from reporting.dashboard.scope import ReaderScope, reader_scope
from tests.accounts.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.parametrize("persona", ["senior_manager", "service_manager", "team_manager"])
def test_the_version_and_teams_are_those_read_apart(org, persona):
    TeamFactory(name="A team of its own", service_area=org.north_team.service_area)
    scope = reader_scope(getattr(org, persona))
    version, teams = version_and_teams(scope)
    assert version == data_version()
    assert teams == teams_in_scope(scope)
    assert teams


def test_a_scope_of_no_teams_reads_the_version_and_no_team(org):
    scope = ReaderScope(whole=False, team_ids=frozenset(), label="nobody")
    version, teams = version_and_teams(scope)
    assert version == data_version() and teams == []


def test_a_second_look_reads_the_version_and_teams_in_one_query(org, client_for, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"dashboard-{uuid.uuid4()}",
        }
    }
    policy_get()
    client = client_for(org.senior_manager)
    url = reverse("reporting:dashboard") + "?month=2026-11"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in ctx]
    assert sum("MAX(id)" in q for q in sql) == 1
    assert not any(q.startswith('SELECT "accounts_team"."id"') for q in sql)
