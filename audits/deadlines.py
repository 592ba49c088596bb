"""When an allocated audit is due (SPEC §6, §11)."""

from __future__ import annotations

import datetime as dt

from accounts import working_days
from accounts.models import AuditDeadlineRule, Policy


def audit_deadline(*, policy: Policy, allocated_on: dt.date) -> dt.date:
    """N working days from allocation (Bury 6.4, 7.2: 20), or the last calendar day of the
    month it was allocated in (P&Q 6, Bradford 2, Hillingdon 2.1)."""
    if policy.audit_deadline_rule == AuditDeadlineRule.WORKING_DAYS:
        return working_days.add(allocated_on, policy.audit_deadline_working_days, policy.closures)
    return working_days.last_day_of_month(allocated_on.year, allocated_on.month)


def reminder_day(*, policy: Policy, deadline: dt.date) -> dt.date:
    """The working day the reminder goes: the policy's lead before the deadline (Bradford
    2: a week, five working days)."""
    return working_days.add(deadline, -policy.reminder_lead_working_days, policy.closures)
