"""Paired audits: two or three auditors audit one case independently, then agree a
consensus (Bury 8.1). Each auditor's grades stay hidden from the others until all have
submitted; their own audits are kept unchanged for agreement statistics."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import User
from accounts.services import notify

from .. import grading, lifecycle
from ..form_presets import sections_for
from ..models import LIVE_STATUSES, Allocation, Audit, Consensus
from ..selectors import qa_staff
from .allocation import allocation_mark_completed
from .routing import audit_route
from .transition import audit_transition


def pair_is_complete(*, pair_group: uuid.UUID) -> bool:
    """Every live allocation of the pair has an audit, and each is submitted."""
    allocations = Allocation.objects.filter(pair_group=pair_group, status__in=LIVE_STATUSES)
    audits = Audit.objects.filter(allocation__in=allocations)
    return (
        allocations.exists()
        and audits.count() == allocations.count()
        and not audits.exclude(status=lifecycle.SUBMITTED).exists()
    )


def pair_after_submit(*, audit: Audit) -> None:
    """When the last of the pair submits, the auditors and QA staff are told the grades
    can now be compared and a consensus recorded."""
    group = audit.allocation.pair_group
    if not pair_is_complete(pair_group=group):
        return
    auditors = User.objects.filter(
        allocations__pair_group=group, allocations__status__in=LIVE_STATUSES
    ).distinct()
    notify(
        recipients=[*auditors, *qa_staff()],
        template="consensus-ready",
        key=f"consensus-ready:{group}",
        context={"audit": audit, "case": audit.case},
        url=reverse("audit:consensus", args=[group]),
    )


def may_record_consensus(*, user: User, pair_group: uuid.UUID) -> bool:
    return (
        user.has_perm("accounts.quality_assure")
        or Allocation.objects.filter(pair_group=pair_group, auditor=user).exists()
    )


@transaction.atomic
def consensus_record(
    *,
    pair_group: uuid.UUID,
    by: User,
    grades: dict[str, str],
    overall_grade: str,
    notes: str = "",
    today: dt.date,
) -> Consensus:
    """Record the grades the auditors agreed. Only once all have submitted. The first
    allocation's audit carries the consensus on to QA or the team manager; the others
    close, kept as they were for agreement statistics (Bury 8.1)."""
    if not may_record_consensus(user=by, pair_group=pair_group):
        raise RuleViolation("Only the pair's auditors or QA staff record the consensus.")
    if Consensus.objects.filter(pair_group=pair_group).exists():
        raise RuleViolation("The consensus for this case has been recorded.")
    if not pair_is_complete(pair_group=pair_group):
        raise RuleViolation("Every auditor of the pair must submit before the consensus.")
    audits = list(
        Audit.objects.select_for_update()
        .filter(allocation__pair_group=pair_group, status=lifecycle.SUBMITTED)
        .select_related("allocation__case", "form_version")
        .order_by("allocation_id")
    )
    lead = audits[0]
    definition = lead.definition
    for section in sections_for(definition, lead.case.case_type):
        if grades.get(section["key"]) not in grading.values(definition, section["scale"]):
            raise RuleViolation(f"Choose the agreed grade for “{section['title']}”.")
    if overall_grade not in grading.values(definition, definition["overall"]["scale"]):
        raise RuleViolation("Choose the agreed overall grade.")
    consensus = Consensus.objects.create(
        pair_group=pair_group,
        lead_audit=lead,
        grades=grades,
        overall_grade=overall_grade,
        notes=notes.strip(),
        recorded_by=by,
    )
    for other in audits[1:]:
        audit_transition(
            audit=other,
            to=lifecycle.CLOSED,
            by=by,
            why="Consensus recorded; kept for agreement statistics",
        )
        Audit.objects.filter(pk=other.pk).update(closed_at=timezone.now())
        allocation_mark_completed(allocation=other.allocation, at=timezone.now())
    audit_route(audit=lead, by=by, today=today)
    return consensus
