"""The seeds' allocation rules to the letter (issue 17, items 2 and 3): who may audit
which case, under each preset."""

from __future__ import annotations

import datetime as dt

from accounts.models import Role, User
from audits.services import allocation_propose

from .factories import case_in, confirmed_sample, pool_member

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


def _snapshot_held_by(case, *, team, worker, as_of=dt.date(2026, 10, 5)) -> None:
    from sampling.models import Snapshot, SnapshotCase

    snapshot = Snapshot.objects.create(
        annex_list="6", as_of=as_of, file_name="l6.csv", sha256=f"{as_of}", status="imported"
    )
    SnapshotCase.objects.create(
        snapshot=snapshot, case=case, case_type=case.case_type, team=team, worker=worker
    )


def test_hillingdon_no_auditor_whose_team_held_the_case_on_an_earlier_list(org, policy):
    """Hillingdon 2.1: not allocated to auditors "whom have, or their team have had
    involvement in the case": the case's earlier teams count, not just today's."""
    _only_in_pool(org.auditor)
    case = case_in(org.north_team, worker=org.social_worker)
    _snapshot_held_by(case, team=org.south_team, worker=org.outsider)
    confirmed_sample(period=NOV, cases=[case])
    run = allocation_propose(period=NOV, today=dt.date(2026, 11, 2))
    assert list(run.allocations.all()) == []
    assert "their team has had involvement in it" in run.unallocated[0]["reason"]


def test_hillingdon_no_auditor_who_was_the_cases_earlier_worker(org, policy):
    """Hillingdon 2.1: an auditor who held the case on an earlier list has had
    involvement in it, though it is now in another team with another worker."""
    mover = pool_member(email="mover@example.test", full_name="Mo Mover", team=None)
    _only_in_pool(mover)
    case = case_in(org.north_team, worker=org.social_worker)
    _snapshot_held_by(case, team=None, worker=mover)
    confirmed_sample(period=NOV, cases=[case])
    run = allocation_propose(period=NOV, today=dt.date(2026, 11, 2))
    assert list(run.allocations.all()) == []
    assert "has had involvement in it" in run.unallocated[0]["reason"]


def test_hillingdon_no_auditor_who_is_the_childs_iro(org, policy):
    """Hillingdon 2.1 ("have had involvement"), P&Q 9-10: the child's IRO or CP chair,
    named on an earlier audit of the case, does not audit it."""
    from tests.remediation.factories import finished_audit

    iro = pool_member(email="iro@example.test", full_name="Ira Reviewer", role=Role.IRO)
    case = case_in(org.north_team, worker=org.social_worker)
    earlier = finished_audit(auditor=org.auditor, case=case, finished_on=dt.date(2025, 9, 15))
    earlier.iro = iro
    earlier.save(update_fields=["iro"])
    _only_in_pool(iro)
    confirmed_sample(period=NOV, cases=[case])
    run = allocation_propose(period=NOV, today=dt.date(2026, 11, 2))
    assert list(run.allocations.all()) == []
    assert "has had involvement in it" in run.unallocated[0]["reason"]
