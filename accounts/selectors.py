"""Reads of the accounts app that pages, services and other apps need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from .compiled import prepared_cursor, rows_for_person
from .models import (
    AccessRecord,
    BreakRequest,
    BreakStatus,
    Notice,
    Policy,
    Role,
    ServiceArea,
    Team,
    User,
)

# Counts of audits each person was given in a year before a given month. Allocations live
# in a later app (audits), which registers its counter here when it loads, so that this app
# can apply the yearly cap without importing it.
YearlyUsage = Callable[[dt.date, Collection[int]], dict[int, int]]
_yearly_usage_counters: list[YearlyUsage] = []


def register_yearly_usage(counter: YearlyUsage) -> None:
    if counter not in _yearly_usage_counters:
        _yearly_usage_counters.append(counter)


def audits_earlier_in_year(*, period: dt.date, user_ids: Collection[int]) -> dict[int, int]:
    """How many audits each person was given in the period's year before the period."""
    totals: dict[int, int] = {}
    for counter in _yearly_usage_counters:
        for user_id, n in counter(period, user_ids).items():
            totals[user_id] = totals.get(user_id, 0) + n
    return totals


def pool_members() -> QuerySet[User]:
    return User.objects.filter(in_audit_pool=True, is_active=True)


def available_pool(
    *, period: dt.date, names_only: bool = False, annotate: dict | None = None
) -> list[tuple[User, int]]:
    """The pool members who audit in a month, each with how many audits they take.

    Active pool members not on a granted break that month (P&Q 2-3); each takes the monthly
    quota of their role (Leeds 5, Bradford 2, Bury 5.2), never more than the yearly cap
    leaves them (P&Q 2). Members with nothing left are left out. Ordered by name.
    `names_only`: each person's name and role only, for a page that lists them (a fifth
    of the time of reading their teams and managers with them). `annotate`: expressions
    for each member read in the same query (a page's counts of them, from another app).
    """
    period = period.replace(day=1)
    policy = policy_get()
    on_break = BreakRequest.objects.filter(month=period, status=BreakStatus.GRANTED)
    members = pool_members().exclude(pk__in=on_break.values("user_id"))
    if names_only:
        members = members.only("full_name", "role")
    else:
        members = members.select_related("team__service_area", "service_area", "line_manager")
    if annotate:
        members = members.annotate(**annotate)
    members = list(members.order_by("full_name", "pk"))
    used = (
        audits_earlier_in_year(period=period, user_ids=[m.pk for m in members])
        if policy.yearly_cap is not None
        else {}
    )
    pool = []
    for member in members:
        quota = policy.quota_for(member.role)
        if policy.yearly_cap is not None:
            quota = min(quota, max(policy.yearly_cap - used.get(member.pk, 0), 0))
        if quota > 0:
            pool.append((member, quota))
    return pool


