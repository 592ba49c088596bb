"""Reminders before an action is due, and escalation when it is late (Bury 9.3,
Bradford 2: service managers ensure actions are completed within timescales).

Each sweep claims an action with a conditional UPDATE before its notice goes, in the same
transaction, so running twice, late, or on two workers at once tells each person once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from accounts import working_days
from accounts.selectors import policy_get
from accounts.services import notify

from .. import access
from ..models import WITH_TEAM, RemedialAction


def _claim_and_tell(
    candidates: QuerySet[RemedialAction],
    *,
    claim_field: str,
    today: dt.date,
    tell: Callable[[RemedialAction], None],
) -> int:
    told = 0
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = RemedialAction.objects.filter(
                pk=pk, status__in=WITH_TEAM, **{f"{claim_field}__isnull": True}
            ).update(**{claim_field: today})
            if not claimed:
                continue
            action = RemedialAction.objects.select_related(
                "team__service_area__strategic_lead",
                "team__service_area__head_of_service",
                "team__manager__line_manager",
                "case",
                "worker",
            ).get(pk=pk)
            tell(action)
            told += 1
    return told


def _url(action: RemedialAction) -> str:
    return reverse("remediation:detail", args=[action.pk])


def sweep_action_reminders(*, today: dt.date) -> int:
    """Remind the team manager (and the worker doing it) the policy's working days before
    an action is due, once."""
    policy = policy_get()
    horizon = working_days.add(today, policy.action_reminder_working_days, policy.closures)
    candidates = RemedialAction.objects.filter(
        status__in=WITH_TEAM, reminder_sent_on__isnull=True, due_on__gte=today, due_on__lte=horizon
    )

    def tell(action: RemedialAction) -> None:
        notify(
            recipients=[action.team.manager, action.carrier],
            template="action-reminder",
            key=f"action-reminder:{action.pk}",
            context={"action": action, "case": action.case},
            url=_url(action),
        )

    return _claim_and_tell(candidates, claim_field="reminder_sent_on", today=today, tell=tell)


def sweep_actions_overdue(*, today: dt.date) -> int:
    """An action past its due day and not signed off: the service manager is told, the
    team manager copied, once (Bradford 2)."""
    candidates = RemedialAction.objects.filter(
        status__in=WITH_TEAM, overdue_notified_on__isnull=True, due_on__lt=today
    )

    def tell(action: RemedialAction) -> None:
        notify(
            recipients=[*access.service_managers_of(action.team), action.team.manager],
            template="action-overdue",
            key=f"action-overdue:{action.pk}",
            context={"action": action, "case": action.case, "today": today},
            url=_url(action),
        )

    return _claim_and_tell(candidates, claim_field="overdue_notified_on", today=today, tell=tell)


def sweep_action_escalation(*, today: dt.date) -> int:
    """Still overdue the policy's working days after the service manager was told: the
    area's strategic lead (or head of service) is told, once."""
    policy = policy_get()
    # The service manager was told on or before this day: the whole interval has passed.
    told_by = working_days.add(today, -policy.action_escalation_working_days, policy.closures)
    candidates = RemedialAction.objects.filter(
        status__in=WITH_TEAM,
        escalated_on__isnull=True,
        overdue_notified_on__lte=told_by,
    )

    def tell(action: RemedialAction) -> None:
        notify(
            recipients=[access.strategic_lead_of(action.team)],
            template="action-escalated",
            key=f"action-escalated:{action.pk}",
            context={
                "action": action,
                "case": action.case,
                "today": today,
                "working_days_late": working_days.count(action.due_on, today, policy.closures),
            },
            url=_url(action),
            urgent=True,
        )

    return _claim_and_tell(candidates, claim_field="escalated_on", today=today, tell=tell)
