"""When an allocated audit is due, on both of the seeds' rules (SPEC §6, §11)."""

from __future__ import annotations

import datetime as dt

from accounts.models import AuditDeadlineRule
from audits.deadlines import audit_deadline, reminder_day

D = dt.date


def test_twenty_working_days_from_allocation_skips_the_christmas_bank_holidays(policy):
    """Bury 6.4, 7.2: 20 working days. From Wednesday 2 December 2026 Christmas Day and the
    Boxing Day substitute (Monday 28th) push it into January, past New Year's Day."""
    policy.audit_deadline_rule = AuditDeadlineRule.WORKING_DAYS
    policy.audit_deadline_working_days = 20
    assert audit_deadline(policy=policy, allocated_on=D(2026, 12, 2)) == D(2027, 1, 4)


def test_working_day_deadline_skips_both_may_bank_holidays(policy):
    """Bury 6.4: allocated Friday 1 May 2026; Monday 4 and Monday 25 May are bank
    holidays, so the twentieth working day is Tuesday 2 June."""
    policy.audit_deadline_rule = AuditDeadlineRule.WORKING_DAYS
    policy.audit_deadline_working_days = 20
    assert audit_deadline(policy=policy, allocated_on=D(2026, 5, 1)) == D(2026, 6, 2)


def test_month_end_deadline_is_the_last_calendar_day_even_on_a_bank_holiday(policy):
    """P&Q 6, Bradford 2: by the final calendar day of the month. 31 August 2026 is the
    summer bank holiday and still the deadline; the month's first working day was the
    3rd of August."""
    policy.audit_deadline_rule = AuditDeadlineRule.MONTH_END
    assert audit_deadline(policy=policy, allocated_on=D(2026, 8, 3)) == D(2026, 8, 31)


def test_the_authoritys_closure_day_pushes_a_working_day_deadline(policy):
    """SPEC §2: a working day excludes the authority's own closure days."""
    policy.audit_deadline_rule = AuditDeadlineRule.WORKING_DAYS
    policy.audit_deadline_working_days = 1
    policy.closure_days = ["2026-11-03"]
    assert audit_deadline(policy=policy, allocated_on=D(2026, 11, 2)) == D(2026, 11, 4)


def test_the_reminder_goes_a_week_of_working_days_before_the_deadline_across_a_holiday(policy):
    """Bradford 2: a reminder a week before the end of the month. Five working days before
    Monday 4 January 2027 skips New Year's Day and the Christmas bank holidays."""
    policy.reminder_lead_working_days = 5
    assert reminder_day(policy=policy, deadline=D(2027, 1, 4)) == D(2026, 12, 23)
    assert reminder_day(policy=policy, deadline=D(2026, 11, 30)) == D(2026, 11, 23)
