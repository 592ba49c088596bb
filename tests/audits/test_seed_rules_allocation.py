"""The seeds' allocation rules to the letter (issue 17, items 2 and 3): who may audit
which case, under each preset."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from audits.services import allocation_propose

from .factories import case_in, confirmed_sample

NOV = dt.date(2026, 11, 1)


def _only_in_pool(*people: User) -> None:
    User.objects.filter(in_audit_pool=True).exclude(pk__in=[p.pk for p in people]).update(
        in_audit_pool=False
    )


def test_leeds_team_managers_audit_only_their_own_teams_cases(org, preset):
    """Leeds 5.4: "A random sample of 4 case files to be audited from their own teams will
    be generated ... and supplied to TMs": under the Leeds preset a team manager audits
    their own team as a rule, and is never given another team's case."""
    preset("leeds")
    _only_in_pool(org.team_manager)
    elsewhere = case_in(org.south_team)
    confirmed_sample(period=NOV, cases=[elsewhere])
    run = allocation_propose(period=NOV, today=dt.date(2026, 11, 2))
    assert list(run.allocations.all()) == []
    assert "audits only their own team's cases" in run.unallocated[0]["reason"]


def test_leeds_team_managers_are_given_their_own_teams_cases(org, preset):
    """Leeds 5.4: the team manager's sample is from their own team."""
    preset("leeds")
    _only_in_pool(org.team_manager)
    own = case_in(org.north_team)
    confirmed_sample(period=NOV, cases=[own])
    run = allocation_propose(period=NOV, today=dt.date(2026, 11, 2))
    assert [a.auditor for a in run.allocations.all()] == [org.team_manager]
