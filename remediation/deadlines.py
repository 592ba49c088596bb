"""When a remedial action is due, and when it is time to remind and escalate.

Pure: dates in, dates out, through the working-day calendar. The policy gives the rule:

- working days from creation (Bury 9.3: 25, "or as specified if fewer");
- calendar days from the team manager's receipt (Leeds 7.4: 14). A day that lands on a
  weekend, bank holiday or closure day moves to the next working day, so nothing falls
  due on a day nobody is at work.
- the team manager's next recorded supervision (Hillingdon 2.14: "at the next available
  supervision"), with N working days from creation until one is recorded.

Either way, a date the auditor set that is earlier than the policy's (and not already
past when the action is created) is kept: the audit may ask for less time. Where the
policy says the audit's own date stands (Bradford 2: timescales set per action), a later
date is kept too, and the rule applies only where the audit sets no date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from accounts import working_days

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
NEXT_SUPERVISION = "next_supervision"


def action_due_on(
    *,
    rule: str,
    days: int,
    created_on: dt.date,
    received_on: dt.date,
    asked_for: dt.date | None = None,
    closures: Collection[dt.date] = (),
    own_date_stands: bool = False,
    next_supervision: dt.date | None = None,
) -> dt.date:
    """The day an action is due under the policy's rule, or the auditor's earlier date (or
    the auditor's date, whenever it falls, where `own_date_stands`)."""
    start = max(created_on, received_on)
    if own_date_stands and asked_for is not None and asked_for >= start:
        return asked_for
    if rule == NEXT_SUPERVISION and next_supervision is not None and next_supervision >= start:
        due = next_supervision
    elif rule in (WORKING_DAYS, NEXT_SUPERVISION):
        due = working_days.add(created_on, days, closures)
    elif rule == CALENDAR_DAYS:
        due = working_days.add(received_on + dt.timedelta(days=days), 0, closures)
    else:
        raise ValueError(f"Unknown action deadline rule {rule!r}.")
    if asked_for is not None and start <= asked_for < due:
        return asked_for
    return due


def reminder_on(*, due_on: dt.date, lead: int, closures: Collection[dt.date] = ()) -> dt.date:
    """The team manager is reminded this many working days before the due day."""
    return working_days.add(due_on, -lead, closures) if lead else due_on


def escalation_on(*, due_on: dt.date, after: int, closures: Collection[dt.date] = ()) -> dt.date:
    """Still overdue this many working days after the due day: the strategic lead is told."""
    return working_days.add(due_on, after, closures)
