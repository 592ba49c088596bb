"""The dashboard's figures are kept for readers of the same scope, and never shown to a reader
of another scope or after the data they count has changed (issue 16: caching only where it
is safe with the access rules, with a key that includes the reader's scope)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.selectors import policy_get
from audits.models import SafeguardingConcern
from remediation.models import RemedialAction
from reporting.dashboard.cache import data_version
from tests.reporting import dashboard_data as data

pytestmark = pytest.mark.django_db

URL = reverse("reporting:dashboard") + "?month=2026-11"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def kept(settings):
    """The figures kept for a minute, in a cache of this test's own."""
    settings.DASHBOARD_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"dashboard-{uuid.uuid4()}",
        }
    }


def reader(client_for, person):
    """A signed-in client, in an authority whose policy row exists (the first page to read
    the policy makes it, which is a change to the data like any other)."""
    policy_get()
    return client_for(person)


def figures(client) -> tuple[str, int]:
    """The figures part of the page (from its contents list on), and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="contents-heading"') : page.index("</main>")], len(queries)


def test_a_second_look_at_the_same_figures_reads_them_from_the_cache(org, client_for):
    data.everything(org)
    client = reader(client_for, org.senior_manager)
    first, built = figures(client)
    again, kept = figures(client)
    assert again == first
    assert kept <= built - 15  # the figures' own queries are gone; the version is one


def test_a_reader_of_another_scope_never_gets_the_figures_kept_for_a_wider_one(org, client_for):
    """SPEC §10: a team manager reads their teams' figures only, even just after a senior
    manager has read the whole authority's for the same month."""
    data.everything(org)
    whole, _ = figures(reader(client_for, org.senior_manager))
    manager = reader(client_for, org.team_manager)
    teams, built = figures(manager)
    assert teams != whole
    again, kept = figures(manager)
    assert again == teams and kept < built


def test_a_change_to_the_data_shows_at_once(org, client_for):
    """A concern raised, or an action's status changed by any UPDATE (the change history's
    trigger records it), gives the figures a new key, so they are worked out again."""
    data.everything(org)
    client = reader(client_for, org.senior_manager)
    before, _ = figures(client)
    version = data_version()

    concern = SafeguardingConcern.objects.order_by("id").first()
    SafeguardingConcern.objects.create(
        audit=concern.audit, raised_by=org.auditor, raised_at=concern.raised_at
    )
    assert data_version() != version
    after_concern, _ = figures(client)
    assert after_concern != before

    version = data_version()
    action = RemedialAction.objects.exclude(status="completed").order_by("id").first()
    RemedialAction.objects.filter(pk=action.pk).update(status="completed")
    assert data_version() != version
    after_action, _ = figures(client)
    assert after_action != after_concern


def test_nothing_is_kept_when_the_setting_is_zero(org, client_for, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    data.everything(org)
    client = reader(client_for, org.senior_manager)
    first, built = figures(client)
    again, read_again = figures(client)
    assert again == first and read_again == built
