"""The allocation's sweeps: proposal on the sampling day, reminders, overdue notices and
escalation. Each runs twice, late, and on two workers at once, and sends each notice once
(STYLE "Scheduled work"; Bradford 2; Hillingdon 2.16; P&Q 30)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from accounts.models import User
from audits.models import AllocationRun, AllocationStatus, RunStatus
from audits.services import (
    sweep_allocation_reminders,
    sweep_overdue_allocations,
    sweep_propose_allocation,
)
from config import sweeps

from .factories import allocation, case_in, confirmed_sample

NOV = dt.date(2026, 11, 1)


def _to(outbox) -> list[str]:
    return sorted(m.to[0] for m in outbox)


def test_the_reminder_goes_a_week_before_the_deadline_with_the_line_manager_copied_once(
    org, policy, django_capture_on_commit_callbacks
):
    """Bradford 2: a reminder to auditors, managers copied, a week before the end of the
    month. Run twice the same day and again the next: one email each."""
    policy.reminder_lead_working_days = 5
    policy.save()
    allocation(auditor=org.auditor, deadline=dt.date(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_allocation_reminders(today=dt.date(2026, 11, 20)) == 0
        assert sweep_allocation_reminders(today=dt.date(2026, 11, 23)) == 1
        assert sweep_allocation_reminders(today=dt.date(2026, 11, 23)) == 0
        assert sweep_allocation_reminders(today=dt.date(2026, 11, 24)) == 0
    assert _to(mail.outbox) == ["auditor@example.test", "tm.south@example.test"]
    assert "30 November 2026" in mail.outbox[0].subject


def test_a_late_reminder_run_still_reminds_before_the_deadline_but_not_after(
    org, policy, django_capture_on_commit_callbacks
):
    """STYLE: a missed tick catches up next time; after the deadline the overdue notice
    takes over."""
    done_late = allocation(auditor=org.auditor, deadline=dt.date(2026, 11, 30))
    allocation(auditor=org.team_manager, deadline=dt.date(2026, 11, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_allocation_reminders(today=dt.date(2026, 11, 27)) == 1
    assert _to(mail.outbox) == ["auditor@example.test", "tm.south@example.test"]
    done_late.refresh_from_db()
    assert done_late.reminder_sent_on == dt.date(2026, 11, 27)


def test_no_reminder_for_a_finished_audit(org, policy):
    """Bradford 2: "for those who have not completed their case file audit"."""
    from django.utils import timezone

    allocation(auditor=org.auditor, completed_at=timezone.now())
    assert sweep_allocation_reminders(today=dt.date(2026, 11, 25)) == 0


def test_an_overdue_audit_tells_the_auditor_and_line_manager_once_and_stays_due(
    org, policy, django_capture_on_commit_callbacks
):
    """Hillingdon 2.16: the auditor's line manager is told; P&Q 30: it is still due."""
    late = allocation(auditor=org.auditor, deadline=dt.date(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_overdue_allocations(today=dt.date(2026, 11, 30))["overdue_told"] == 0
        assert sweep_overdue_allocations(today=dt.date(2026, 12, 1))["overdue_told"] == 1
        assert sweep_overdue_allocations(today=dt.date(2026, 12, 1))["overdue_told"] == 0
        assert sweep_overdue_allocations(today=dt.date(2026, 12, 2))["overdue_told"] == 0
    assert _to(mail.outbox) == ["auditor@example.test", "tm.south@example.test"]
    assert "still has to be done" in mail.outbox[0].body
    late.refresh_from_db()
    assert late.status == AllocationStatus.ALLOCATED
    assert late.is_overdue(dt.date(2026, 12, 2))


def test_overdue_months_in_a_row_escalate_to_the_next_tier_once(
    org, policy, django_capture_on_commit_callbacks
):
    """Hillingdon 2.16: repeated non-completion escalates to the next tier of line
    management (the "grandparent" manager). Tia's line manager is Sid; Sid's is Sam."""
    policy.overdue_escalation_months = 2
    policy.save()
    allocation(
        auditor=org.team_manager, period=dt.date(2026, 10, 1), deadline=dt.date(2026, 10, 30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_overdue_allocations(today=dt.date(2026, 11, 2))["escalated"] == 0
    mail.outbox.clear()
    allocation(auditor=org.team_manager, period=NOV, deadline=dt.date(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_overdue_allocations(today=dt.date(2026, 12, 1))["escalated"] == 1
        assert sweep_overdue_allocations(today=dt.date(2026, 12, 1))["escalated"] == 0
    escalation = [m for m in mail.outbox if "in a row" in m.subject]
    assert _to(escalation) == ["senior@example.test"]
    assert "Sid Service" in escalation[0].body


def test_a_month_done_on_time_breaks_the_run_of_overdue_months(org, policy):
    """Hillingdon 2.16: only repeated non-completion escalates."""
    from django.utils import timezone

    policy.overdue_escalation_months = 2
    policy.save()
    allocation(
        auditor=org.team_manager,
        period=dt.date(2026, 10, 1),
        deadline=dt.date(2026, 10, 30),
        completed_at=timezone.make_aware(dt.datetime(2026, 10, 20, 12)),
    )
    allocation(auditor=org.team_manager, period=NOV, deadline=dt.date(2026, 11, 30))
    assert sweep_overdue_allocations(today=dt.date(2026, 12, 1))["escalated"] == 0


def test_the_sweep_proposes_on_the_sampling_day_once_the_sample_is_confirmed(
    org, policy, django_capture_on_commit_callbacks
):
    """P&Q 1, Bradford 2: the list by the first working day; QA staff review it first."""
    policy.allocate_without_review = False
    policy.save()
    assert sweep_propose_allocation(today=dt.date(2026, 11, 2)).startswith("no confirmed")
    confirmed_sample(period=NOV, cases=[case_in(org.north_team)])
    with django_capture_on_commit_callbacks(execute=True):
        sweep_propose_allocation(today=dt.date(2026, 11, 2))
        sweep_propose_allocation(today=dt.date(2026, 11, 3))
    run = AllocationRun.objects.get()
    assert run.status == RunStatus.PROPOSED
    assert _to(mail.outbox) == ["qa@example.test"]


def test_the_sweep_sends_without_review_where_the_policy_says_so(
    org, policy, django_capture_on_commit_callbacks
):
    """Policy `allocate_without_review`: sent on the sampling day with no one reviewing."""
    policy.allocate_without_review = True
    policy.save()
    User.objects.exclude(pk=org.auditor.pk).update(in_audit_pool=False)
    confirmed_sample(period=NOV, cases=[case_in(org.north_team, worker=org.social_worker)])
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.run("propose-allocation", today=dt.date(2026, 11, 2))
        sweeps.run("propose-allocation", today=dt.date(2026, 11, 2))
    assert AllocationRun.objects.get().status == RunStatus.CONFIRMED
    assert _to(mail.outbox) == ["auditor@example.test", "sw@example.test", "tm@example.test"]


def test_the_sweep_waits_for_the_sampling_day(org, policy):
    """P&Q 1: allocation happens on the month's working day the policy names; 1 January
    2027 is a bank holiday, so the first working day is Monday the 4th."""
    confirmed_sample(period=dt.date(2027, 1, 1), cases=[case_in(org.north_team)])
    assert sweep_propose_allocation(today=dt.date(2027, 1, 1)) == "not the sampling day yet"
    assert AllocationRun.objects.count() == 0


def _at_once(fn, *, today: dt.date) -> None:
    """Run fn(today=…) in two threads at the same moment, each with its own connection."""
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            fn(today=today)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_reminders_at_once_send_one_email_each(org, policy):
    """STYLE: a sweep on two workers at once does the work once."""
    allocation(auditor=org.auditor, deadline=dt.date(2026, 11, 30))
    _at_once(sweep_allocation_reminders, today=dt.date(2026, 11, 24))
    assert _to(mail.outbox) == ["auditor@example.test", "tm.south@example.test"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_escalating_at_once_send_one_email_each(org, policy):
    """STYLE and Hillingdon 2.16: one overdue notice and one escalation, never two."""
    policy.overdue_escalation_months = 1
    policy.save()
    allocation(auditor=org.team_manager, deadline=dt.date(2026, 11, 30))
    _at_once(sweep_overdue_allocations, today=dt.date(2026, 12, 1))
    assert _to(mail.outbox) == ["senior@example.test", "sm@example.test", "tm@example.test"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_proposing_at_once_make_one_allocation(org, policy):
    """STYLE: each run of a period is one row; the second worker returns it."""
    User.objects.exclude(pk=org.auditor.pk).update(in_audit_pool=False)
    confirmed_sample(period=NOV, cases=[case_in(org.north_team)])
    _at_once(sweep_propose_allocation, today=dt.date(2026, 11, 2))
    run = AllocationRun.objects.get()
    assert run.allocations.count() == 1
    assert [m.to[0] for m in mail.outbox] == ["qa@example.test"]
