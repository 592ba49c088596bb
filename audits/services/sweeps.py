"""The allocation's scheduled sweeps. Each takes `today`, does what is due as of that day,
and is safe to run twice, late, or on two workers at once: a claim (a conditional UPDATE)
comes before each notice, and each notice has a key that sends it once."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import working_days
from accounts.errors import RuleViolation
from accounts.selectors import escalation_chain, policy_get
from accounts.services import notify
from sampling.services import sampling_day

from ..deadlines import reminder_day
from ..models import Allocation, AllocationRun, AllocationStatus, RunStatus
from ..selectors import confirmed_sample, month_start, qa_staff
from .allocation import allocation_confirm, allocation_propose

logger = logging.getLogger(__name__)


def sweep_propose_allocation(*, today: dt.date) -> str:
    """On or after the sampling day, once the month's sample is confirmed, propose the
    month's allocation and tell QA staff; where the policy sends it without review, confirm
    it at once (P&Q 1, Bradford 2: by the first working day)."""
    policy = policy_get()
    period = month_start(today)
    if today < sampling_day(period=period, policy=policy):
        return "not the sampling day yet"
    run = AllocationRun.objects.filter(period=period, kind="monthly").first()
    if run is None:
        if confirmed_sample(period=period) is None:
            return f"no confirmed sample for {period:%B %Y}"
        try:
            run = allocation_propose(period=period, today=today)
        except RuleViolation as refused:
            return str(refused)
        if not policy.allocate_without_review:
            notify(
                recipients=qa_staff(),
                template="allocation-proposed",
                key=f"allocation-proposed:{period:%Y-%m}",
                context={"run": run, "count": run.allocations.count()},
                url=reverse("audits:review", args=[f"{period:%Y-%m}"]),
            )
    if policy.allocate_without_review and run.status == RunStatus.PROPOSED:
        run = allocation_confirm(run=run, by=None, today=today)
    return f"{run} is {run.get_status_display().lower()}"


def _open_allocations():
    return Allocation.objects.filter(
        status=AllocationStatus.ALLOCATED, completed_at__isnull=True, deadline__isnull=False
    ).select_related("auditor__line_manager", "case")


def sweep_allocation_reminders(*, today: dt.date) -> int:
    """Remind each auditor the policy's lead before the deadline, their line manager copied
    (Bradford 2: a week before). Once per allocation; a late run still reminds until the
    deadline passes. Returns how many reminders this run sent."""
    policy = policy_get()
    horizon = working_days.add(today, policy.reminder_lead_working_days, policy.closures)
    due = _open_allocations().filter(
        reminder_sent_on__isnull=True, deadline__gte=today, deadline__lte=horizon
    )
    sent = 0
    for allocation in due.order_by("pk"):
        if reminder_day(policy=policy, deadline=allocation.deadline) > today:
            continue
        with transaction.atomic():
            claimed = Allocation.objects.filter(
                pk=allocation.pk, reminder_sent_on__isnull=True
            ).update(reminder_sent_on=today)
            if not claimed:
                continue
            notify(
                recipients=[allocation.auditor, allocation.auditor.line_manager],
                template="allocation-reminder",
                key=f"allocation-reminder:{allocation.pk}",
                context={"allocation": allocation},
                url=reverse("audits:allocation", args=[allocation.pk]),
            )
        sent += 1
    return sent


def _late_months(*, auditor_ids: set[int], today: dt.date) -> set[tuple[int, dt.date]]:
    """(auditor, month) pairs in which the auditor had an audit not done by its deadline."""
    late = set()
    rows = Allocation.objects.filter(
        auditor_id__in=auditor_ids,
        status=AllocationStatus.ALLOCATED,
        deadline__lt=today,
    ).values_list("auditor_id", "period", "deadline", "completed_at")
    for auditor_id, period, deadline, completed_at in rows:
        if completed_at is None or timezone.localdate(completed_at) > deadline:
            late.add((auditor_id, period))
    return late


def _months_in_a_row(late: set[tuple[int, dt.date]], auditor_id: int, period: dt.date) -> int:
    n, month = 0, period
    while (auditor_id, month) in late:
        n += 1
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return n


def sweep_overdue_allocations(*, today: dt.date) -> dict[str, int]:
    """Tell the auditor and their line manager of each audit past its deadline (Hillingdon
    2.16); an auditor overdue the policy's number of months in a row is escalated to the
    next tier of line management (their line manager's manager; QA staff if there is none).
    The audit stays due (P&Q 30). Each notice once, whatever runs twice."""
    policy = policy_get()
    overdue = list(_open_allocations().filter(deadline__lt=today).order_by("pk"))
    told = escalated = 0
    for allocation in overdue:
        if allocation.overdue_notified_on is not None:
            continue
        with transaction.atomic():
            claimed = Allocation.objects.filter(
                pk=allocation.pk, overdue_notified_on__isnull=True
            ).update(overdue_notified_on=today)
            if not claimed:
                continue
            notify(
                recipients=[allocation.auditor, allocation.auditor.line_manager],
                template="allocation-overdue",
                key=f"allocation-overdue:{allocation.pk}",
                context={"allocation": allocation},
                url=reverse("audits:allocation", args=[allocation.pk]),
            )
        told += 1

    waiting = [a for a in overdue if a.escalated_on is None]
    if not waiting or not policy.overdue_escalation_months:
        return {"overdue_told": told, "escalated": escalated}
    late = _late_months(auditor_ids={a.auditor_id for a in waiting}, today=today)
    for allocation in waiting:
        months = _months_in_a_row(late, allocation.auditor_id, allocation.period)
        if months < policy.overdue_escalation_months:
            continue
        with transaction.atomic():
            claimed = Allocation.objects.filter(pk=allocation.pk, escalated_on__isnull=True).update(
                escalated_on=today
            )
            if not claimed:
                continue
            chain = escalation_chain(user=allocation.auditor, depth=2)
            next_tier = [chain[1]] if len(chain) > 1 else list(qa_staff())
            notify(
                recipients=next_tier,
                template="allocation-escalated",
                key=f"allocation-escalated:{allocation.pk}",
                context={
                    "allocation": allocation,
                    "months": months,
                    "line_manager": chain[0] if chain else None,
                },
                url=reverse("audits:allocation", args=[allocation.pk]),
            )
        escalated += 1
    return {"overdue_told": told, "escalated": escalated}
