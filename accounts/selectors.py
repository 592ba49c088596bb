"""Reads of the accounts app that pages, services and other apps need."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Notice, Policy, Team, User


def policy_get() -> Policy:
    """The authority's policy, created with defaults on first use."""
    policy, _ = Policy.objects.get_or_create(id=1)
    return policy


def notices_for(*, user: User, limit: int = 20) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user).order_by("-created_at")[:limit]


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
        "other_area_labels": labels(policy.other_area_roles, Role),
        "quota_rows": [(Role(r).label, n) for r, n in policy.quotas.items() if r in Role.values],
        "closure_dates": sorted(policy.closures),
    }
