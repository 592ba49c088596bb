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
from ..models import LIVE_STATUSES, Allocation, Audit, Consensus, SmartAction
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


KEEP, MERGE, DROP = "keep", "merge", "drop"


def _consensus_answers(
    lead: Audit, grades: dict[str, str], overall: str, outcomes: str, good_elements: str
) -> grading.Answers:
    return grading.Answers(
        case_type=lead.case.case_type,
        sections=grades,
        overall=overall,
        outcomes=outcomes,
        good_elements=good_elements,
    )


def _decide_actions(
    *, audits: list[Audit], actions: dict[int, str], by: User
) -> list[dict[str, object]]:
    """Apply the pair's decision on every auditor's SMART action (Bury 8.1): keep it (an
    action of another auditor is copied onto the lead audit, which carries the consensus
    on), merge it into a kept action (its words are added there and the earlier date
    stands), or drop it. Refused unless each action has a decision, so none is lost."""
    lead = audits[0]
    every = {a.pk: a for a in SmartAction.objects.filter(audit__in=audits).select_related("audit")}
    auditors = {a.pk: a.auditor.full_name for a in audits}
    decisions = {int(k): v.strip() for k, v in actions.items()}
    missing = [a for pk, a in every.items() if pk not in decisions]
    if missing:
        raise RuleViolation(
            f"Decide each auditor's action: keep, merge or drop “{missing[0].what[:60]}”."
        )
    if set(decisions) - set(every):
        raise RuleViolation("An action decided on is not one of this pair's.")
    kept_into: dict[int, SmartAction] = {}
    record: list[dict[str, object]] = []
    for pk, action in sorted(every.items()):
        if decisions[pk] != KEEP:
            continue
        if action.audit_id == lead.pk:
            kept_into[pk] = action
        else:
            kept_into[pk] = SmartAction.objects.create(
                audit=lead, what=action.what, who=action.who, due_on=action.due_on, created_by=by
            )
        record.append(_row(action, auditors, KEEP, kept_into[pk].pk))
    for pk, action in sorted(every.items()):
        decision = decisions[pk]
        if decision == KEEP:
            continue
        if decision == DROP:
            record.append(_row(action, auditors, DROP, None))
        elif decision.startswith(f"{MERGE}:"):
            into_pk = int(decision.split(":", 1)[1] or 0)
            target = kept_into.get(into_pk)
            if target is None or into_pk == pk:
                raise RuleViolation(
                    f"“{action.what[:60]}” can be merged only into an action that is kept."
                )
            target.what = f"{target.what}\n{action.what}"
            target.due_on = min(target.due_on, action.due_on)
            target.save(update_fields=["what", "due_on"])
            record.append(_row(action, auditors, MERGE, target.pk))
        else:
            raise RuleViolation(f"Choose keep, merge or drop for “{action.what[:60]}”.")
        if action.audit_id == lead.pk:
            action.delete()  # the lead's own dropped or merged action; its words are kept here
    return record


def _row(action: SmartAction, auditors: dict[int, str], decision: str, into: int | None):
    return {
        "id": action.pk,
        "auditor": auditors.get(action.audit_id, ""),
        "what": action.what,
        "who": action.who,
        "due_on": action.due_on.isoformat(),
        "decision": decision,
        "into": into,
    }


@transaction.atomic
def consensus_record(
    *,
    pair_group: uuid.UUID,
    by: User,
    grades: dict[str, str],
    overall_grade: str,
    notes: str = "",
    today: dt.date,
    actions: dict[int, str] | None = None,
    outcomes_met: str | None = None,
    good_elements: str | None = None,
) -> Consensus:
    """Record the grades the auditors agreed. Only once all have submitted. The agreed
    grades obey the form's grade rules, as each audit did (Bradford App. 1, Hillingdon 3,
    P&Q 16); the outcomes answer and the good elements default to the lead audit's. Every
    auditor's SMART actions are kept, merged or dropped (`actions`: action id → "keep",
    "drop" or "merge:<id of a kept action>"). The first allocation's audit carries the
    consensus on to QA or the team manager; the others close, kept as they were for
    agreement statistics (Bury 8.1)."""
    if not may_record_consensus(user=by, pair_group=pair_group):
        raise RuleViolation("Only the pair's auditors or QA staff record the consensus.")
    if Consensus.objects.filter(pair_group=pair_group).exists():
        raise RuleViolation("The consensus for this case has been recorded.")
    if not pair_is_complete(pair_group=pair_group):
        raise RuleViolation("Every auditor of the pair must submit before the consensus.")
    audits = list(
        Audit.objects.select_for_update()
        .filter(allocation__pair_group=pair_group, status=lifecycle.SUBMITTED)
        .select_related("allocation__case", "allocation__auditor", "form_version")
        .order_by("allocation_id")
    )
    lead = audits[0]
    definition = lead.definition
    for section in sections_for(definition, lead.case.case_type):
        if grades.get(section["key"]) not in grading.values(definition, section["scale"]):
            raise RuleViolation(f"Choose the agreed grade for “{section['title']}”.")
    if overall_grade not in grading.values(definition, definition["overall"]["scale"]):
        raise RuleViolation("Choose the agreed overall grade.")
    outcomes = lead.outcomes_met if outcomes_met is None else outcomes_met
    good = lead.good_elements if good_elements is None else good_elements
    broken = grading.check_grades(
        definition, _consensus_answers(lead, grades, overall_grade, outcomes, good)
    )
    if broken:
        raise RuleViolation(f"{next(iter(broken.values()))}.")
    decided = _decide_actions(audits=audits, actions=actions or {}, by=by)
    consensus = Consensus.objects.create(
        pair_group=pair_group,
        lead_audit=lead,
        grades=grades,
        overall_grade=overall_grade,
        outcomes_met=outcomes,
        good_elements=good.strip(),
        action_decisions=decided,
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
