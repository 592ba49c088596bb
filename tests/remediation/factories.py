"""Finished audits with SMART actions, and their remedial actions, made directly so the
remediation tests start where the audit form leaves off."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from audits import lifecycle
from audits.models import Audit, FormTemplate, FormVersion, SmartAction
from remediation.models import RemedialAction
from remediation.services import actions_create_for_audit
from tests.audits.factories import allocation, case_in


def form_version() -> FormVersion:
    template, _ = FormTemplate.objects.get_or_create(key="test", defaults={"title": "Test form"})
    version, _ = FormVersion.objects.get_or_create(
        template=template, number=1, defaults={"status": "published", "definition": {}}
    )
    return version


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def finished_audit(
    *,
    auditor,
    case=None,
    team=None,
    worker=None,
    finished_on: dt.date = dt.date(2026, 11, 16),
    actions: list[tuple[str, dt.date | None]] | None = None,
    status: str = lifecycle.WITH_TEAM_MANAGER,
) -> Audit:
    """An audit that reached the team manager on `finished_on`, with SMART actions."""
    case = case or case_in(team, worker=worker)
    alloc = allocation(
        auditor=auditor,
        case=case,
        period=finished_on.replace(day=1),
        deadline=finished_on,
        allocated_on=finished_on.replace(day=1),
    )
    audit = Audit.objects.create(
        allocation=alloc,
        form_version=form_version(),
        status=status,
        period_to=finished_on,
        finished_at=aware(finished_on),
        started_at=aware(finished_on.replace(day=1)),
    )
    for what, due in actions if actions is not None else [("Update the chronology", None)]:
        SmartAction.objects.create(
            audit=audit,
            what=what,
            who="Team manager and social worker",
            due_on=due or finished_on + dt.timedelta(days=120),
            created_by=auditor,
        )
    return audit


def remedial_actions(org, *, n: int = 1, finished_on=dt.date(2026, 11, 16), case=None, **kw):
    """n actions from one audit of a north-team case held by the org's social worker."""
    audit = finished_audit(
        auditor=org.auditor,
        case=case,
        team=org.north_team,
        worker=org.social_worker,
        finished_on=finished_on,
        actions=[(f"Action {i + 1}: put the plan on file", None) for i in range(n)],
        **kw,
    )
    actions_create_for_audit(audit=audit, today=finished_on)
    return list(RemedialAction.objects.filter(audit=audit).order_by("pk"))
