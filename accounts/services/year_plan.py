"""The year's plan of rest months (P&Q 2-3).

P&Q 2: "Every auditor will be allocated a maximum of ten audits to complete each year.
This means that for each auditor there are two months when they will not be allocated an
audit." P&Q 3: "A maximum of 20% of auditors will be allowed to take a break from
auditing each month ... to maintain the validity of the monthly audit sample size."

Capping each member's quota at what is left of their ten lets a pool that audits one a
month from January run dry in November and December. The plan spreads the rest instead:
members' own break requests come first; then each member who still needs rest months to
stay within the yearly cap is given them in the months with fewest resting, never more
than the policy's share of the pool in a month. A rest month is a granted break marked
`assigned`, so the pool of each month (`available_pool`) and the sample's size follow it,
and every month of the year gets a sample of similar size.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .. import working_days
from ..models import BreakRequest, BreakStatus, Policy, User
from ..selectors import audits_earlier_in_year, pool_members
from .notices import notify

ASSIGNED_REASON = "Rest month from the year plan (P&Q 2-3)"


def _sampling_day(policy: Policy, month: dt.date) -> dt.date:
    first = working_days.first_working_day(month.year, month.month, policy.closures)
    return working_days.add(first, max(0, policy.sampling_working_day - 1), policy.closures)


def plannable_months(*, policy: Policy, today: dt.date) -> list[dt.date]:
    """The months of today's year whose pool is not yet fixed: this month until its
    sampling day, and every month after it."""
    this = today.replace(day=1)
    first = this if today <= _sampling_day(policy, this) else None
    months = [dt.date(today.year, m, 1) for m in range(today.month + 1, 13)]
    return ([first] if first else []) + months


def rest_months_needed(*, quota: int, cap: int, used: int, months_left: int, booked: int) -> int:
    """How many more of the months left a member must rest to stay within the yearly cap
    at their quota: the months they cannot fill, less the rests already booked."""
    audit_months = math.ceil(max(cap - used, 0) / quota) if quota else months_left
    return max(months_left - audit_months - booked, 0)


@transaction.atomic
def year_plan_assign(*, today: dt.date) -> list[BreakRequest]:
    """Give rest months to the members who need them, in the months left of today's year.

    Only where the policy caps a year's audits (P&Q 2). Members' own requests already stand;
    each rest goes to the plannable month with fewest on break that is under the policy's
    limit (P&Q 3), ties broken by a random order seeded on the year, so the same pool gets
    the same plan. Running it twice assigns nothing more. Each member is told their rest
    months. Returns the rests assigned now.
    """
    policy, _ = Policy.objects.select_for_update().get_or_create(id=1)
    if policy.yearly_cap is None:
        return []
    months = plannable_months(policy=policy, today=today)
    if not months:
        return []
    members = list(pool_members().order_by("pk"))
    limit = policy.break_limit(len(members))
    used = audits_earlier_in_year(period=months[0], user_ids=[m.pk for m in members])
    granted = BreakRequest.objects.filter(status=BreakStatus.GRANTED, month__in=months)
    load: Counter[dt.date] = Counter()
    resting: dict[int, set[dt.date]] = defaultdict(set)
    for user_id, month in granted.values_list("user_id", "month"):
        load[month] += 1
        resting[user_id].add(month)
    rng = random.Random(today.year)
    order = members[:]
    rng.shuffle(order)
    tie = {m: rng.random() for m in months}
    needs = {
        m.pk: rest_months_needed(
            quota=policy.quota_for(m.role),
            cap=policy.yearly_cap,
            used=used.get(m.pk, 0),
            months_left=len(months),
            booked=len(resting[m.pk]),
        )
        for m in members
    }
    made: list[BreakRequest] = []
    # One rest at a time round the members, so that when the limit leaves too little room
    # the shortfall is shared rather than falling on the last members.
    while any(needs.values()):
        placed = False
        for member in order:
            if not needs[member.pk]:
                continue
            free = [m for m in months if m not in resting[member.pk] and load[m] < limit]
            if not free:
                needs[member.pk] = 0
                continue
            month = min(free, key=lambda m: (load[m], tie[m]))
            made.append(
                BreakRequest(user=member, month=month, reason=ASSIGNED_REASON, assigned=True)
            )
            load[month] += 1
            resting[member.pk].add(month)
            needs[member.pk] -= 1
            placed = True
        if not placed:
            break
    made = BreakRequest.objects.bulk_create(made)
    by_member: dict[int, list[BreakRequest]] = defaultdict(list)
    for rest in made:
        by_member[rest.user_id].append(rest)
    for rests in by_member.values():
        rests.sort(key=lambda r: r.month)
        notify(
            recipients=[rests[0].user],
            template="rest-months-assigned",
            key=f"rest-assigned:{rests[0].user_id}:" + ",".join(f"{r.pk}" for r in rests),
            context={"rests": rests, "year": today.year},
            url=reverse("accounts:breaks"),
        )
    return made


def sweep_year_plan(*, today: dt.date) -> int:
    """Daily, before the month's sample is drafted: assign the rest months still needed."""
    return len(year_plan_assign(today=today))


def year_plan_make_room(*, user: User, month: dt.date, policy: Policy, today: dt.date) -> None:
    """A member's own request comes before the plan (P&Q 2): make room for it by
    withdrawing an assigned rest: their own latest one in another month not begun when
    their yearly allowance is used up, and someone else's in the month asked for when it is
    at the pool's limit (the plan gives that member another month on its next run)."""
    assigned = BreakRequest.objects.filter(status=BreakStatus.GRANTED, assigned=True)
    if policy.yearly_break_months is not None:
        taken = BreakRequest.objects.filter(
            user=user, status=BreakStatus.GRANTED, month__year=month.year
        ).count()
        if taken >= policy.yearly_break_months:
            own = (
                assigned.filter(user=user, month__year=month.year, month__gt=today)
                .exclude(month=month)
                .order_by("-month")
                .first()
            )
            if own is not None:
                _withdraw(own)
    size = pool_members().count()
    on_break = BreakRequest.objects.filter(month=month, status=BreakStatus.GRANTED).count()
    if on_break >= policy.break_limit(size):
        other = assigned.filter(month=month).exclude(user=user).order_by("-pk").first()
        if other is not None:
            _withdraw(other)


def _withdraw(rest: BreakRequest) -> None:
    rest.status = BreakStatus.WITHDRAWN
    rest.withdrawn_at = timezone.now()
    rest.save(update_fields=["status", "withdrawn_at"])
