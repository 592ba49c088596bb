"""Breaks from auditing: a pool member's month off (P&Q 2-3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..errors import RuleViolation
from ..models import BreakRequest, BreakStatus, Persona, Policy, Role, User
from .notices import notify
from .year_plan import year_plan_make_room


def _month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"


def _pool_size() -> int:
    return User.objects.filter(in_audit_pool=True, is_active=True).count()


@transaction.atomic
def break_request(*, user: User, month: dt.date, reason: str = "", today: dt.date) -> BreakRequest:
    """Give a pool member a month off auditing, or refuse with the reason.

    P&Q 2: asked for before the previous month ends, at most the policy's number of months
    a year (ten audits a year leaves two months off). P&Q 3: at most the policy's share of
    the pool (20%) on break in any month. The auditor's head of service and QA staff are
    told; when the month reaches its limit, QA staff and the heads of service are told too.
    A member's own request comes before the year plan's assigned rest months, which make
    room for it (accounts/services/year_plan.py).
    """
    month = month.replace(day=1)
    if not (user.is_active and user.in_audit_pool):
        raise RuleViolation("Only members of the audit pool take breaks from auditing.")
    if today >= month:
        raise RuleViolation(
            f"A break must be asked for before {_month_label(month)} begins (P&Q 2). "
            "Ask for an exemption from an audit you have been allocated instead."
        )
    # The policy row is the lock that lets two requests for the last place in a month
    # be decided one after the other.
    policy, _ = Policy.objects.select_for_update().get_or_create(id=1)
    granted = BreakRequest.objects.filter(user=user, status=BreakStatus.GRANTED)
    mine = granted.filter(month=month).first()
    if mine is not None and mine.assigned:
        # The year plan rests them that month already: it becomes their own request.
        mine.assigned = False
        mine.reason = reason.strip()
        mine.save(update_fields=["assigned", "reason"])
        return mine
    if mine is not None:
        raise RuleViolation(f"You already have a break in {_month_label(month)}.")
    year_plan_make_room(user=user, month=month, policy=policy, today=today)
    if policy.yearly_break_months is not None:
        taken = sorted(granted.filter(month__year=month.year).values_list("month", flat=True))
        if len(taken) >= policy.yearly_break_months:
            months = ", ".join(f"{m:%B}" for m in taken) or "none"
            raise RuleViolation(
                f"The policy allows {policy.yearly_break_months} month"
                f"{'s' if policy.yearly_break_months != 1 else ''}' break a year and you "
                f"already have {len(taken)} in {month.year} ({months})."
            )
    pool_size = _pool_size()
    limit = policy.break_limit(pool_size)
    on_break = BreakRequest.objects.filter(month=month, status=BreakStatus.GRANTED).count()
    if on_break >= limit:
        raise RuleViolation(
            f"At most {policy.max_break_percent}% of the audit pool may be on break in a month: "
            f"{limit} of {pool_size} auditors, and {on_break} already "
            f"{'is' if on_break == 1 else 'are'} on break in {_month_label(month)} (P&Q 3). "
            "Choose another month."
        )
    request = BreakRequest.objects.create(user=user, month=month, reason=reason.strip())
    qa_staff = list(User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True))
    area = user.area
    head = area.head_of_service if area else None
    context = {
        "auditor": user,
        "month": month,
        "reason": request.reason,
        "on_break": on_break + 1,
        "limit": limit,
        "pool_size": pool_size,
    }
    notify(
        recipients=[head, *qa_staff],
        template="break-requested",
        key=f"break:{request.id}",
        context=context,
        url=reverse("accounts:break-requests"),
    )
    if on_break + 1 >= limit:
        heads = User.objects.filter(role=Role.HEAD_OF_SERVICE, is_active=True)
        notify(
            recipients=[*qa_staff, *heads],
            template="break-limit-reached",
            key=f"break-limit:{month.isoformat()}",
            context=context,
            url=reverse("accounts:break-requests"),
        )
    return request


@transaction.atomic
def break_withdraw(*, request: BreakRequest, by: User, today: dt.date) -> BreakRequest:
    """Withdraw a break before its month begins, by the auditor or QA staff."""
    request = BreakRequest.objects.select_for_update().get(pk=request.pk)
    if by.pk != request.user_id and not by.has_perm("accounts.manage_allocation"):
        raise RuleViolation("Only the auditor or QA staff may withdraw a break.")
    if BreakStatus.WITHDRAWN not in BreakRequest.TRANSITIONS[request.status]:
        raise RuleViolation("This break has already been withdrawn.")
    if today >= request.month:
        raise RuleViolation(
            f"{_month_label(request.month)} has begun: the month's audits are allocated."
        )
    request.status = BreakStatus.WITHDRAWN
    request.withdrawn_at = timezone.now()
    request.withdrawn_by = by
    request.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
    return request
