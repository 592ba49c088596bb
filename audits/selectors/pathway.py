"""Reads for the inadequate pathway (P&Q 25-26): who may record its meeting and review,
and the pathways still open that a person may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User

from ..models import Allocation, InadequatePathway, PathwayStatus


def _is_qa(user: User) -> bool:
    return user.has_perm("accounts.quality_assure")


def _group_manager_q(user: User) -> Q:
    """The pathways of cases whose team manager this person line-manages (P&Q 25: the
    group manager), or, from the second cycle, whose service they head."""
    return Q(case__team__manager__line_manager=user) | Q(
        head_of_service_involved=True, case__team__service_area__head_of_service=user
    )


def may_record_pathway(*, user: User, pathway: InadequatePathway) -> bool:
    """QA staff, and the case's group manager (or head of service once involved)."""
    if _is_qa(user):
        return True
    return InadequatePathway.objects.filter(pk=pathway.pk).filter(_group_manager_q(user)).exists()


def pathways_for(*, user: User, open_only: bool = True) -> QuerySet[InadequatePathway]:
    """Every pathway QA staff may see, or the group manager's own; one query for the list."""
    pathways = InadequatePathway.objects.select_related(
        "case__team__manager", "audit__allocation__auditor", "reaudit_allocation__auditor"
    ).order_by("review_due", "pk")
    if open_only:
        pathways = pathways.filter(status=PathwayStatus.OPEN)
    if _is_qa(user):
        return pathways
    return pathways.filter(_group_manager_q(user))


def with_current_reaudits(pathways: list[InadequatePathway]) -> list[InadequatePathway]:
    """Set `current_reaudit` on each pathway: its re-audit allocation, or the one that
    replaced it after a move or an exemption (P&Q 25-26). One query a step of replacement,
    whatever the number of pathways."""
    current = {p.pk: p.reaudit_allocation for p in pathways if p.reaudit_allocation_id}
    frontier = {a.pk: pk for pk, a in current.items()}
    for _ in range(10):
        if not frontier:
            break
        following = {}
        for allocation in Allocation.objects.filter(replaces_id__in=frontier).select_related(
            "auditor"
        ):
            owner = frontier[allocation.replaces_id]
            current[owner] = allocation
            following[allocation.pk] = owner
        frontier = following
    for pathway in pathways:
        pathway.current_reaudit = current.get(pathway.pk)
    return pathways
