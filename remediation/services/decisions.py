"""Management Decisions: an action that cannot be achieved (Bury 9.4, 9.7)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import User
from accounts.services import notify
from audits.models import Audit

from .. import access
from ..models import ActionStatus, DecisionStatus, ManagementDecision, RemedialAction
from .actions import action_transition, audit_close_if_done


@transaction.atomic
def decision_record(
    *, action: RemedialAction, by: User, reason: str, today: dt.date
) -> ManagementDecision:
    """The team manager records why an action cannot be achieved, for example because the
    information lies with staff who have left (Bury 9.4), or an earlier action on a
    reopened case can no longer be done (Bury 9.7). The action waits for a service manager
    or strategic lead, who is told."""
    if not access.is_team_manager_of(by, action):
        raise RuleViolation("Only the team manager records a Management Decision.")
    if not reason.strip():
        raise RuleViolation("Enter why the action cannot be achieved.")
    action_transition(
        action=action, to=ActionStatus.DECISION_PENDING, by=by, note="Management Decision"
    )
    decision = ManagementDecision.objects.create(
        action=action, reason=reason.strip(), recorded_by=by
    )
    notify(
        recipients=access.overseers_of(action.team),
        template="decision-recorded",
        key=f"decision-recorded:{decision.pk}",
        context={"decision": decision, "action": action, "case": action.case},
        url=reverse("remediation:decision", args=[decision.pk]),
    )
    return decision


@transaction.atomic
def decision_decide(
    *, decision: ManagementDecision, by: User, authorise: bool, today: dt.date, note: str = ""
) -> ManagementDecision:
    """A service manager or strategic lead over the team authorises the decision, which
    closes the action, or refuses it with a reason, which reopens the action (Bury 9.4).
    An audit whose last action this closes is closed (P&Q 23). The team manager is told."""
    decision = ManagementDecision.objects.select_for_update().get(pk=decision.pk)
    action = RemedialAction.objects.select_related("team__service_area", "case").get(
        pk=decision.action_id
    )
    if not access.may_decide(by, action):
        raise RuleViolation("Only a service manager or strategic lead over the team decides.")
    if decision.recorded_by_id == by.pk:
        raise RuleViolation("Someone other than the person who recorded it decides.")
    if decision.status != DecisionStatus.PENDING:
        raise RuleViolation("This Management Decision has already been decided.")
    if not authorise and not note.strip():
        raise RuleViolation("Say why the decision is refused, so the team manager knows.")
    decision.status = DecisionStatus.AUTHORISED if authorise else DecisionStatus.REFUSED
    decision.decided_by = by
    decision.decided_at = timezone.now()
    decision.note = note.strip()
    decision.save(update_fields=["status", "decided_by", "decided_at", "note"])
    if authorise:
        action_transition(
            action=action,
            to=ActionStatus.CLOSED_BY_DECISION,
            by=by,
            note=note or "Management Decision authorised",
            fields={"closed_on": today, "authorised_by": by, "authorised_at": decision.decided_at},
        )
        audit_close_if_done(audit=Audit(pk=action.audit_id), by=by, today=today)
    else:
        action_transition(
            action=action,
            to=ActionStatus.OPEN,
            by=by,
            note=f"Management Decision refused: {note.strip()}",
            fields={"fulfilled_on": None, "fulfilled_by": None},
        )
    notify(
        recipients=[action.team.manager, decision.recorded_by],
        template="decision-decided",
        key=f"decision-decided:{decision.pk}",
        context={"decision": decision, "action": action, "case": action.case},
        url=reverse("remediation:detail", args=[action.pk]),
    )
    return decision
