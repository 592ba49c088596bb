"""The one place remediation moves an audit, through the audits app's own transition
service (remediation may import audits; audits never imports remediation)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audits import lifecycle
from audits.models import Audit


@transaction.atomic
def audit_mark_closed(*, audit: Audit, by: User | None, why: str) -> Audit:
    """Close an audit whose actions are all finished (P&Q 23)."""
    from audits.services import audit_transition

    audit_transition(audit=audit, to=lifecycle.CLOSED, by=by, why=why)
    Audit.objects.filter(pk=audit.pk, closed_at__isnull=True).update(closed_at=timezone.now())
    return audit
