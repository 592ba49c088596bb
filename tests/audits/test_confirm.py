"""Confirming the month's allocation: the deadline, the notices to auditor, worker and team
manager, sent once (Bradford 2, Bury 6.4), and the `allocate` command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import AuditDeadlineRule, Notice, User
from audits.models import AllocationHistory, AllocationStatus, RunStatus
from audits.services import allocation_confirm, allocation_propose

from .factories import case_in, confirmed_sample

NOV = dt.date(2026, 11, 1)


@pytest.fixture
def proposed(org, policy):
    """One case from North Family Support, held by Sky, proposed to Ari alone."""
    User.objects.exclude(pk=org.auditor.pk).update(in_audit_pool=False)
    case = case_in(org.north_team, worker=org.social_worker)
    confirmed_sample(period=NOV, cases=[case])
    return allocation_propose(period=NOV, today=dt.date(2026, 11, 2))


def test_confirming_tells_the_auditor_the_worker_and_the_team_manager_with_the_deadline(
    org, proposed, django_capture_on_commit_callbacks
):
    """Bradford 2: details sent to the auditor, the allocated social worker and team
    manager; Bury 6.4: an email to the auditor and an alert to the allocated worker."""
    with django_capture_on_commit_callbacks(execute=True):
        allocation_confirm(run=proposed, by=org.qa_officer, today=dt.date(2026, 11, 2))
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["auditor@example.test", "sw@example.test", "tm@example.test"]
    for message in mail.outbox:
        assert "30 November 2026" in message.body
    auditor_mail = next(m for m in mail.outbox if m.to == ["auditor@example.test"])
    assert "November 2026" in auditor_mail.subject
    assert Notice.objects.filter(recipient=org.auditor).count() == 1  # in the app too


def test_confirming_twice_sends_nothing_more(org, proposed, django_capture_on_commit_callbacks):
    """STYLE: sent once, whatever runs twice."""
    with django_capture_on_commit_callbacks(execute=True):
        allocation_confirm(run=proposed, by=org.qa_officer, today=dt.date(2026, 11, 2))
        allocation_confirm(run=proposed, by=org.qa_officer, today=dt.date(2026, 11, 3))
    assert len(mail.outbox) == 3
    assert AllocationHistory.objects.filter(to_status=AllocationStatus.ALLOCATED).count() == 1


def test_confirmation_sets_the_status_the_allocation_day_and_the_deadline(org, proposed, policy):
    """Bury 6.4: 20 working days from allocation when the policy says so."""
    policy.audit_deadline_rule = AuditDeadlineRule.WORKING_DAYS
    policy.audit_deadline_working_days = 20
    policy.save()
    run = allocation_confirm(run=proposed, by=org.qa_officer, today=dt.date(2026, 11, 2))
    assert run.status == RunStatus.CONFIRMED
    (allocation,) = run.allocations.all()
    assert allocation.status == AllocationStatus.ALLOCATED
    assert allocation.allocated_on == dt.date(2026, 11, 2)
    assert allocation.deadline == dt.date(2026, 11, 30)
    history = list(allocation.history.values_list("from_status", "to_status", "by"))
    assert history == [("", "proposed", None), ("proposed", "allocated", org.qa_officer.pk)]


def test_confirmed_before_the_month_begins_counts_from_its_first_day(org, proposed):
    """P&Q 6: due by the final calendar day of the audit month, not of the month before."""
    run = allocation_confirm(run=proposed, by=org.qa_officer, today=dt.date(2026, 10, 30))
    (allocation,) = run.allocations.all()
    assert allocation.allocated_on == NOV
    assert allocation.deadline == dt.date(2026, 11, 30)


@time_machine.travel(dt.datetime(2026, 10, 30, 9, tzinfo=dt.UTC), tick=False)
def test_the_allocate_command_proposes_then_confirms_and_a_second_run_shows_what_exists(
    org, policy, django_capture_on_commit_callbacks, on_day
):
    """Issue 4: `allocate --period YYYY-MM [--seed N] [--confirm]`; without --today it
    reads the day from the clock."""
    on_day(dt.date(2026, 11, 2))
    User.objects.exclude(pk=org.auditor.pk).update(in_audit_pool=False)
    case = case_in(org.north_team, worker=org.social_worker)
    confirmed_sample(period=NOV, cases=[case])
    out = StringIO()
    call_command("allocate", "--period", "2026-11", "--seed", "5", stdout=out)
    assert f"{case.external_id}\tauditor@example.test\tproposed" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("allocate", "--period", "2026-11", "--confirm", stdout=out)
        call_command("allocate", "--period", "2026-11", "--confirm", stdout=StringIO())
    assert f"{case.external_id}\tauditor@example.test\tallocated\t2026-11-30" in out.getvalue()
    assert "seed 5" in out.getvalue()
    assert len(mail.outbox) == 3


def test_the_allocate_command_refuses_a_month_without_a_confirmed_sample(db, policy):
    with pytest.raises(CommandError, match="no confirmed sample"):
        call_command("allocate", "--period", "2026-12", stdout=StringIO())
    with pytest.raises(CommandError, match="not a month"):
        call_command("allocate", "--period", "December", stdout=StringIO())
