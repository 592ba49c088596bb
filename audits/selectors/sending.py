"""Reads for the Allocation page's months to allocate and for the page that follows a
confirmed allocation's notices going out (issue 18). A fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.models import Notice
from sampling.models import Sample, SampleKind, SampleStatus

from ..models import LIVE_STATUSES, Allocation, AllocationRun, RunStatus


def months_to_allocate(*, limit: int = 24) -> QuerySet[Sample]:
    """Every month with a confirmed monthly sample and no confirmed allocation, oldest
    first, each with its run's status (`run_status`: proposed, or None if not proposed)."""
    runs = AllocationRun.objects.filter(period=OuterRef("period"))
    return (
        Sample.objects.filter(kind=SampleKind.MONTHLY, status=SampleStatus.CONFIRMED)
        .exclude(
            period__in=AllocationRun.objects.filter(status=RunStatus.CONFIRMED).values("period")
        )
        .annotate(run_status=Subquery(runs.values("status")[:1]))
        .only("id", "period", "size", "kind")
        .order_by("period")[:limit]
    )


@dataclass
class Sending:
    """How the notices of a month's allocation stand."""

    confirmed: bool
    expected: int  # notices the confirmation sends: one a recipient a key
    created: int
    emailed: int
    auditors: int  # how many of each were told
    workers: int
    managers: int

    @property
    def finished(self) -> bool:
        return self.confirmed and self.emailed >= self.created

    @property
    def percent(self) -> int:
        if not self.confirmed:
            return 0
        total = max(self.expected, self.created)
        return 100 if total == 0 else round(100 * self.emailed / total)


def sending_progress(*, run: AllocationRun) -> Sending:
    """Who the confirmation tells (each auditor; each case's worker and team manager, as
    `allocation_confirm` does) and how many of those notices exist and have been emailed."""
    month = f"{run.period:%Y-%m}"
    rows = Allocation.objects.filter(run=run, status__in=LIVE_STATUSES).values_list(
        "case_id",
        "auditor_id",
        "auditor__is_active",
        "case__allocated_worker_id",
        "case__allocated_worker__is_active",
        "case__team__manager_id",
        "case__team__manager__is_active",
    )
    auditors: set[int] = set()
    per_case: dict[int, set[int]] = {}
    workers: set[int] = set()
    managers: set[int] = set()
    for case_id, auditor, a_on, worker, w_on, manager, m_on in rows:
        if a_on:
            auditors.add(auditor)
        told = per_case.setdefault(case_id, set())
        if worker and w_on:
            told.add(worker)
            workers.add(worker)
        if manager and m_on:
            told.add(manager)
            managers.add(manager)
    notices = list(
        Notice.objects.filter(
            Q(key__startswith=f"allocated:{month}:") | Q(key__startswith=f"case-allocated:{month}:")
        ).values_list("key", "recipient_id", "emailed_at")
    )
    told_auditors = {r for key, r, _ in notices if key.startswith("allocated:")}
    told_case = {r for key, r, _ in notices if key.startswith("case-allocated:")}
    return Sending(
        confirmed=run.status == RunStatus.CONFIRMED,
        expected=len(auditors) + sum(len(people) for people in per_case.values()),
        created=len(notices),
        emailed=sum(1 for _, _, at in notices if at is not None),
        auditors=len(told_auditors),
        workers=len(workers & told_case),
        managers=len(managers & told_case),
    )
