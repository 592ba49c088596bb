"""Immediate safeguarding concerns raised during an audit (Bury 9.1, P&Q 14, Bradford 3)."""

from __future__ import annotations

from django.db import transaction

from accounts.errors import RuleViolation
from accounts.models import User
from accounts.services import notify

from ..models import Audit, SafeguardingConcern
from ..selectors import (
    case_service_managers,
    case_strategic_lead,
    case_team_manager,
    is_auditor_of,
    is_qa,
)


@transaction.atomic
def safeguarding_raise(
    *, audit: Audit, by: User, concern: str, action_taken: str = ""
) -> SafeguardingConcern:
    """Record a concern for the child's safety and tell, at once and urgently, the case's
    team manager, its service manager(s) and the strategic lead for its service area (Bury
    9.1, P&Q 14), and the allocated worker, whom Bradford 3 also names. It
    never waits for the audit to be finished: any status will do. Each concern is sent
    once (its notice key is the concern's)."""
    if not (is_auditor_of(by, audit) or is_qa(by)):
        raise RuleViolation("Only the auditor or QA staff raise a concern from an audit.")
    if not concern.strip():
        raise RuleViolation("Describe the concern.")
    raised = SafeguardingConcern.objects.create(
        audit=audit, raised_by=by, concern=concern.strip(), action_taken=action_taken.strip()
    )
    case = audit.case
    notify(
        recipients=[
            case_team_manager(case),
            *case_service_managers(case),
            case_strategic_lead(case),
            case.allocated_worker,
        ],
        template="safeguarding-concern",
        key=f"safeguarding:{raised.pk}",
        context={"audit": audit, "case": case, "concern": raised, "raised_by": by},
        # No link: the case's managers may not read the audit until it is shared.
        urgent=True,
    )
    return raised
