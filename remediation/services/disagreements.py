"""Disagreements about an action between the auditor and the team manager or worker
(Bury 9.8, Bradford 3)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import User
from accounts.services import notify

from .. import access
from ..models import Disagreement, DisagreementStatus, RemedialAction


def parties(action: RemedialAction) -> list[User | None]:
    """Those who try to resolve it first: the auditor, the team manager and the worker."""
    return [action.audit.allocation.auditor, action.team.manager, action.worker]


def _is_party(user: User, action: RemedialAction) -> bool:
    return user.pk in {p.pk for p in parties(action) if p is not None} or (
        access.is_team_manager_of(user, action)
    )


def referee_for(action: RemedialAction) -> User | None:
    """Who an unresolved (or safeguarding) disagreement goes to: the case's strategic lead
    (Bury 9.8), its head of service (Bradford 3), or else a service manager of the area."""
    lead = access.strategic_lead_of(action.team)
    if lead is not None and lead.is_active:
        return lead
    managers = access.service_managers_of(action.team)
    return managers[0] if managers else None


def _refer(disagreement: Disagreement, action: RemedialAction) -> None:
    referee = referee_for(action)
    if referee is None:
        raise RuleViolation(
            "The case's service area names no strategic lead or service "
            "manager to refer this to. Ask QA staff to set one."
        )
    disagreement.status = DisagreementStatus.REFERRED
    disagreement.referred_to = referee
    disagreement.referred_at = timezone.now()
    disagreement.save(update_fields=["status", "referred_to", "referred_at"])
    notify(
        recipients=[referee],
        template="disagreement-referred",
        key=f"disagreement-referred:{disagreement.pk}",
        context={"disagreement": disagreement, "action": action, "case": action.case},
        url=reverse("remediation:disagreement", args=[disagreement.pk]),
        urgent=disagreement.safeguarding,
    )


@transaction.atomic
def disagreement_raise(
    *, action: RemedialAction, by: User, position: str, safeguarding: bool = False
) -> Disagreement:
    """The auditor, team manager or worker records a disagreement about whether an action
    is needed or can be done. The others are told and try to resolve it first; one about
    safeguarding goes to the strategic lead at once (Bury 9.8)."""
    if not _is_party(by, action):
        raise RuleViolation("Only the auditor, the team manager or the worker raise this.")
    if action.is_finished:
        raise RuleViolation("This action is finished.")
    if not position.strip():
        raise RuleViolation("Say what you disagree with, and why.")
    disagreement = Disagreement.objects.create(
        action=action, raised_by=by, position=position.strip(), safeguarding=safeguarding
    )
    notify(
        recipients=[p for p in parties(action) if p is not None and p.pk != by.pk],
        template="disagreement-raised",
        key=f"disagreement-raised:{disagreement.pk}",
        context={"disagreement": disagreement, "action": action, "case": action.case},
        url=reverse("remediation:disagreement", args=[disagreement.pk]),
    )
    if safeguarding:
        _refer(disagreement, action)
    return disagreement


@transaction.atomic
def disagreement_refer(*, disagreement: Disagreement, by: User) -> Disagreement:
    """A party says they cannot resolve it: it goes to the person the policy names."""
    disagreement = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
    action = disagreement.action
    if not _is_party(by, action):
        raise RuleViolation("Only the auditor, the team manager or the worker refer this.")
    if disagreement.status != DisagreementStatus.OPEN:
        raise RuleViolation("Only a disagreement still being discussed can be referred.")
    _refer(disagreement, action)
    return disagreement


@transaction.atomic
def disagreement_resolve(*, disagreement: Disagreement, by: User, resolution: str) -> Disagreement:
    """Record how it was resolved: by the parties while they discuss it, or by the person
    it was referred to (or QA staff for them) once referred (Bury 9.8)."""
    disagreement = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
    action = disagreement.action
    if disagreement.status == DisagreementStatus.RESOLVED:
        raise RuleViolation("This disagreement is already resolved.")
    if disagreement.status == DisagreementStatus.REFERRED:
        allowed = by.pk == disagreement.referred_to_id or access.is_qa(by)
    else:
        allowed = _is_party(by, action)
    if not allowed:
        raise RuleViolation("You cannot resolve this disagreement.")
    if not resolution.strip():
        raise RuleViolation("Say how it was resolved.")
    disagreement.status = DisagreementStatus.RESOLVED
    disagreement.resolution = resolution.strip()
    disagreement.resolved_by = by
    disagreement.resolved_at = timezone.now()
    disagreement.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    notify(
        recipients=[p for p in parties(action) if p is not None and p.pk != by.pk],
        template="disagreement-resolved",
        key=f"disagreement-resolved:{disagreement.pk}",
        context={"disagreement": disagreement, "action": action, "case": action.case},
        url=reverse("remediation:disagreement", args=[disagreement.pk]),
    )
    return disagreement
