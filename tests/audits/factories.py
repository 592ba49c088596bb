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
