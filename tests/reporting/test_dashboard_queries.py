"""The dashboard, its downloads and its lists run a fixed number of queries whatever the size
of the data (the house rule; issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Allocation, AllocationRun, QACheck, SafeguardingConcern, SmartAction
from remediation.models import RemedialAction
from sampling.models import SampleCase
from tests.accounts.factories import ServiceAreaFactory, TeamFactory
from tests.reporting import dashboard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


def grow(org, built, n: int) -> None:
    """n more graded cases in a new area and team, each with an action, a concern and a QA
    check, added to November's sample."""
    area = ServiceAreaFactory(name=f"East {n}")
    team = TeamFactory(name=f"East team {n}", service_area=area)
    run = AllocationRun.objects.get(period=data.NOV)
    sample = built.sample
    sample.strata_table = [*sample.strata_table, {"stratum": f"East {n}", "frame": 10 * n}]
    sample.save()
    for i in range(n):
        case = data._case(f"E{n}-{i}", team)
        SampleCase.objects.create(sample=sample, case=case, stratum=f"East {n}", weight=10)
        allocation = Allocation.objects.create(
            run=run,
            sample=sample,
            case=case,
            auditor=org.auditor,
            period=data.NOV,
            status="allocated",
            eligibility_reason="test",
            deadline=dt.date(2026, 11, 30),
            completed_at=data.at(dt.date(2026, 11, 25)),
        )
        audit = data._audit(allocation, built.form, ["good", "inadequate"][i % 2])
        smart = SmartAction.objects.create(
            audit=audit, what="x", who="TM", due_on=dt.date(2026, 12, 1), created_by=org.auditor
        )
        RemedialAction.objects.create(
            smart_action=smart,
            audit=audit,
            case=case,
            team=team,
            what="x",
            created_on=dt.date(2026, 11, 26),
            received_on=dt.date(2026, 11, 26),
            due_on=dt.date(2026, 12, 1),
        )
        SafeguardingConcern.objects.create(
            audit=audit, raised_by=org.auditor, raised_at=data.at(dt.date(2026, 11, 27))
        )
        QACheck.objects.create(audit=audit, by=org.qa_officer, outcome="accepted")


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


PAGES = [
    reverse("reporting:dashboard") + "?month=2026-11",
    reverse("reporting:dashboard") + "?period=year&month=2026-11",
    reverse("reporting:dashboard-table", args=["quality-by-area", "xlsx"]) + "?month=2026-11",
    *[
        reverse("reporting:dashboard-list", args=[kind]) + "?month=2026-11"
        for kind in ("allocations", "audits", "actions", "learning", "concerns", "qa-checks")
    ],
]


@pytest.mark.parametrize("persona", ["senior_manager", "team_manager"])
def test_the_pages_run_the_same_queries_for_ten_times_the_data(org, client_for, settings, persona):
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    built = data.everything(org)
    client = client_for(getattr(org, persona))
    client.get(PAGES[0])  # sessions and caches warmed
    small = {url: count(client, url) for url in PAGES}
    grow(org, built, 60)
    grow(org, built, 80)
    large = {url: count(client, url) for url in PAGES}
    assert large == small


def test_the_dashboard_runs_a_fixed_number_of_queries(org, client_for, settings):
    """A fixed number of queries, counted live here (no month is summarised)."""
    data.everything(org)
    client = client_for(org.senior_manager)
    client.get(PAGES[0])
    # 29 on PostgreSQL: the session and the user, the header, which months are summarised,
    # each section's reads, and a savepoint and its release inside the test's transaction.
    assert count(client, PAGES[0]) <= 29
