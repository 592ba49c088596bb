"""Remedial actions: made from a finished audit's SMART actions, fulfilled, signed off,
authorised, and the audit closed when the last one is finished.

Each service is keyword-only and runs in one transaction. The status changes only through
`action_transition`, which refuses moves not in `RemedialAction.TRANSITIONS` and writes an
`ActionEvent` (who, when, from, to, note).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import Persona, User
from accounts.selectors import policy_get
from accounts.services import notify
from audits import lifecycle
from audits.models import Audit, SmartAction

from .. import access, deadlines
from ..models import FINISHED, ActionEvent, ActionStatus, RemedialAction


def _label(status: str) -> str:
    return ActionStatus(status).label.lower()


def _url(action: RemedialAction) -> str:
    return reverse("remediation:detail", args=[action.pk])


@transaction.atomic
def action_transition(
    *,
    action: RemedialAction,
    to: str,
    by: User | None,
    note: str = "",
    fields: dict[str, Any] | None = None,
) -> RemedialAction:
    """Move an action as the state map allows, setting `fields` with it, and write the
    history row. Refuses any other move with the reason in words (Bury 10.1)."""
    locked = RemedialAction.objects.select_for_update().get(pk=action.pk)
    if to not in RemedialAction.TRANSITIONS[locked.status]:
        raise RuleViolation(
            f"An action that is {_label(locked.status)} cannot become {_label(to)}."
        )
    ActionEvent.objects.create(
        action=locked, from_status=locked.status, to_status=to, by=by, note=note.strip()
    )
    changes = {"status": to, **(fields or {})}
    for name, value in changes.items():
        setattr(locked, name, value)
        setattr(action, name, value)
    locked.save(update_fields=list(changes))
    return action


def _received_on(audit: Audit, today: dt.date) -> dt.date:
    if audit.finished_at is None:
        return today
    return min(timezone.localdate(audit.finished_at), today)


@transaction.atomic
def actions_create_for_audit(*, audit: Audit, today: dt.date) -> list[RemedialAction]:
    """Make a remedial action of each SMART action of an audit that has reached the team
    manager, once, however often it is called.

    Owned by the case's current team manager with its allocated worker named (Bury 9.2);
    an absent worker (none, or no longer active) leaves the team manager carrying it
    (Bury 9.5). Due by the policy's rule from the day the audit reached the team manager,
    or the audit's own earlier date (Bury 9.3, Leeds 7.4). The team manager and the worker
    are told once. Where the policy says so the audit's own date stands, later or not
    (Bradford 2). Returns the actions made now.
    """
    audit = Audit.objects.select_for_update().select_related("allocation__case").get(pk=audit.pk)
    if audit.status not in lifecycle.FINISHED:
        raise RuleViolation("Actions are made once the audit has reached the team manager.")
    case = audit.allocation.case
    if case.team_id is None:
        return []
    wanted = list(
        SmartAction.objects.filter(audit=audit, remedial_action__isnull=True).order_by(
            "due_on", "id"
        )
    )
    if not wanted:
        return []
    team = case.team
    worker = case.allocated_worker
    absent = worker is None or not worker.is_active
    policy = policy_get()
    received = _received_on(audit, today)
    at_supervision = policy.action_deadline_rule == deadlines.NEXT_SUPERVISION
    supervision = audit.supervision_on if at_supervision else None
    if supervision is not None and supervision < received:
        supervision = None
    made = [
        RemedialAction(
            smart_action=smart,
            audit=audit,
            case=case,
            team=team,
            owner=team.manager,
            worker=worker,
            carried_by_team_manager=absent,
            absence_note="No allocated worker is active on the case." if absent else "",
            what=smart.what,
            who=smart.who,
            asked_for=smart.due_on,
            created_on=received,
            received_on=received,
            due_on=deadlines.action_due_on(
                rule=policy.action_deadline_rule,
                days=policy.action_deadline_days,
                created_on=received,
                received_on=received,
                asked_for=smart.due_on,
                closures=policy.closures,
                own_date_stands=policy.action_own_date_stands,
                next_supervision=supervision,
            ),
            awaits_supervision=at_supervision and supervision is None,
        )
        for smart in wanted
    ]
    made = RemedialAction.objects.bulk_create(made)
    ActionEvent.objects.bulk_create(
        [
            ActionEvent(
                action=a, from_status="", to_status=ActionStatus.OPEN, note="From the audit"
            )
            for a in made
        ]
    )
    notify(
        recipients=[team.manager, worker],
        template="actions-created",
        key=f"actions-created:{audit.pk}",
        context={"audit": audit, "case": case, "actions": made, "team": team},
        url=reverse("remediation:list"),
    )
    return made


def sweep_create_actions(*, today: dt.date) -> int:
    """Make the actions of every audit with the team manager that has SMART actions not
    yet made into remedial actions: the safety net for the audit's own hook, safe to run
    twice or on two workers at once (the audit row is locked while its actions are made).
    """
    audit_ids = (
        SmartAction.objects.filter(
            remedial_action__isnull=True, audit__status=lifecycle.WITH_TEAM_MANAGER
        )
        .values_list("audit_id", flat=True)
        .distinct()
    )
    made = 0
    for audit_id in list(audit_ids):
        made += len(actions_create_for_audit(audit=Audit(pk=audit_id), today=today))
    return made + actions_due_at_supervision(today=today)


@transaction.atomic
def actions_due_at_supervision(*, today: dt.date) -> int:
    """Hillingdon 2.14: an action is due "at the next available supervision". Once the team
    manager records the supervision in which the audit is discussed, each unfinished
    action still waiting for it is due on that day (an earlier date the audit asked for
    stands); until then the policy's working days hold. Safe to run twice: an action is
    re-dated once. Returns how many were re-dated."""
    policy = policy_get()
    if policy.action_deadline_rule != deadlines.NEXT_SUPERVISION:
        return 0
    waiting = (
        RemedialAction.objects.select_for_update(of=("self",))
        .filter(awaits_supervision=True, audit__supervision_on__isnull=False)
        .exclude(status__in=FINISHED)
        .select_related("audit")
        .order_by("pk")
    )
    changed = []
    for action in waiting:
        supervision = action.audit.supervision_on
        if supervision < action.received_on:
            continue  # a supervision before the action was made is not the next one
        action.due_on = deadlines.action_due_on(
            rule=deadlines.NEXT_SUPERVISION,
            days=policy.action_deadline_days,
            created_on=action.created_on,
            received_on=action.received_on,
            asked_for=action.asked_for,
            closures=policy.closures,
            own_date_stands=policy.action_own_date_stands,
            next_supervision=supervision,
        )
        action.awaits_supervision = False
        changed.append(action)
    RemedialAction.objects.bulk_update(changed, ["due_on", "awaits_supervision"])
    return len(changed)


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise RuleViolation(message)


@transaction.atomic
def action_fulfil(
    *, action: RemedialAction, by: User, fulfilled_on: dt.date, today: dt.date, note: str = ""
) -> RemedialAction:
    """Record that the action was done, and the day (Leeds 7.3). The team manager records
    it, or the named worker unless the manager carries the action (Bury 9.5)."""
    _refuse_unless(
        access.may_fulfil(by, action),
        "Only the team manager or the named worker records that this action was done.",
    )
    if fulfilled_on > today:
        raise RuleViolation("The day it was done cannot be in the future.")
    return action_transition(
        action=action,
        to=ActionStatus.FULFILLED,
        by=by,
        note=note,
        fields={"fulfilled_on": fulfilled_on, "fulfilled_note": note.strip(), "fulfilled_by": by},
    )


@transaction.atomic
def action_send_back(*, action: RemedialAction, by: User, note: str) -> RemedialAction:
    """The team manager finds a fulfilled action not done as asked, and reopens it."""
    _refuse_unless(access.may_sign_off(by, action), "Only the team manager reopens an action.")
    if not note.strip():
        raise RuleViolation("Say what still needs doing.")
    return action_transition(
        action=action,
        to=ActionStatus.OPEN,
        by=by,
        note=note,
        fields={"fulfilled_on": None, "fulfilled_by": None},
    )


def _locked_in_order(actions: Iterable[RemedialAction]) -> list[RemedialAction]:
    ids = sorted({a.pk for a in actions})
    if not ids:
        raise RuleViolation("Choose at least one action.")
    return list(
        RemedialAction.objects.select_for_update(of=("self",))
        .select_related("team__service_area", "case", "audit__allocation")
        .filter(pk__in=ids)
        .order_by("pk")
    )


@transaction.atomic
def actions_sign_off(
    *, actions: Sequence[RemedialAction], by: User, today: dt.date, note: str = ""
) -> list[RemedialAction]:
    """The team manager signs off fulfilled actions as completed, several at once
    (Bury 9.3, 10.1). All or none: one that cannot be signed off stops the lot. The
    people who authorise them are told once for the batch."""
    locked = _locked_in_order(actions)
    problems = []
    for action in locked:
        if not access.may_sign_off(by, action):
            problems.append(f"You do not manage the team of action {action.pk}.")
        elif action.status != ActionStatus.FULFILLED:
            problems.append(
                f"Action {action.pk} is {_label(action.status)}: only a fulfilled action "
                "can be signed off."
            )
    if problems:
        raise RuleViolation(" ".join(problems))
    now = timezone.now()
    for action in locked:
        action_transition(
            action=action,
            to=ActionStatus.COMPLETED,
            by=by,
            note=note,
            fields={"completed_by": by, "completed_at": now},
        )
    first_event = ActionEvent.objects.filter(action__in=locked, to_status=ActionStatus.COMPLETED)
    key_event = first_event.order_by("-id").values_list("id", flat=True).first()
    by_team: dict[int, list[RemedialAction]] = {}
    for action in locked:
        by_team.setdefault(action.team_id, []).append(action)
    for team_actions in by_team.values():
        team = team_actions[0].team
        notify(
            recipients=access.overseers_of(team),
            template="actions-to-authorise",
            key=f"actions-to-authorise:{team.pk}:{key_event}",
            context={"actions": team_actions, "team": team, "signed_off_by": by},
            url=reverse("remediation:authorise"),
        )
    return locked


@transaction.atomic
def actions_authorise(
    *, actions: Sequence[RemedialAction], by: User, today: dt.date, note: str = ""
) -> list[RemedialAction]:
    """A service manager over the team confirms signed-off actions (Bury 10.1), several
    at once, never their own sign-off. All or none. Each audit whose last action this
    finishes is closed (P&Q 23)."""
    locked = _locked_in_order(actions)
    problems = []
    for action in locked:
        if not access.oversees(by, action):
            problems.append(f"You do not oversee the team of action {action.pk}.")
        elif action.completed_by_id == by.pk:
            problems.append(f"You signed off action {action.pk}; someone else authorises it.")
        elif action.status != ActionStatus.COMPLETED:
            problems.append(
                f"Action {action.pk} is {_label(action.status)}: only a signed-off action "
                "can be authorised."
            )
    if problems:
        raise RuleViolation(" ".join(problems))
    now = timezone.now()
    for action in locked:
        action_transition(
            action=action,
            to=ActionStatus.AUTHORISED,
            by=by,
            note=note,
            fields={"authorised_by": by, "authorised_at": now, "closed_on": today},
        )
    for audit_id in sorted({a.audit_id for a in locked}):
        audit_close_if_done(audit=Audit(pk=audit_id), by=by, today=today)
    return locked


@transaction.atomic
def action_decline(*, action: RemedialAction, by: User, note: str) -> RemedialAction:
    """A service manager does not confirm a signed-off action: it reopens, with the
    reason, and the team manager is told."""
    _refuse_unless(access.may_authorise(by, action), "You cannot authorise this action.")
    if not note.strip():
        raise RuleViolation("Say why the action is not done.")
    action_transition(
        action=action,
        to=ActionStatus.OPEN,
        by=by,
        note=note,
        fields={"completed_by": None, "completed_at": None},
    )
    notify(
        recipients=[action.team.manager],
        template="action-reopened",
        key=f"action-reopened:{action.events.order_by('-id').values_list('id', flat=True)[0]}",
        context={"action": action, "by": by, "note": note.strip()},
        url=_url(action),
    )
    return action


@transaction.atomic
def action_mark_worker_absent(
    *, action: RemedialAction, by: User, note: str, absent: bool = True
) -> RemedialAction:
    """The team manager records that the worker is absent for much of the time allowed, so
    the action falls to them (Bury 9.5); or that the worker is back."""
    _refuse_unless(
        access.is_team_manager_of(by, action), "Only the team manager says who carries it."
    )
    if action.is_finished:
        raise RuleViolation("This action is finished.")
    if absent and not note.strip():
        raise RuleViolation("Say why the worker cannot do it, for example long leave.")
    locked = RemedialAction.objects.select_for_update().get(pk=action.pk)
    locked.carried_by_team_manager = absent or locked.worker_id is None
    locked.absence_note = note.strip()[:500] if absent else ""
    locked.save(update_fields=["carried_by_team_manager", "absence_note"])
    what = "The team manager carries this action" if absent else "The worker carries it again"
    ActionEvent.objects.create(
        action=locked,
        from_status=locked.status,
        to_status=locked.status,
        by=by,
        note=f"{what}. {note.strip()}".strip(),
    )
    action.carried_by_team_manager = locked.carried_by_team_manager
    action.absence_note = locked.absence_note
    return action


@transaction.atomic
def audit_close_if_done(*, audit: Audit, by: User | None, today: dt.date) -> bool:
    """Close an audit with the team manager once each of its actions is authorised or
    closed by an authorised Management Decision (P&Q 23), and tell QA staff it is back
    (P&Q 23, 27). Returns whether it closed now."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != lifecycle.WITH_TEAM_MANAGER:
        return False
    statuses = set(RemedialAction.objects.filter(audit=audit).values_list("status", flat=True))
    if not statuses or not statuses <= FINISHED:
        return False
    if SmartAction.objects.filter(audit=audit, remedial_action__isnull=True).exists():
        return False
    from ._audits import audit_mark_closed

    audit_mark_closed(audit=audit, by=by, why="Every remedial action is finished")
    qa = User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True)
    case = audit.allocation.case
    notify(
        recipients=[*qa, case.team.manager if case.team_id else None],
        template="audit-actions-finished",
        key=f"audit-actions-finished:{audit.pk}",
        context={"audit": audit, "case": case},
        url=reverse("reporting:case", args=[case.external_id]),
    )
    return True
