"""Reminders before an action is due, the service manager told when it is overdue, the
strategic lead when still overdue after the policy's interval (Bury 9.3, Bradford 2).
Each sent once when the sweep runs twice, and when two workers run it at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from accounts.models import Notice
from remediation.models import RemedialAction
from remediation.services import (
    action_fulfil,
    actions_sign_off,
    sweep_action_escalation,
    sweep_action_reminders,
    sweep_actions_overdue,
)
from tests.remediation.factories import remedial_actions

# Made Monday 2 November 2026 under Bury's 25 working days: due Monday 7 December.
MADE = dt.date(2026, 11, 2)
DUE = dt.date(2026, 12, 7)


def _notices(template: str) -> list[tuple[str, str]]:
    return sorted(Notice.objects.filter(template=template).values_list("recipient__email", "key"))


def test_the_team_manager_is_reminded_once_the_policys_working_days_before(org, bury):
    """Bury 9.3: within 25 working days; reminded 5 working days before (the policy)."""
    [action] = remedial_actions(org, finished_on=MADE)
    assert action.due_on == DUE
    assert sweep_action_reminders(today=dt.date(2026, 11, 27)) == 0  # six working days before
    assert sweep_action_reminders(today=dt.date(2026, 11, 30)) == 1
    assert sweep_action_reminders(today=dt.date(2026, 11, 30)) == 0
    assert sweep_action_reminders(today=dt.date(2026, 12, 1)) == 0
    assert _notices("action-reminder") == sorted(
        [
            (org.team_manager.email, f"action-reminder:{action.pk}"),
            (org.social_worker.email, f"action-reminder:{action.pk}"),
        ]
    )


def test_a_signed_off_action_is_neither_reminded_nor_overdue(org, bury):
    """Bury 9.3: signed off within the time, nothing is late."""
    [action] = remedial_actions(org, finished_on=MADE)
    action_fulfil(action=action, by=org.team_manager, fulfilled_on=MADE, today=MADE)
    actions_sign_off(actions=[action], by=org.team_manager, today=MADE)
    assert sweep_action_reminders(today=dt.date(2026, 11, 30)) == 0
    assert sweep_actions_overdue(today=dt.date(2026, 12, 8)) == 0


def test_the_service_manager_is_told_once_when_an_action_is_overdue(org, bury):
    """Bradford 2: Service Managers ensure actions are completed within timescales."""
    [action] = remedial_actions(org, finished_on=MADE)
    assert sweep_actions_overdue(today=DUE) == 0
    assert sweep_actions_overdue(today=dt.date(2026, 12, 8)) == 1
    assert sweep_actions_overdue(today=dt.date(2026, 12, 8)) == 0
    assert sweep_actions_overdue(today=dt.date(2026, 12, 9)) == 0
    told = {email for email, _ in _notices("action-overdue")}
    assert told == {org.service_manager.email, org.team_manager.email}


def test_the_strategic_lead_is_told_once_when_still_overdue_after_the_interval(org, bury):
    """Still overdue 10 working days (the policy) after the service manager was told: the
    strategic lead (Bury 9.1, 9.8: the responsible Strategic Lead)."""
    remedial_actions(org, finished_on=MADE)
    sweep_actions_overdue(today=dt.date(2026, 12, 8))
    assert sweep_action_escalation(today=dt.date(2026, 12, 21)) == 0  # nine working days on
    assert sweep_action_escalation(today=dt.date(2026, 12, 22)) == 1
    assert sweep_action_escalation(today=dt.date(2026, 12, 22)) == 0
    assert sweep_action_escalation(today=dt.date(2027, 1, 5)) == 0
    assert {e for e, _ in _notices("action-escalated")} == {org.strategic_lead.email}


def test_a_late_sweep_catches_up_and_still_tells_each_person_once(org, bury):
    """A missed tick catches up next time (STYLE: sweeps)."""
    remedial_actions(org, finished_on=MADE, n=3)
    assert sweep_actions_overdue(today=dt.date(2027, 1, 20)) == 3
    assert sweep_action_escalation(today=dt.date(2027, 1, 20)) == 0  # told today: wait
    assert sweep_action_escalation(today=dt.date(2027, 2, 3)) == 3
    assert Notice.objects.filter(template="action-escalated").count() == 3


def _run_on_two_workers(sweep, today: dt.date) -> list[int]:
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            results.append(sweep(today=today))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_reminder_sweeps_at_once_send_each_notice_once(org, bury):
    """Claim before you act (STYLE): a conditional UPDATE, so two workers send one each."""
    actions = remedial_actions(org, finished_on=MADE, n=4)
    results = _run_on_two_workers(sweep_action_reminders, dt.date(2026, 11, 30))
    assert sum(results) == 4
    assert (
        Notice.objects.filter(template="action-reminder", recipient=org.team_manager).count() == 4
    )
    results = _run_on_two_workers(sweep_actions_overdue, dt.date(2026, 12, 8))
    assert sum(results) == 4
    assert (
        Notice.objects.filter(template="action-overdue", recipient=org.service_manager).count() == 4
    )
    results = _run_on_two_workers(sweep_action_escalation, dt.date(2026, 12, 22))
    assert sum(results) == 4
    assert (
        Notice.objects.filter(template="action-escalated", recipient=org.strategic_lead).count()
        == 4
    )
    assert all(
        a.reminder_sent_on and a.overdue_notified_on and a.escalated_on
        for a in RemedialAction.objects.filter(pk__in=[x.pk for x in actions])
    )
