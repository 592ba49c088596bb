"""After the demo's audits: supervision recorded, and the remedial actions taken through
fulfilled, signed off and authorised, with a Management Decision or two."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from accounts import working_days
from accounts.models import Team, User
from audits import lifecycle
from audits.models import Audit, InadequatePathway, SmartAction
from audits.services import audit_close, pathway_meeting_record, supervision_record
from remediation import access
from remediation.models import ActionStatus, RemedialAction
from remediation.services import (
    action_fulfil,
    actions_authorise,
    actions_sign_off,
    decision_decide,
    decision_record,
)

from .plan import ACTION_STATES, OLD, RECENT, Month, Plan

# After the audit --------------------------------------------------------------------------


def supervise(month: Month, plan: Plan) -> None:
    """Team managers record the supervision each finished audit was discussed in, and close
    those that asked for no actions. Last month's are not all discussed yet, and the demo
    team manager still has theirs to do."""
    audits = (
        Audit.objects.filter(allocation__period=month.period, status=lifecycle.WITH_TEAM_MANAGER)
        .select_related("allocation__case__team__manager")
        .order_by("pk")
    )
    for audit in audits:
        case = audit.case
        manager = case.team.manager if case.team_id else None
        if manager is None:
            continue
        if month.kind == RECENT and (
            case.team_id == plan.home_team.pk or month.rng.random() < 0.45
        ):
            continue
        # The services stamp `finished_at` with the real clock; the day it reached the team
        # manager in the demo's story is a few weeks after allocation.
        day = month.day(audit.allocation.allocated_on or month.period, 15, 25)
        supervision_record(
            audit=audit, by=manager, on=day, note="Discussed with the worker in supervision."
        )
        if not SmartAction.objects.filter(audit=audit).exists():
            audit_close(audit=audit, by=manager)
    for pathway in InadequatePathway.objects.filter(audit__allocation__period=month.period):
        if month.kind == OLD:
            pathway_meeting_record(
                pathway=pathway, on=working_days.add(pathway.graded_on, 4, month.closures)
            )


def progress_actions(month: Month, plan: Plan) -> None:
    """Move the month's remedial actions on to where they would be by now: fulfilled,
    signed off, authorised, or still open (and so overdue, for the older month); a
    Management Decision waits for the demo service manager, and an earlier one in another
    service area was authorised."""
    actions = list(
        RemedialAction.objects.filter(audit__allocation__period=month.period)
        .select_related("team__service_area", "team__manager", "case", "worker")
        .order_by("pk")
    )
    month.made["actions"] += len(actions)
    states = ACTION_STATES[month.kind]
    target = {}
    for action in actions:
        state = month.rng.choices(list(states), list(states.values()))[0]
        # Team managers see to what falls due first: most actions past their day are done.
        if (
            state in (ActionStatus.OPEN, ActionStatus.FULFILLED)
            and action.due_on < month.today
            and month.rng.random() < 0.75
        ):
            state = month.rng.choice((ActionStatus.COMPLETED, ActionStatus.AUTHORISED))
        target[action.pk] = state
    home_area = plan.home_team.service_area_id
    home = [a for a in actions if a.team_id == plan.home_team.pk]
    area = [a for a in actions if a.team.service_area_id == home_area and a not in home]
    elsewhere = [a for a in actions if a.team.service_area_id != home_area]
    decisions: list[tuple[RemedialAction, bool]] = []
    if month.kind == OLD:
        # For the demo service manager: a decision to make and signed-off actions to authorise.
        if area:
            decisions.append((area[0], False))
        for action in area[1:3]:
            target[action.pk] = ActionStatus.COMPLETED
        if elsewhere:
            decisions.append((elsewhere[0], True))
        # Whatever day the demo is built, a few are past their day and still open.
        late = [a for a in elsewhere[1:] if a.due_on < month.today]
        if late and not any(
            target[a.pk] in (ActionStatus.OPEN, ActionStatus.FULFILLED) for a in late
        ):
            target[late[0].pk] = ActionStatus.OPEN
    else:
        # For the demo team manager: done actions to sign off; for the demo social worker,
        # actions on their cases still to do.
        for action in home[:1]:
            target[action.pk] = ActionStatus.FULFILLED
        theirs = [a for a in home if a.case.allocated_worker_id == plan.social_worker.pk]
        for action, state in zip(theirs, (ActionStatus.OPEN, ActionStatus.FULFILLED), strict=False):
            target[action.pk] = state
        for action in area[:2]:
            target[action.pk] = ActionStatus.COMPLETED
    for action, _ in decisions:
        target[action.pk] = ActionStatus.DECISION_PENDING

    done_by_team: dict[int, list[tuple[RemedialAction, dt.date]]] = defaultdict(list)
    for action in actions:
        if target[action.pk] not in (
            ActionStatus.FULFILLED,
            ActionStatus.COMPLETED,
            ActionStatus.AUTHORISED,
        ):
            continue
        fulfilled_on = month.day(action.created_on, 4, 18)
        worker = action.worker
        by = (
            worker
            if worker is not None and worker.is_active and access.may_fulfil(worker, action)
            else action.team.manager
        )
        action_fulfil(
            action=action,
            by=by,
            fulfilled_on=fulfilled_on,
            today=fulfilled_on,
            note="Done and recorded on the case file.",
        )
        if target[action.pk] != ActionStatus.FULFILLED:
            done_by_team[action.team_id].append((action, fulfilled_on))
    for batch in done_by_team.values():
        team = batch[0][0].team
        day = month.day(max(d for _, d in batch), 1, 3)
        signed = actions_sign_off(
            actions=[a for a, _ in batch], by=team.manager, today=day, note="Checked on file."
        )
        to_authorise = [a for a in signed if target[a.pk] == ActionStatus.AUTHORISED]
        if to_authorise:
            authoriser = _overseer(team, not_by=team.manager)
            if authoriser is not None:
                actions_authorise(
                    actions=to_authorise,
                    by=authoriser,
                    today=month.day(day, 1, 5),
                    note="Seen on the case file.",
                )
    for action, authorise in decisions:
        day = month.day(action.created_on, 10, 15)
        decision = decision_record(
            action=action,
            by=action.team.manager,
            reason="The information lies with a worker who has left; the family has moved "
            "out of the area and the review cannot now be held.",
            today=day,
        )
        month.made["decisions"] += 1
        if authorise:
            decider = _overseer(action.team, not_by=action.team.manager)
            if decider is not None:
                decision_decide(
                    decision=decision,
                    by=decider,
                    authorise=True,
                    today=month.day(day, 2, 5),
                    note="Agreed: the action cannot be achieved.",
                )


def _overseer(team: Team, *, not_by: User | None) -> User | None:
    """Who authorises for the team: its manager's line manager when they oversee it, else
    the first of its overseers (Bury 9.4, 10.1)."""
    people = [p for p in access.overseers_of(team) if not_by is None or p.pk != not_by.pk]
    line = team.manager.line_manager_id if team.manager_id else None
    for person in people:
        if person.pk == line:
            return person
    return people[0] if people else None
