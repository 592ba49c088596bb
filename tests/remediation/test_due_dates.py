"""When an action is due: the policy's rule on the working-day calendar (Bury 9.3,
Leeds 7.4), stored on the action."""

from __future__ import annotations

import datetime as dt

from remediation.deadlines import CALENDAR_DAYS, WORKING_DAYS, action_due_on
from remediation.services import actions_create_for_audit
from tests.remediation.factories import finished_audit


def test_working_day_deadline_skips_christmas_and_new_year_bank_holidays():
    """Bury 9.3: 25 working days from creation. From Monday 30 November 2026 they run past
    Christmas Day, Boxing Day (observed Monday 28th) and New Year's Day to 7 January."""
    due = action_due_on(
        rule=WORKING_DAYS,
        days=25,
        created_on=dt.date(2026, 11, 30),
        received_on=dt.date(2026, 11, 30),
    )
    assert due == dt.date(2027, 1, 7)


def test_working_day_deadline_skips_good_friday_and_easter_monday():
    """Bury 9.3 on the working-day calendar: 14 working days from 15 March 2027 skip Good
    Friday (26th) and Easter Monday (29th)."""
    due = action_due_on(
        rule=WORKING_DAYS,
        days=14,
        created_on=dt.date(2027, 3, 15),
        received_on=dt.date(2027, 3, 15),
    )
    assert due == dt.date(2027, 4, 6)


def test_calendar_day_deadline_landing_on_christmas_moves_to_the_next_working_day():
    """Leeds 7.4: 14 days from the team manager's receipt. Received Friday 11 December
    2026, day 14 is Christmas Day; Boxing Day is observed on the 28th, so it is due on the
    29th."""
    due = action_due_on(
        rule=CALENDAR_DAYS,
        days=14,
        created_on=dt.date(2026, 12, 11),
        received_on=dt.date(2026, 12, 11),
    )
    assert due == dt.date(2026, 12, 29)


def test_calendar_day_deadline_landing_on_easter_monday_moves_to_tuesday():
    """Leeds 7.4: received Monday 15 March 2027, day 14 is Easter Monday: due Tuesday."""
    due = action_due_on(
        rule=CALENDAR_DAYS,
        days=14,
        created_on=dt.date(2027, 3, 15),
        received_on=dt.date(2027, 3, 15),
    )
    assert due == dt.date(2027, 3, 30)


def test_calendar_day_deadline_on_an_ordinary_weekday_is_kept():
    """Leeds 7.4: fourteen days, no more."""
    due = action_due_on(
        rule=CALENDAR_DAYS,
        days=14,
        created_on=dt.date(2026, 11, 2),
        received_on=dt.date(2026, 11, 2),
    )
    assert due == dt.date(2026, 11, 16)


def test_the_audits_earlier_date_is_kept_when_fewer_days_are_asked_for():
    """Bury 9.3: 25 working days "or as specified if fewer"."""
    due = action_due_on(
        rule=WORKING_DAYS,
        days=25,
        created_on=dt.date(2026, 11, 2),
        received_on=dt.date(2026, 11, 2),
        asked_for=dt.date(2026, 11, 13),
    )
    assert due == dt.date(2026, 11, 13)


def test_an_audit_date_later_than_the_policy_allows_is_not_kept():
    """Bury 9.3: an audit may ask for less time than 25 working days, never more."""
    due = action_due_on(
        rule=WORKING_DAYS,
        days=25,
        created_on=dt.date(2026, 11, 2),
        received_on=dt.date(2026, 11, 2),
        asked_for=dt.date(2027, 2, 1),
    )
    assert due == dt.date(2026, 12, 7)


def test_an_audit_date_already_past_when_the_action_is_made_is_not_kept():
    """A date that passed while the audit was checked would make the action late on
    arrival; the policy's deadline applies instead (Bury 9.3)."""
    due = action_due_on(
        rule=WORKING_DAYS,
        days=25,
        created_on=dt.date(2026, 11, 2),
        received_on=dt.date(2026, 11, 2),
        asked_for=dt.date(2026, 10, 20),
    )
    assert due == dt.date(2026, 12, 7)


def test_the_authoritys_closure_days_are_not_working_days():
    """SPEC §2: a working day excludes the authority's own closure days."""
    due = action_due_on(
        rule=WORKING_DAYS,
        days=1,
        created_on=dt.date(2026, 11, 2),
        received_on=dt.date(2026, 11, 2),
        closures={dt.date(2026, 11, 3)},
    )
    assert due == dt.date(2026, 11, 4)


def test_actions_store_the_due_date_of_bury_policy_across_christmas(org, bury):
    """Bury 9.3: the action made on 30 November 2026 is stored as due 7 January 2027."""
    audit = finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=org.social_worker,
        finished_on=dt.date(2026, 11, 30),
        actions=[("Record the visit", dt.date(2027, 6, 1))],
    )
    [action] = actions_create_for_audit(audit=audit, today=dt.date(2026, 11, 30))
    action.refresh_from_db()
    assert action.due_on == dt.date(2027, 1, 7)
    assert action.created_on == action.received_on == dt.date(2026, 11, 30)


def test_actions_store_the_due_date_of_leeds_policy_from_receipt(org, leeds):
    """Leeds 7.4: 14 days from the day the audit reached the team manager, even when the
    action is made by a later sweep."""
    audit = finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=org.social_worker,
        finished_on=dt.date(2026, 12, 11),
        actions=[("Record the visit", dt.date(2027, 6, 1))],
    )
    [action] = actions_create_for_audit(audit=audit, today=dt.date(2026, 12, 14))
    assert action.received_on == dt.date(2026, 12, 11)
    assert action.due_on == dt.date(2026, 12, 29)
