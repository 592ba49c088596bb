"""Synthetic cases, confirmed samples and allocations for the allocation tests."""

from __future__ import annotations

import datetime as dt

import factory

from accounts.models import Role, Team
from audits.models import Allocation, AllocationRun, AllocationStatus
from sampling.models import Case, CaseType, Sample, SampleCase, SampleKind, SampleStatus
from tests.accounts.factories import UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    external_id = factory.Sequence(lambda n: f"C{n:06d}")
    case_type = CaseType.CIN


class SampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sample

    kind = SampleKind.MONTHLY
    period = dt.date(2026, 11, 1)
    status = SampleStatus.CONFIRMED
    seed = 20261101


def confirmed_sample(*, period: dt.date, cases: list[Case], seed: int = 7) -> Sample:
    sample = SampleFactory(period=period, seed=seed, size=len(cases))
    SampleCase.objects.bulk_create(
        [SampleCase(sample=sample, case=c, stratum="all", weight=1.0) for c in cases]
    )
    return sample


def case_in(team: Team, *, worker=None, **kwargs) -> Case:
    return CaseFactory(team=team, allocated_worker=worker, **kwargs)


def pool_member(*, role: str = Role.ADVANCED_PRACTITIONER, **kwargs):
    return UserFactory(role=role, in_audit_pool=True, **kwargs)


def allocation(
    *,
    auditor,
    case: Case | None = None,
    period: dt.date = dt.date(2026, 11, 1),
    status: str = AllocationStatus.ALLOCATED,
    deadline: dt.date | None = dt.date(2026, 11, 30),
    allocated_on: dt.date | None = dt.date(2026, 11, 2),
    **kwargs,
) -> Allocation:
    """An allocation made directly, for tests of what happens after allocation."""
    case = case or CaseFactory()
    run = AllocationRun.objects.filter(period=period).first()
    if run is None:
        sample = SampleFactory(period=period)
        run = AllocationRun.objects.create(period=period, sample=sample, seed=1, status="confirmed")
    SampleCase.objects.get_or_create(sample=run.sample, case=case)
    return Allocation.objects.create(
        run=run,
        sample=run.sample,
        case=case,
        auditor=auditor,
        period=period,
        status=status,
        deadline=deadline,
        allocated_on=allocated_on,
        eligibility_reason="test",
        **kwargs,
    )


def build_authority(*, areas: int = 3, teams_per_area: int = 2, prefix: str = "A"):
    """Service areas with teams; each team a manager and an advanced practitioner in the
    pool and two social workers; each area a head of service and a service manager in the
    pool who manages the teams' managers. Returns (teams, pool members, workers)."""
    from tests.accounts.factories import ServiceAreaFactory

    teams, members, workers = [], [], []
    for a in range(areas):
        area = ServiceAreaFactory(name=f"{prefix} area {a}")
        head = pool_member(
            role=Role.HEAD_OF_SERVICE,
            service_area=area,
            email=f"{prefix}hos{a}@example.test".lower(),
            full_name=f"{prefix} Head {a}",
        )
        area.head_of_service = head
        area.save()
        manager = pool_member(
            role=Role.SERVICE_MANAGER,
            service_area=area,
            line_manager=head,
            email=f"{prefix}sm{a}@example.test".lower(),
            full_name=f"{prefix} Service Manager {a}",
        )
        members += [head, manager]
        for t in range(teams_per_area):
            team = Team.objects.create(name=f"{prefix} team {a}.{t}", service_area=area)
            tm = pool_member(
                role=Role.TEAM_MANAGER,
                team=team,
                line_manager=manager,
                email=f"{prefix}tm{a}{t}@example.test".lower(),
                full_name=f"{prefix} Team Manager {a}.{t}",
            )
            team.manager = tm
            team.save()
            ap = pool_member(
                team=team,
                line_manager=tm,
                email=f"{prefix}ap{a}{t}@example.test".lower(),
                full_name=f"{prefix} Practitioner {a}.{t}",
            )
            members += [tm, ap]
            for w in range(2):
                workers.append(
                    UserFactory(
                        team=team,
                        line_manager=tm,
                        email=f"{prefix}sw{a}{t}{w}@example.test".lower(),
                        full_name=f"{prefix} Worker {a}.{t}.{w}",
                    )
                )
            teams.append(team)
    return teams, members, workers


def cases_for(teams, workers, n: int) -> list[Case]:
    """n cases spread over the teams, each held by one of its team's workers."""
    cases = []
    for i in range(n):
        team = teams[i % len(teams)]
        team_workers = [w for w in workers if w.team_id == team.pk]
        cases.append(case_in(team, worker=team_workers[i % len(team_workers)]))
    return cases
