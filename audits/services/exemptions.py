"""Exemptions from an allocated audit (P&Q 4-5, 29-31; Hillingdon 2.17; Bury 7.2)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import working_days
from accounts.errors import RuleViolation
from accounts.models import User
from accounts.selectors import policy_get
from accounts.services import notify

from ..deadlines import audit_deadline
from ..models import (
    Allocation,
    AllocationHistory,
    AllocationStatus,
    ExemptionRequest,
    ExemptionStatus,
)
from ..selectors import exemption_approver_for, qa_staff
from .allocation import _reallocate, audit_submitted


@transaction.atomic
def exemption_request(
    *, allocation: Allocation, by: User, reason: str, today: dt.date
) -> ExemptionRequest:
    """The auditor asks to be excused an allocated audit, with a reason.

    Addressed to the approver the policy names (P&Q 4: the Assistant Director for social care
    staff, the Strategic Lead for QA staff; Hillingdon 2.17: the Principal Social Worker),
    with the auditor's line manager copied (Hillingdon 2.17). Until it is agreed the audit
    stays due (P&Q 30).
    """
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if by.pk != allocation.auditor_id:
        raise RuleViolation("Only the auditor of an audit may ask to be exempted from it.")
    if allocation.status != AllocationStatus.ALLOCATED:
        raise RuleViolation("You can ask for an exemption only from an audit allocated to you.")
    if allocation.completed_at is not None or audit_submitted(allocation):
        raise RuleViolation("This audit has been submitted: it stays yours.")
    reason = reason.strip()
    if not reason:
        raise RuleViolation("Enter why you cannot complete this audit.")
    pending = allocation.exemption_requests.filter(status=ExemptionStatus.REQUESTED).first()
    if pending is not None:
        raise RuleViolation(
            f"You have already asked; {pending.approver.full_name} has not decided yet."
        )
    approver = exemption_approver_for(auditor=by, policy=policy_get())
    if approver is None:
        raise RuleViolation(
            "The policy names no one who may agree exemptions. Ask QA staff to set it."
        )
    request = ExemptionRequest.objects.create(
        allocation=allocation, reason=reason, requested_by=by, approver=approver
    )
    notify(
        recipients=[approver, by.line_manager],
        template="exemption-requested",
        key=f"exemption:{request.pk}",
        context={"request": request, "allocation": allocation, "approver": approver},
        url=reverse("audits:exemption-decide", args=[request.pk]),
    )
    return request


@transaction.atomic
def exemption_decide(
    *,
    request: ExemptionRequest,
    by: User,
    agree: bool,
    note: str = "",
    today: dt.date,
    hand_on_draft: bool = True,
    defer: bool = False,
) -> ExemptionRequest:
    """The named approver agrees or refuses.

    Agreed: the audit is reallocated at once to another eligible auditor, who is told
    (P&Q 5, Bury 7.2); if no one has room, QA staff are told to place it. Refused: the audit
    stays due by its deadline and beyond (P&Q 30). The auditor is told either way. Once
    agreed the audit is no longer theirs: a draft they began goes to the new auditor, or is
    closed (kept, read only) as the approver chooses; a submitted audit is never exempted.
    """
    request = ExemptionRequest.objects.select_for_update().get(pk=request.pk)
    if by.pk != request.approver_id:
        raise RuleViolation("Only the person the request was sent to may decide it.")
    if ExemptionStatus.AGREED not in ExemptionRequest.TRANSITIONS[request.status]:
        raise RuleViolation(f"This request has already been {request.status}.")
    if defer:
        return _defer(request=request, by=by, note=note, today=today)
    request.status = ExemptionStatus.AGREED if agree else ExemptionStatus.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.note = note.strip()
    allocation = Allocation.objects.select_related("auditor", "case").get(pk=request.allocation_id)
    new = None
    if agree and audit_submitted(allocation):
        raise RuleViolation("The audit has been submitted since; it can no longer be exempted.")
    if agree:
        new = _reallocate(
            allocation=allocation,
            to=None,
            by=by,
            today=today,
            to_status=AllocationStatus.EXEMPTED,
            why=f"Exemption agreed by {by.full_name}",
            hand_on_draft=hand_on_draft,
        )
        request.reallocated_to = new
        if new is None:
            notify(
                recipients=qa_staff(),
                template="exemption-unplaced",
                key=f"exemption-unplaced:{request.pk}",
                context={"request": request, "allocation": allocation},
                url=reverse("audits:review", args=[f"{allocation.period:%Y-%m}"]),
            )
    request.save(update_fields=["status", "decided_by", "decided_at", "note", "reallocated_to"])
    notify(
        recipients=[allocation.auditor],
        template="exemption-decided",
        key=f"exemption-decided:{request.pk}",
        context={"request": request, "allocation": allocation, "agreed": agree},
        url=reverse("audits:allocation", args=[allocation.pk]),
    )
    return request


def _defer(*, request: ExemptionRequest, by: User, note: str, today: dt.date) -> ExemptionRequest:
    """Bury 7.2: "a deferment, dispensation or reallocation". Deferred, the audit moves to
    next month with its case and auditor, due by the policy's deadline counted from then;
    reminders and overdue notices start again. Only where the policy allows deferment."""
    policy = policy_get()
    if not policy.deferment_allowed:
        raise RuleViolation("The policy does not allow an audit to be deferred.")
    allocation = Allocation.objects.select_for_update().get(pk=request.allocation_id)
    if allocation.status != AllocationStatus.ALLOCATED or allocation.completed_at is not None:
        raise RuleViolation("Only an allocated audit not yet finished can be deferred.")
    if audit_submitted(allocation):
        raise RuleViolation("The audit has been submitted; it can no longer be deferred.")
    was = allocation.period
    period = working_days.add_months(was, 1).replace(day=1)
    start = max(today, period)
    Allocation.objects.filter(pk=allocation.pk).update(
        period=period,
        deadline=audit_deadline(policy=policy, allocated_on=start),
        reminder_sent_on=None,
        overdue_notified_on=None,
        escalated_on=None,
    )
    AllocationHistory.objects.create(
        allocation=allocation,
        from_status=allocation.status,
        to_status=allocation.status,
        by=by,
        why=f"Deferred from {was:%B %Y} to {period:%B %Y} by {by.full_name}",
    )
    request.status = ExemptionStatus.DEFERRED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "note"])
    allocation.refresh_from_db()
    notify(
        recipients=[allocation.auditor],
        template="exemption-decided",
        key=f"exemption-decided:{request.pk}",
        context={"request": request, "allocation": allocation, "agreed": False, "deferred": True},
        url=reverse("audits:allocation", args=[allocation.pk]),
    )
    return request