def months_ahead(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of the `count` months after today's."""
    months, day = [], today.replace(day=1)
    for _ in range(count):
        day = (day + dt.timedelta(days=32)).replace(day=1)
        months.append(day)
    return months


@dataclass(frozen=True)
class BreakMonth:
    """One month's breaks against its limit (P&Q 3), for QA staff and heads of service."""

    month: dt.date
    pool_size: int
    limit: int
    on_break: int
    requests: list[BreakRequest]

    @property
    def at_limit(self) -> bool:
        return self.on_break >= self.limit


def break_months(
    *,
    viewer: User,
    months: list[dt.date],
    policy: Policy | None = None,
    pool_size: int | None = None,
    with_requests: bool = True,
) -> list[BreakMonth]:
    """The breaks in each month that the viewer may see, with the whole pool's count.

    QA staff see every request; a head of service sees those of staff in their areas.
    A page that has read the policy or counted the pool passes them in; one that shows
    only the numbers (the home page) asks `with_requests=False`.
    """
    policy = policy or policy_get()
    if pool_size is None:
        pool_size = pool_members().count()
    granted = BreakRequest.objects.filter(month__in=months, status=BreakStatus.GRANTED)
    counts = dict(granted.values_list("month").annotate(n=Count("id")).values_list("month", "n"))
    by_month: dict[dt.date, list[BreakRequest]] = {m: [] for m in months}
    visible = granted.select_related("user__team__service_area", "user__service_area")
    if with_requests and not viewer.has_perm("accounts.manage_allocation"):
        areas = list(
            ServiceArea.objects.filter(head_of_service=viewer).values_list("id", flat=True)
        )
        visible = visible.filter(
            Q(user__team__service_area_id__in=areas) | Q(user__service_area_id__in=areas)
        )
    for request in visible.order_by("month", "user__full_name") if with_requests else ():
        by_month[request.month].append(request)
    return [
        BreakMonth(
            month=m,
            pool_size=pool_size,
            limit=policy.break_limit(pool_size),
            on_break=counts.get(m, 0),
            requests=by_month[m],
        )
        for m in months
    ]


@dataclass(frozen=True)
class PlanMonth:
    """One month of the year's plan (P&Q 2-3): who rests, and the audits it expects."""

    month: dt.date
    pool_size: int
    limit: int
    requested: list[str]
    assigned: list[str]
    audits: int

    @property
    def resting(self) -> int:
        return len(self.requested) + len(self.assigned)


def year_plan(*, year: int) -> list[PlanMonth]:
    """The year's plan month by month: members resting at their own request and by the
    plan, against the policy's limit, and the audits the month's pool expects to do (the
    sample's size). Three queries whatever the size of the pool."""
    policy = policy_get()
    members = list(pool_members().values_list("pk", "full_name", "role"))
    quota = {pk: policy.quota_for(role) for pk, _name, role in members}
    rests = BreakRequest.objects.filter(
        status=BreakStatus.GRANTED, month__year=year, user__in=list(quota)
    ).values_list("month", "user_id", "user__full_name", "assigned")
    by_month: dict[dt.date, list[tuple[int, str, bool]]] = {}
    for month, user_id, name, assigned in rests.order_by("month", "user__full_name"):
        by_month.setdefault(month, []).append((user_id, name, assigned))
    months = []
    for m in range(1, 13):
        month = dt.date(year, m, 1)
        resting = by_month.get(month, [])
        off = {user_id for user_id, _n, _a in resting}
        months.append(
            PlanMonth(
                month=month,
                pool_size=len(members),
                limit=policy.break_limit(len(members)),
                requested=[name for _u, name, assigned in resting if not assigned],
                assigned=[name for _u, name, assigned in resting if assigned],
                audits=sum(q for pk, q in quota.items() if pk not in off),
            )
        )
    return months


def breaks_of(*, user: User) -> QuerySet[BreakRequest]:
    return BreakRequest.objects.filter(user=user).order_by("-month")


def may_see_break_requests(user: User) -> bool:
    """QA staff and heads of service see break requests (P&Q 2-3)."""
    return user.has_perm("accounts.manage_allocation") or user.role == Role.HEAD_OF_SERVICE


def policy_get() -> Policy:
    """The authority's policy, created with defaults on first use."""
    policy, _ = Policy.objects.get_or_create(id=1)
    return policy


def authority_name() -> str:
    """The authority's name as its policy gives it; the AUTHORITY_NAME setting while the
    policy still carries the demo default (or there is no policy yet). One query."""
    name = Policy.objects.filter(pk=1).values_list("authority_name", flat=True).first()
    default = Policy._meta.get_field("authority_name").default
    return name if name and name != default else settings.AUTHORITY_NAME


def header_facts(*, user: User | None) -> tuple[str, int]:
    """What every page's header shows: the authority's name (as `authority_name`) and the
    person's unread notices, in one query of two scalar subqueries (the policy's name, or
    NULL before there is a policy; the count). Every page runs it, so its SQL is written
    once a process (`_header_sql`) rather than built by the ORM each request, and prepared
    (`accounts.compiled.prepared_cursor`)."""

    signed_in = user is not None and user.is_authenticated
    with prepared_cursor() as cursor:
        cursor.execute(_header_sql(signed_in), [user.pk] if signed_in else [])
        name, unread = cursor.fetchone()
    default = Policy._meta.get_field("authority_name").default
    return (name if name and name != default else settings.AUTHORITY_NAME), unread


@cache
def _header_sql(signed_in: bool) -> str:
    from django.db import connection

    def q(model, field: str | None = None) -> str:
        name = model._meta.db_table if field is None else model._meta.get_field(field).column
        return connection.ops.quote_name(name)

    name = f"SELECT {q(Policy, 'authority_name')} FROM {q(Policy)} WHERE {q(Policy, 'id')} = 1"
    unread = (
        f"SELECT COUNT(*) FROM {q(Notice)} WHERE {q(Notice, 'recipient')} = %s "
        f"AND {q(Notice, 'read_at')} IS NULL"
        if signed_in
        else "SELECT 0"
    )
    return f"SELECT ({name}), ({unread})"


def notices_for(*, user: User, limit: int = 20) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user).order_by("-created_at")[:limit]


