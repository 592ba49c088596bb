"""The remediation sweeps are scheduled and each takes `today` (STYLE: scheduled work)."""

from __future__ import annotations

import datetime as dt

from config import sweeps


def test_the_remediation_sweeps_are_registered_and_run_as_of_a_day(org, bury):
    names = {s.name for s in sweeps.SWEEPS}
    assert {
        "create-actions",
        "actions-follow-case-team",
        "case-action-prompts",
        "action-reminders",
        "actions-overdue",
        "action-escalation",
        "open-compliance-reviews",
        "send-compliance-reviews",
    } <= names
    for name in sorted(n for n in names if "action" in n or "compliance" in n):
        assert sweeps.run(name, today=dt.date(2026, 11, 20)) == 0
