"""The worktray reads the database a fixed number of times whatever the data size (issue
16): the same queries at 10 actions as at 1,000, fifty a page with GOV.UK pagination."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from remediation.models import RemedialAction
from tests.reporting.test_page_queries import _copy

from .factories import remedial_actions

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    "persona", ["team_manager", "service_manager", "qa_officer", "social_worker"]
)
def test_the_worktray_costs_the_same_queries_for_10_and_1000_actions(
    org, bury, client_for, persona
):
    """The actions list runs a fixed number of queries and shows fifty actions a page."""
    first, *_ = remedial_actions(org, n=10)
    client = client_for(getattr(org, persona))
    client.get("/actions/")
    small, page = _queries(client, "/actions/")
    assert "10 actions" in page
    smart = type(first.smart_action)
    copies = smart.objects.bulk_create([_copy(first.smart_action) for _ in range(990)])
    RemedialAction.objects.bulk_create([_copy(first, smart_action_id=s.pk) for s in copies])
    large, page = _queries(client, "/actions/")
    assert large == small
    assert "1,000 actions, 1 to 50 shown" in page
    assert page.count('href="/actions/') - page.count('href="/actions/?') >= 50
    assert 'rel="next"' in page
    last, page = _queries(client, "/actions/?page=20")
    assert last == small
    assert 'rel="prev"' in page and 'rel="next"' not in page


@pytest.mark.parametrize(
    ("persona", "most"),
    [("team_manager", 7), ("service_manager", 6), ("qa_officer", 5), ("social_worker", 5)],
)
def test_the_worktray_reads_its_figures_with_its_rows(org, bury, client_for, persona, most):
    """The figures above the list come with the page's rows (issue 16): no query of their
    own, unless the page is past the last (then they are counted, and the last page read)."""
    remedial_actions(org, n=3)
    client = client_for(getattr(org, persona))
    client.get("/actions/")
    count, page = _queries(client, "/actions/")
    assert count <= most, count
    assert "3 actions" in page
    past, page = _queries(client, "/actions/?page=9")
    assert past == count + 2 and "3 actions" in page
