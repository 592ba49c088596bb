"""Actions that follow their case: to a new team, and back into view when the case
closes or reopens with work unfinished (Bury 9.2, 9.6-9.7)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from accounts.services import notify
from sampling.models import Case, CaseStatus

from ..models import UNFINISHED, ActionEvent, RemedialAction


@transaction.atomic
def actions_follow_case_team(*, case: Case, today: dt.date) -> int:
    """Move a case's unfinished actions to its current team and that team's manager, who
    is told once (Bury 9.2: responsibility rests with the *current* team manager). Done
    actions stay with the team that did them. Returns how many moved."""
    case = Case.objects.select_related("team__manager").get(pk=case.pk)
    if case.team_id is None:
        return 0
    team = case.team
    moving = list(
        RemedialAction.objects.select_for_update()
        .filter(case=case, status__in=UNFINISHED)
        .filter(~Q(team=team) | ~Q(owner=team.manager) if team.manager_id else ~Q(team=team))
        .order_by("pk")
    )
    if not moving:
        return 0
    events = []
    for action in moving:
        if action.team_id != team.pk:
            note = f"Moved to {team.name} with the case"
        else:
            note = f"The team's manager is now {team.manager}"
        events.append(
            ActionEvent(
                action=action, from_status=action.status, to_status=action.status, note=note
            )
        )
    RemedialAction.objects.filter(pk__in=[a.pk for a in moving]).update(
        team=team, owner=team.manager
    )
    ActionEvent.objects.bulk_create(events)
    notify(
        recipients=[team.manager],
        template="actions-moved",
        key=f"actions-moved:{case.pk}:{team.pk}:{team.manager_id}:{today.isoformat()}",
        context={"case": case, "team": team, "actions": moving},
        url=reverse("reporting:case", args=[case.external_id]),
    )
    return len(moving)


def sweep_actions_follow_case_team(*, today: dt.date) -> int:
    """After each case import: every unfinished action whose case has moved team (or whose
    team has a new manager) follows it. Safe twice and on two workers (rows are locked and
    re-read; the notice has one key a day)."""
    stale = (
        RemedialAction.objects.filter(status__in=UNFINISHED, case__team__isnull=False)
        .filter(~Q(team_id=F("case__team_id")) | ~Q(owner_id=F("case__team__manager_id")))
        .values_list("case_id", flat=True)
        .distinct()
    )
    moved = 0
    for case_id in list(stale):
        moved += actions_follow_case_team(case=Case(pk=case_id), today=today)
    return moved


def sweep_case_action_prompts(*, today: dt.date) -> int:
    """Tell the team manager, once per closing or reopening, about a case that has
    closed with actions unfinished (Bury 9.6: it should not close until they are
    fulfilled) or reopened with unfinished actions from earlier audits (Bury 9.7: fulfil
    them or record a Management Decision)."""
    told = 0
    cases = (
        Case.objects.filter(remedial_actions__status__in=UNFINISHED, team__isnull=False)
        .filter(
            Q(status=CaseStatus.CLOSED, closed_on__isnull=False)
            | Q(status=CaseStatus.OPEN, reopened_on__isnull=False)
        )
        .select_related("team__manager")
        .distinct()
    )
    for case in cases:
        actions = list(
            RemedialAction.objects.filter(case=case, status__in=UNFINISHED).order_by("due_on")
        )
        if case.status == CaseStatus.CLOSED:
            template, on = "case-closed-actions", case.closed_on
        else:
            actions = [a for a in actions if a.created_on < case.reopened_on]
            template, on = "case-reopened-actions", case.reopened_on
        if not actions:
            continue
        told += len(
            notify(
                recipients=[case.team.manager],
                template=template,
                key=f"{template}:{case.pk}:{on.isoformat()}",
                context={"case": case, "actions": actions, "on": on},
                url=reverse("reporting:case", args=[case.external_id]),
                urgent=case.status == CaseStatus.CLOSED,
            )
        )
    return told
