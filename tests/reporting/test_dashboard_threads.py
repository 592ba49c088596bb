"""The dashboard's sections built side by side (reporting.dashboard.build, issue 13): on
PostgreSQL, outside another transaction, threads build sections on their own connections,
all reading one snapshot of the database, and the figures are those built in turn."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from remediation.models import RemedialAction
from reporting.dashboard import build
from reporting.dashboard.build import build_sections
from reporting.dashboard.filters import read_filters
from reporting.dashboard.scope import reader_scope
from tests.reporting import dashboard_data as data

pytestmark = pytest.mark.django_db(transaction=True)

PERIODS = [{"month": "2026-11"}, {"period": "year", "month": "2026-11"}]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the threads share a snapshot on PostgreSQL only")


def sections(user, params, threads, settings):
    settings.DASHBOARD_THREADS = threads
    scope = reader_scope(user)
    filters = read_filters(params, scope=scope, today=data.TODAY)
    built = build_sections(scope=scope, filters=filters, today=data.TODAY, summarised=True)
    return [s.to_dict() for s in built]


@pytest.fixture
def away(monkeypatch):
    """The threads `_on_snapshot` ran in (not this one)."""
    seen = []
    on_snapshot = build._on_snapshot

    def spy(snapshot, builds):
        seen.append(threading.get_ident())
        return on_snapshot(snapshot, builds)

    monkeypatch.setattr(build, "_on_snapshot", spy)
    return seen


@pytest.mark.parametrize("params", PERIODS)
def test_sections_built_side_by_side_give_the_figures_built_in_turn(
    postgresql, org, settings, params, away
):
    data.everything(org)
    for user in (org.senior_manager, org.team_manager):
        assert sections(user, params, 3, settings) == sections(user, params, 1, settings)
    assert away and threading.get_ident() not in away


def test_every_thread_reads_the_snapshot_the_build_began_with(
    postgresql, org, settings, monkeypatch
):
    """Seven actions committed by another connection once the build has begun (as a thread
    starts) are in no section's figures: every thread reads the snapshot the build began
    with. Built again, they are counted."""
    built = data.everything(org)
    before = sections(org.senior_manager, PERIODS[0], 1, settings)
    on_snapshot = build._on_snapshot
    written = []
    lock = threading.Lock()

    def write_first(snapshot, builds):
        with lock:
            if not written:
                written.extend(data.actions(org, built))  # this thread's own connection
        return on_snapshot(snapshot, builds)

    monkeypatch.setattr(build, "_on_snapshot", write_first)
    assert sections(org.senior_manager, PERIODS[0], 3, settings) == before
    assert len(written) == 7 and RemedialAction.objects.count() == 14

    def raised(figures):
        actions = next(s for s in figures if s["key"] == "actions")
        return next(f["value"] for f in actions["figures"] if f["label"] == "Actions raised")

    after = sections(org.senior_manager, PERIODS[0], 1, settings)
    assert raised(after) == raised(before) + 7


def test_inside_another_transaction_the_sections_are_built_in_turn(org, settings, away):
    """A report built by a sweep inside its own transaction reads what that transaction
    has written: no other connection could see it."""
    from django.db import transaction

    data.everything(org)
    with transaction.atomic():
        sections(org.senior_manager, PERIODS[0], 3, settings)
    assert away == []
