"""The monthly allocation: quotas, fair load, determinism, pairs, breaks, the yearly cap,
and cases that cannot be placed (SPEC §4)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from accounts.errors import RuleViolation
from accounts.models import BreakRequest, Role, User
from accounts.selectors import available_pool
from audits.models import Allocation, AllocationRun, AllocationStatus
from audits.services import allocation_propose

from .factories import (
    SampleFactory,
    allocation,
    build_authority,
    case_in,
    cases_for,
    confirmed_sample,
)

NOV = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def authority(db, policy):
    return build_authority()


def _loads(run: AllocationRun) -> Counter:
    return Counter(run.allocations.values_list("auditor_id", flat=True))


def test_every_pool_member_gets_one_case_before_anyone_gets_a_second(authority, policy):
    """Bury 5.2, 6.2: each pool member at least one audit a month; load spread fairly."""
    teams, members, workers = authority
    policy.default_quota = 3
    policy.save()
    confirmed_sample(period=NOV, cases=cases_for(teams, workers, len(members) + 4))
    run = allocation_propose(period=NOV, today=TODAY)
    loads = _loads(run)
    assert set(loads) == {m.pk for m in members}
    assert sorted(loads.values()) == [1] * (len(members) - 4) + [2] * 4
    assert run.unallocated == []


def test_no_auditor_gets_more_than_their_roles_monthly_quota(authority, policy):
    """Leeds 5: quotas by role (heads of service 2, service managers and team managers 4);
    Bradford 2: everyone else one."""
    teams, members, workers = authority
    policy.quotas = {Role.HEAD_OF_SERVICE: 2, Role.SERVICE_MANAGER: 4, Role.TEAM_MANAGER: 4}
    policy.save()
    capacity = sum(q for _, q in available_pool(period=NOV))
    confirmed_sample(period=NOV, cases=cases_for(teams, workers, capacity + 3))
    run = allocation_propose(period=NOV, today=TODAY)
    loads = _loads(run)
    by_id = {m.pk: m for m in members}
    for auditor_id, n in loads.items():
        assert n <= policy.quota_for(by_id[auditor_id].role)
    assert sum(loads.values()) == capacity
    assert len(run.unallocated) == 3
    assert all("reached their quota" in p["reason"] for p in run.unallocated)


def test_the_allocation_is_the_same_for_the_same_sample_and_seed(authority, policy):
    """SPEC §4: deterministic for a given sample and seed, so it can be shown to be fair."""
    teams, members, workers = authority
    cases = cases_for(teams, workers, len(members))
    sample = confirmed_sample(period=NOV, cases=cases, seed=99)
    first = sorted(
        allocation_propose(period=NOV, today=TODAY).allocations.values_list("case_id", "auditor_id")
    )
    AllocationRun.objects.all().delete()
    again = sorted(
        allocation_propose(period=NOV, today=TODAY).allocations.values_list("case_id", "auditor_id")
    )
    AllocationRun.objects.all().delete()
    other = sorted(
        allocation_propose(period=NOV, today=TODAY, seed=12345).allocations.values_list(
            "case_id", "auditor_id"
        )
    )
    assert first == again
    assert first != other
    assert AllocationRun.objects.get().sample == sample


def test_a_second_run_returns_the_allocation_that_exists(authority, policy):
    """STYLE: each run of a period is a row with a unique key; the service returns it."""
    teams, members, workers = authority
    confirmed_sample(period=NOV, cases=cases_for(teams, workers, 5))
    first = allocation_propose(period=NOV, today=TODAY)
    second = allocation_propose(period=NOV, today=TODAY, seed=4)
    assert first.pk == second.pk
    assert Allocation.objects.count() == 5


def test_no_confirmed_sample_means_no_allocation(authority, policy):
    """Allocation follows the confirmed sample (SPEC §3-4)."""
    SampleFactory(period=NOV, status="draft")
    with pytest.raises(RuleViolation, match="no confirmed sample for November 2026"):
        allocation_propose(period=NOV, today=TODAY)


def test_the_policys_share_of_cases_get_two_independent_auditors(authority, policy):
    """Bury 8.1: allocations frequently paired, two or even three auditors on one case."""
    teams, members, workers = authority
    policy.paired_percent = 20
    policy.paired_auditors = 2
    policy.default_quota = 2
    policy.save()
    confirmed_sample(period=NOV, cases=cases_for(teams, workers, 10))
    run = allocation_propose(period=NOV, today=TODAY)
    per_case = Counter(run.allocations.values_list("case_id", flat=True))
    assert sorted(per_case.values()) == [1] * 8 + [2] * 2
    for case_id, n in per_case.items():
        rows = list(run.allocations.filter(case_id=case_id))
        groups = {a.pair_group for a in rows}
        assert len(groups) == 1
        assert (groups.pop() is None) == (n == 1)
        assert len({a.auditor_id for a in rows}) == n


def test_three_auditors_pair_where_the_policy_says_three(authority, policy):
    """Bury 8.1: "two or even three auditors"."""
    teams, members, workers = authority
    policy.paired_percent = 50
    policy.paired_auditors = 3
    policy.default_quota = 3
    policy.save()
    confirmed_sample(period=NOV, cases=cases_for(teams, workers, 4))
    run = allocation_propose(period=NOV, today=TODAY)
    per_case = Counter(run.allocations.values_list("case_id", flat=True))
    assert sorted(per_case.values()) == [1, 1, 3, 3]


def test_pairing_never_leaves_a_case_without_an_auditor(authority, policy):
    """Bury 6.2, 8.1: every sampled case is audited; pairs take only spare quota, and the
    shortfall is said."""
    teams, members, workers = authority
    policy.paired_percent = 50
    policy.save()
    confirmed_sample(period=NOV, cases=cases_for(teams, workers, len(members) - 2))
    run = allocation_propose(period=NOV, today=TODAY)
    per_case = Counter(run.allocations.values_list("case_id", flat=True))
    assert len(per_case) == len(members) - 2
    assert sorted(per_case.values())[-2:] == [2, 2]
    assert "leave room beyond one auditor a case for 2" in run.notes


def test_an_auditor_on_a_break_that_month_gets_no_case(authority, policy):
    """P&Q 2: an auditor on a break is not allocated an audit that month."""
    teams, members, workers = authority
    resting = members[3]
    BreakRequest.objects.create(user=resting, month=NOV)
    confirmed_sample(period=NOV, cases=cases_for(teams, workers, len(members)))
    run = allocation_propose(period=NOV, today=TODAY)
    assert resting.pk not in _loads(run)
    assert len(run.unallocated) == 1


def test_the_yearly_cap_limits_an_auditors_cases(authority, policy):
    """P&Q 2: every auditor a maximum of ten audits a year."""
    teams, members, workers = authority
    policy.yearly_cap = 10
    policy.default_quota = 2
    policy.save()
    busy, nearly = members[0], members[1]
    for month in range(1, 11):
        allocation(auditor=busy, period=dt.date(2026, month, 1))
    for month in range(1, 10):
        allocation(auditor=nearly, period=dt.date(2026, month, 1))
    pool = {u.pk: q for u, q in available_pool(period=NOV)}
    assert busy.pk not in pool
    assert pool[nearly.pk] == 1
    assert pool[members[2].pk] == 2


def test_exempted_audits_do_not_count_against_the_yearly_cap(authority, policy):
    """P&Q 2, 4: an agreed exemption is not an audit done."""
    teams, members, workers = authority
    policy.yearly_cap = 1
    policy.save()
    allocation(auditor=members[0], period=dt.date(2026, 3, 1), status=AllocationStatus.EXEMPTED)
    assert members[0].pk in {u.pk: q for u, q in available_pool(period=NOV)}


def test_a_case_no_one_may_audit_is_reported_with_the_reason(db, policy, org):
    """SPEC §4: cases that cannot be allocated are reported, never silently dropped."""
    User.objects.exclude(pk=org.auditor.pk).update(in_audit_pool=False)
    case = case_in(org.south_team)  # the auditor's own team
    confirmed_sample(period=NOV, cases=[case])
    run = allocation_propose(period=NOV, today=TODAY)
    assert run.allocations.count() == 0
    assert run.unallocated == [
        {
            "case_id": case.pk,
            "external_id": case.external_id,
            "reason": "No available pool member may audit it: 1 belongs to or is responsible "
            "for its team.",
        }
    ]


def test_a_hard_case_takes_an_auditor_from_a_case_someone_else_can_audit(db, policy, org):
    """SPEC §4: quotas met and every case placed where the rules allow it."""
    User.objects.exclude(pk__in=[org.auditor.pk, org.team_manager.pk]).update(in_audit_pool=False)
    south_case = case_in(org.south_team)  # only Tia (north) may audit it
    north_case = case_in(org.north_team)  # only Ari (south) may audit it
    other = case_in(None)  # anyone may
    confirmed_sample(period=NOV, cases=[south_case, north_case, other])
    run = allocation_propose(period=NOV, today=TODAY)
    placed = dict(run.allocations.values_list("case_id", "auditor_id"))
    assert placed[south_case.pk] == org.team_manager.pk
    assert placed[north_case.pk] == org.auditor.pk
    assert len(run.unallocated) == 1


def test_leeds_preset_gives_team_managers_their_own_teams_cases_first(db, preset):
    """Leeds 5.4: a random sample of 4 case files from their own teams."""
    preset("leeds")
    teams, members, workers = build_authority(areas=2, teams_per_area=1, prefix="L")
    User.objects.filter(in_audit_pool=True).exclude(role=Role.TEAM_MANAGER).update(
        in_audit_pool=False
    )
    cases = cases_for(teams, workers, 8)
    confirmed_sample(period=NOV, cases=cases)
    run = allocation_propose(period=NOV, today=TODAY)
    for a in run.allocations.select_related("case__team", "auditor"):
        assert a.case.team.manager_id == a.auditor_id
        assert "their own team" in a.eligibility_reason
