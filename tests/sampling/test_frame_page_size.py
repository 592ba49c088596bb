"""The sampling frame page counts the cases in one pass, whatever their number (issue 16):
the same queries for 10 cases as for 1,000, and the same figures as counting each table of
the page on its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sampling.models import Case, CaseStatus, CaseType, Snapshot, SnapshotStatus

pytestmark = pytest.mark.django_db

URL = "/sampling/frame/"


def _cases(org, n: int, prefix: str) -> None:
    """n cases in every state: open and closed, reopened, with an audit open, of each
    type, in either area's team or in none."""
    teams = [org.north_team, org.south_team, None]
    types = list(CaseType.values)
    Case.objects.bulk_create(
        [
            Case(
                external_id=f"{prefix}{i:05d}",
                team=teams[i % 3],
                case_type=types[i % len(types)],
                status=CaseStatus.CLOSED if i % 4 == 0 else CaseStatus.OPEN,
                reopened_on=dt.date(2026, 10, 1) if i % 5 == 0 else None,
                audit_open=i % 6 == 0,
            )
            for i in range(n)
        ]
    )


def _counted_table_by_table() -> dict:
    open_cases = Case.objects.filter(status=CaseStatus.OPEN)
    areas = (
        open_cases.values("team__service_area__name")
        .annotate(n=Count("id"))
        .order_by(F("team__service_area__name").asc(nulls_last=True))  # no team last
    )
    return {
        "by_type": [
            (label, open_cases.filter(case_type=code).count()) for code, label in CaseType.choices
        ],
        "by_area": [(r["team__service_area__name"] or "No team", r["n"]) for r in areas],
        "totals": {
            "open": open_cases.count(),
            "closed": Case.objects.filter(status=CaseStatus.CLOSED).count(),
            "reopened": open_cases.filter(reopened_on__isnull=False).count(),
            "audit_open": open_cases.filter(audit_open=True).count(),
        },
    }


def _shown(response) -> dict:
    return {key: response.context[key] for key in ("by_type", "by_area", "totals")}


def test_the_frame_costs_the_same_queries_for_10_and_1000_cases(org, client_for):
    client = client_for(org.qa_officer)
    _cases(org, 10, "A")
    client.get(URL)  # the session and the person's groups, read once
    with CaptureQueriesContext(connection) as small:
        response = client.get(URL)
    assert _shown(response) == _counted_table_by_table()
    assert response.context["totals"]["open"] == 7

    _cases(org, 1000, "B")
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert _shown(response) == _counted_table_by_table()
    assert response.context["totals"]["closed"] == 253
    assert response.context["by_area"][-1][0] == "No team"


def test_the_frame_shows_the_newest_imported_list_of_each_kind(org, client_for):
    """The newest list of each kind is the newest imported, not a later one refused or
    replaced; a kind never imported says so. The recent imports are newest first."""
    day = dt.date(2026, 11, 2)
    made = {}
    for weeks, annex, status in [
        (3, "6", SnapshotStatus.IMPORTED),
        (1, "6", SnapshotStatus.IMPORTED),
        (2, "6", SnapshotStatus.IMPORTED),
        (0, "6", SnapshotStatus.REJECTED),
        (4, "7", SnapshotStatus.IMPORTED),
        (5, "7", SnapshotStatus.REPLACED),
    ]:
        made[(weeks, annex)] = Snapshot.objects.create(
            annex_list=annex,
            as_of=day - dt.timedelta(weeks=weeks),
            status=status,
            file_name=f"list-{annex}-{weeks}.csv",
            created_at=timezone.now() - dt.timedelta(weeks=weeks),
        )
    response = client_for(org.qa_officer).get(URL)
    newest = {code: snapshot for code, _, snapshot in response.context["lists"]}
    assert newest["6"].pk == made[(1, "6")].pk
    assert newest["7"].pk == made[(4, "7")].pk
    assert newest["3"] is None and newest["8"] is None and newest["9"] is None
    assert "Not imported" in response.content.decode()
    assert [s.file_name for s in response.context["recent"]][:3] == [
        "list-6-0.csv",
        "list-6-1.csv",
        "list-6-2.csv",
    ]
