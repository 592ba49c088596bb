"""The seeds' rules for when an action is due, to the letter (issue 17, items 14-15)."""

from __future__ import annotations

import datetime as dt

from accounts.services import policy_load_preset
from remediation.models import RemedialAction
from remediation.services import actions_create_for_audit
from tests.remediation.factories import finished_audit

RECEIVED = dt.date(2026, 11, 16)


def _action_due(org, *, asked_for: dt.date) -> dt.date:
    audit = finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=org.social_worker,
        finished_on=RECEIVED,
        actions=[("Write the child's plan", asked_for)],
    )
    actions_create_for_audit(audit=audit, today=RECEIVED)
    return RemedialAction.objects.get(audit=audit).due_on


def test_bradford_an_auditors_own_later_timescale_stands(org):
    """Bradford 2: actions are "completed with clear timescales", set per action: a date
    later than the preset's 20 working days is the action's date, not cut to the default."""
    policy_load_preset(preset="bradford")
    later = dt.date(2027, 2, 26)
    assert _action_due(org, asked_for=later) == later


def test_pq_sets_no_timescale_so_the_auditors_date_stands(org):
    """P&Q 23-24 set no timescale for actions: the auditor's date stands under the P&Q
    preset."""
    policy_load_preset(preset="pq")
    later = dt.date(2027, 3, 31)
    assert _action_due(org, asked_for=later) == later


def test_bury_cuts_a_later_date_to_25_working_days(org):
    """Bury 9.3: "25 working days, or as specified if fewer": a later date is cut."""
    policy_load_preset(preset="bury")
    assert _action_due(org, asked_for=dt.date(2027, 3, 31)) == dt.date(2026, 12, 21)


def test_hillingdon_actions_are_due_at_the_team_managers_next_supervision(org):
    """Hillingdon 2.14: the worker and team manager "complete part B at the next available
    supervision": under the Hillingdon preset an action is due on the supervision the team
    manager records, with 20 working days until one is recorded; the sweep that re-dates
    them is safe to run twice."""
    from remediation.services import sweep_create_actions

    policy_load_preset(preset="hillingdon")
    audit = finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=org.social_worker,
        finished_on=RECEIVED,
        actions=[("Write the child's plan", dt.date(2027, 3, 31))],
    )
    actions_create_for_audit(audit=audit, today=RECEIVED)
    action = RemedialAction.objects.get(audit=audit)
    assert action.due_on == dt.date(2026, 12, 14)  # 20 working days: no supervision yet
    audit.supervision_on = dt.date(2026, 11, 25)
    audit.save(update_fields=["supervision_on"])
    assert sweep_create_actions(today=dt.date(2026, 11, 17)) == 1
    assert sweep_create_actions(today=dt.date(2026, 11, 17)) == 0
    action.refresh_from_db()
    assert action.due_on == dt.date(2026, 11, 25)


def test_hillingdon_a_supervision_already_recorded_sets_the_date_at_once(org):
    """Hillingdon 2.14: the supervision recorded before the actions are made is their
    date; an earlier date the audit asks for ("or sooner") stands."""
    policy_load_preset(preset="hillingdon")
    audit = finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=org.social_worker,
        finished_on=RECEIVED,
        actions=[("Write the child's plan", None), ("See the child", dt.date(2026, 11, 20))],
    )
    audit.supervision_on = dt.date(2026, 12, 3)
    audit.save(update_fields=["supervision_on"])
    actions_create_for_audit(audit=audit, today=RECEIVED)
    dues = sorted(RemedialAction.objects.filter(audit=audit).values_list("due_on", flat=True))
    assert dues == [dt.date(2026, 11, 20), dt.date(2026, 12, 3)]
