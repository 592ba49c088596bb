"""The compliance review page reads the database a fixed number of times whatever the size
of the month (issue 16): its summary is counted by the database, and only the actions of
the page's five teams are read. The same queries for 10 actions as for 1,000, and the same
counts as the spreadsheet's summary (Bury 10.1-10.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import SmartAction
from remediation.models import ComplianceItem, ComplianceReview, Outstanding, RemedialAction
from remediation.selectors import review_items, summarise
from remediation.services import sweep_open_compliance_reviews
from tests.accounts.factories import TeamFactory
from tests.reporting.test_page_queries import _copy, _queries

from .factories import remedial_actions

pytestmark = pytest.mark.django_db

URL = "/actions/compliance/2026-11/"
KINDS = list(Outstanding.values)


@pytest.fixture
def review(org, bury) -> ComplianceReview:
    """November's review of ten actions of one north-team audit."""
    remedial_actions(org, n=10, finished_on=dt.date(2026, 7, 6))
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 7))
    return ComplianceReview.objects.get(month=dt.date(2026, 11, 1))


def _more(review: ComplianceReview, n: int, teams) -> None:
    """n more reviewed actions, spread over the teams, in every state."""
    item = ComplianceItem.objects.filter(review=review).select_related("action").first()
    action = item.action
    smart = SmartAction.objects.get(pk=action.smart_action_id)
    smarts = SmartAction.objects.bulk_create([_copy(smart) for _ in range(n)])
    actions = RemedialAction.objects.bulk_create(
        [_copy(action, smart_action_id=s.pk) for s in smarts]
    )
    ComplianceItem.objects.bulk_create(
        [
            _copy(
                item,
                action_id=a.pk,
                team_id=teams[i % len(teams)].pk,
                fulfilled=i % 2 == 0,
                completed=i % 3 == 0,
                authorised=i % 5 == 0,
                closed_by_decision=i % 7 == 0,
                outstanding=KINDS[i % len(KINDS)],
            )
            for i, a in enumerate(actions)
        ]
    )


def _counts(rows) -> list[tuple]:
    return [
        (
            r.team.name,
            r.audits,
            r.actions,
            r.fulfilled,
            r.completed,
            r.authorised,
            r.closed_by_decision,
            r.outstanding,
        )
        for r in rows
    ]


def test_the_review_costs_the_same_queries_for_10_and_1000_actions(org, review, client_for):
    client = client_for(org.qa_officer)
    client.get(URL)  # the session and the person's groups, read once
    small, page = _queries(client, URL)
    # Session, person, permissions, the review with its summary, the page's actions, the
    # header, the access log's row (issue 16: the review and its summary were two).
    assert small <= 7
    assert page.count('<h2 class="govuk-heading-m" id="team-') == 1
    assert page.count("put the plan on file") == 10

    teams = [
        TeamFactory(name=f"Team {n:02d}", service_area=org.north_team.service_area)
        for n in range(8)
    ]
    _more(review, 990, teams)
    response = client.get(URL)
    large, page = _queries(client, URL)
    assert large == small
    # The summary has every team, counted as the spreadsheet counts them.
    assert _counts(response.context["teams"]) == _counts(summarise(review_items(review=review)))
    assert len(response.context["teams"]) == 9
    # Five teams' actions a page.
    assert page.count('<h2 class="govuk-heading-m" id="team-') == 5
    assert 'rel="next"' in page
    last, page = _queries(client, f"{URL}?page=2")
    assert last == small
    assert page.count('<h2 class="govuk-heading-m" id="team-') == 4
    shown = page.count("put the plan on file")
    assert (
        shown
        == ComplianceItem.objects.filter(
            review=review, team__name__in=["Team 04", "Team 05", "Team 06", "Team 07"]
        ).count()
    )


def test_a_team_manager_sees_only_their_own_teams_in_the_review(org, review, client_for):
    """Bury 10.2: each team manager is sent their own team's part of the review."""
    _more(review, 20, [org.south_team])
    response = client_for(org.team_manager).get(URL)
    assert [r.team for r in response.context["teams"]] == [org.north_team]
    assert response.content.decode().count("put the plan on file") == 10
    assert client_for(org.team_manager).get(f"{URL}?team={org.south_team.pk}").status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Visit the child",
        "  Visit\n the   child\tweekly  ",
        " ".join(f"word{n}" for n in range(14)),
        " ".join(f"word{n}" for n in range(15)),
        " ".join(f"word{n}" for n in range(30)) + "\n",
        " ".join(["…"] * 20),
    ],
)
@pytest.mark.parametrize("length", [14, 16])
def test_an_actions_words_are_cut_as_djangos_truncator_cuts_them(text, length):
    """The review (14 words) and the worktray (16) cut an action's words alike."""
    from django.utils.text import Truncator

    from remediation.display import truncate_words

    assert truncate_words(text, length) == Truncator(text).words(length, truncate=" …")


def test_the_review_and_its_summary_are_one_query_its_sql_built_once(org, review):
    """The month's review comes with its summary's counts (issue 16); read alone only
    when none of its actions are the reader's, and not found for a month without one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import compiled
    from remediation.selectors import (
        _summary_of_month,
        _summary_of_month_teams,
        review_and_summary,
    )

    teams = [TeamFactory(name=f"Team {n}", service_area=org.north_team.service_area) for n in "AB"]
    _more(review, 30, teams)
    expected = _counts(summarise(review_items(review=review)))
    month = review.month
    for team_ids, wanted in (
        (None, expected),
        ([teams[1].pk, org.north_team.pk], [r for r in expected if r[0] != "Team A"]),
    ):
        with CaptureQueriesContext(connection) as ctx:
            found, summary = review_and_summary(month=month, team_ids=team_ids)
        assert len(ctx.captured_queries) == 1
        assert (found.pk, found.month, found.opened_on, found.sent_on, found.created_at) == (
            review.pk,
            review.month,
            review.opened_on,
            review.sent_on,
            review.created_at,
        )
        assert _counts(summary) == wanted
    if connection.vendor == "postgresql":  # SQLite's counts hold booleans: built each time
        assert compiled._built[_summary_of_month, connection.vendor, (dt.date,)]
        assert compiled._built[_summary_of_month_teams, connection.vendor, (dt.date, int, int)]
    # None of the south team's: the review, read on its own, with no rows.
    found, summary = review_and_summary(month=month, team_ids=[org.south_team.pk])
    assert found.pk == review.pk and summary == []
    assert review_and_summary(month=dt.date(2026, 10, 1), team_ids=None) == (None, [])
