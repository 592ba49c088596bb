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
