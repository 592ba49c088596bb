"""Who may audit which case: the seeds' rules about people, each with its policy switch
(SPEC §3-4)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role, User
from audits.eligibility import Refusal, Rules, refusal
from audits.selectors import auditor_facts, case_facts
from audits.services import allocation_propose

from ..accounts.factories import TeamFactory
from .factories import case_in, confirmed_sample

NOV = dt.date(2026, 11, 1)


def _check(auditor: User, case, *, own_team=(), other_area=()) -> Refusal | None:
    auditor = User.objects.select_related("team__service_area", "service_area").get(pk=auditor.pk)
    facts = auditor_facts([auditor])[auditor.pk]
    rules = Rules(own_team_roles=frozenset(own_team), other_area_roles=frozenset(other_area))
    return refusal(facts, case_facts(case_ids=[case.pk])[case.pk], rules)


def test_an_auditor_never_gets_a_case_from_the_team_they_belong_to(org):
    """Hillingdon 2.1: not allocated to auditors whose team had involvement in the case."""
    case = case_in(org.south_team)
    assert _check(org.auditor, case) is Refusal.OWN_TEAM
    assert _check(org.auditor, case_in(org.north_team)) is None


def test_a_team_manager_never_gets_a_case_from_the_team_they_manage(org):
    """Bradford 2: managers audit cases from teams they are not directly responsible for."""
    assert _check(org.team_manager, case_in(org.north_team)) is Refusal.OWN_TEAM
    assert _check(org.team_manager, case_in(org.south_team)) is None


def test_a_service_manager_never_gets_a_case_from_a_team_whose_manager_reports_to_them(org):
    """Bradford 2: service managers audit cases from teams they are not directly
    responsible for; the team manager of North Family Support reports to Sid."""
    assert _check(org.service_manager, case_in(org.north_team)) is Refusal.OWN_TEAM
    assert _check(org.service_manager, case_in(org.south_team)) is None


def test_an_auditor_never_gets_a_case_whose_allocated_worker_they_line_manage(org):
    """Hillingdon 2.1, Bradford 2: a line manager is directly responsible for the work."""
    other_team = TeamFactory(name="Elsewhere", service_area=org.south)
    case = case_in(other_team, worker=org.social_worker)  # Sky reports to Tia
    assert _check(org.team_manager, case) is Refusal.LINE_MANAGER


def test_an_auditor_never_audits_a_case_they_hold(org):
    """An auditor cannot audit their own work (Hillingdon 2.1)."""
    other_team = TeamFactory(name="Elsewhere", service_area=org.south)
    assert _check(org.auditor, case_in(other_team, worker=org.auditor)) is Refusal.HOLDS_CASE


def test_a_team_manager_audits_their_own_team_where_the_policy_says_so(org):
    """Leeds 5.4: team managers audit case files from their own teams."""
    case = case_in(org.north_team, worker=org.social_worker)
    assert _check(org.team_manager, case, own_team=[Role.TEAM_MANAGER]) is None


def test_a_head_of_service_audits_only_another_area_where_the_policy_says_so(org):
    """Leeds 5.2-5.3: heads of service and SDMs audit files from a different area."""
    north_case = case_in(TeamFactory(name="North Assessment", service_area=org.north))
    south_case = case_in(org.south_team)
    head = org.strategic_lead  # head of service for North
    assert _check(head, north_case) is None
    assert _check(head, north_case, other_area=[Role.HEAD_OF_SERVICE]) is Refusal.SAME_AREA
    assert _check(head, south_case, other_area=[Role.HEAD_OF_SERVICE]) is None


def test_the_reason_recorded_says_why_the_auditor_was_eligible(org, policy):
    """SPEC §4: each allocation records why that auditor was eligible."""
    User.objects.filter(in_audit_pool=True).exclude(pk=org.team_manager.pk).update(
        in_audit_pool=False
    )
    case = case_in(org.south_team)
    confirmed_sample(period=NOV, cases=[case])
    run = allocation_propose(period=NOV, today=dt.date(2026, 11, 2))
    (allocation,) = run.allocations.all()
    assert allocation.auditor == org.team_manager
    assert allocation.eligibility_reason == (
        "Team Manager, North Family Support; case from South Children in Care (South): "
        "another team, another service area; not the worker's line manager"
    )


@pytest.mark.parametrize(
    ("own_team_roles", "expected"),
    [([], "nobody"), ([Role.TEAM_MANAGER], "tm")],
)
def test_the_own_team_switch_decides_whether_a_team_manager_gets_their_teams_case(
    org, policy, own_team_roles, expected
):
    """Leeds 5.4 (team managers audit their own team) against Bradford 2 (never)."""
    User.objects.filter(in_audit_pool=True).exclude(pk=org.team_manager.pk).update(
        in_audit_pool=False
    )
    policy.own_team_roles = own_team_roles
    policy.save()
    case = case_in(org.north_team)
    confirmed_sample(period=NOV, cases=[case])
    run = allocation_propose(period=NOV, today=dt.date(2026, 11, 2))
    auditors = [a.auditor for a in run.allocations.all()]
    if expected == "tm":
        assert auditors == [org.team_manager]
        assert not run.unallocated
    else:
        assert auditors == []
        assert run.unallocated[0]["reason"].startswith("No available pool member may audit it")
        assert "belongs to or is responsible for its team" in run.unallocated[0]["reason"]
