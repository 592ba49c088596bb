"""The one way an audit's status changes: `audit_transition` refuses a move not in
`audits.lifecycle.TRANSITIONS` and writes an `AuditEvent` (who, when, from, to, why)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import User
from sampling.services import case_hold_for_audit, case_release_from_audit

from .. import lifecycle
from ..models import Audit, AuditEvent


def audit_url(audit: Audit) -> str:
    return reverse("audit:task-list", args=[audit.pk])


@transaction.atomic
def audit_transition(*, audit: Audit, to: str, by: User | None, why: str = "") -> Audit:
    """Move an audit to another status as the lifecycle map allows, with a history row.
    Refuses any other move with the reason in words (SPEC §6)."""
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    if not lifecycle.can_move(locked.status, to):
        raise RuleViolation(
            f"An audit that is {lifecycle.label(locked.status).lower()} cannot become "
            f"{lifecycle.label(to).lower()}."
        )
    AuditEvent.objects.create(
        audit=locked, from_status=locked.status, to_status=to, by=by, why=why[:500]
    )
    locked.status = to
    locked.save(update_fields=["status"])
    audit.status = to
    _hold_or_release_case(audit=locked, to=to)
    return audit


def _hold_or_release_case(*, audit: Audit, to: str) -> None:
    """Bury 9.6: a case does not close while an audit of it is under way. An audit that
    begins holds its case open; when the case's last audit closes (its actions done), a
    case the lists closed meanwhile closes too."""
    day = timezone.localdate(timezone.now())
    case_id = audit.allocation.case_id
    if to == lifecycle.IN_PROGRESS:
        case_hold_for_audit(case_id=case_id, today=day)
    elif to == lifecycle.CLOSED:
        others = Audit.objects.filter(allocation__case_id=case_id).exclude(pk=audit.pk)
        if not others.exclude(status=lifecycle.CLOSED).exists():
            case_release_from_audit(case_id=case_id, today=day)