def newest_notices(*, user: User) -> list[tuple]:
    """The person's five newest notices as (id, subject, sent) rows, for the home page:
    its SQL built once a process (`accounts.compiled`)."""
    return rows_for_person(_newest_notices, user.pk)


def _newest_notices(person_id: int) -> QuerySet:
    return (
        Notice.objects.filter(recipient_id=person_id)
        .order_by("-created_at")
        .values_list("pk", "subject", "created_at")[:5]
    )


def unread_notice_count(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def teams_with_counts() -> QuerySet[Team]:
    return (
        Team.objects.select_related("service_area", "manager")
        .annotate(member_count=Count("members"))
        .order_by("service_area__name", "name")
    )


def escalation_chain(*, user: User, depth: int = 5) -> list[User]:
    """The person's line manager, their line manager, and so on up (Hillingdon 2.16)."""
    chain: list[User] = []
    seen = {user.pk}
    current = user
    while len(chain) < depth and current.line_manager_id and current.line_manager_id not in seen:
        current = User.objects.select_related("line_manager").get(pk=current.line_manager_id)
        chain.append(current)
        seen.add(current.pk)
    return chain


def policy_summary(*, policy: Policy) -> dict:
    """The policy's lists in words, for its summary page."""
    from .models import Role, Stratum

    def labels(values: list[str], choices) -> str:
        names = dict(choices.choices)
        return ", ".join(str(names.get(v, v)) for v in values)

    return {
        "policy": policy,
        "strata_labels": labels(policy.strata, Stratum),
        "own_team_labels": labels(policy.own_team_roles, Role),
        "own_team_only_labels": labels(policy.own_team_only_roles, Role),
        "other_area_labels": labels(policy.other_area_roles, Role),
        "exemption_approver_labels": labels(policy.exemption_approver_roles, Role),
        "quota_rows": [(Role(r).label, n) for r, n in policy.quotas.items() if r in Role.values],
        "closure_dates": sorted(policy.closures),
    }


def organisation_overview() -> dict:
    """Service areas and teams with their managers and head counts, in a fixed number of
    queries whatever the size of the authority."""
    areas = list(
        ServiceArea.objects.select_related("head_of_service", "strategic_lead")
        .annotate(
            team_count=Count("teams", distinct=True),
            staff_count=Count(
                "teams__members", filter=Q(teams__members__is_active=True), distinct=True
            ),
        )
        .order_by("name")
    )
    teams = list(
        Team.objects.select_related("service_area", "manager")
        .annotate(
            member_count=Count("members", filter=Q(members__is_active=True)),
            pool_count=Count(
                "members", filter=Q(members__is_active=True, members__in_audit_pool=True)
            ),
        )
        .order_by("service_area__name", "name")
    )
    return {"areas": areas, "teams": teams, "pool_size": pool_members().count()}


# Roles senior enough to be named a service area's strategic lead.
LEAD_ROLES = (
    Role.STRATEGIC_DIRECTOR,
    Role.ASSISTANT_DIRECTOR,
    Role.HEAD_OF_SERVICE,
    Role.SERVICE_MANAGER,
    Role.GROUP_MANAGER,
    Role.PRINCIPAL_SOCIAL_WORKER,
)


def strategic_lead_candidates() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=LEAD_ROLES).order_by("full_name")


def access_records(
    *, person: User | None, start: dt.date, end: dt.date, limit: int = 1000
) -> list[AccessRecord]:
    """Access log records from `start` to `end` (whole days, London time), of one person or
    everyone, newest first; one query whatever the data size."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    records = AccessRecord.objects.filter(
        at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )
    if person is not None:
        records = records.filter(user=person)
    return list(records.select_related("user")[:limit])
