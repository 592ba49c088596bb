"""Tasks run by a real Celery worker on the real broker (Redis when REDIS_URL is set, as in
CI; the filesystem broker otherwise), not eagerly in the test's thread (issue 2)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.models import Notice, SweepRun
from accounts.services import notify
from config.celery import app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    app.loader.import_default_modules()
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as w:
        yield w


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_notice_email_is_sent_by_a_real_worker_after_the_transaction_commits(org, worker):
    assert not app.conf.task_always_eager
    notify(
        recipients=[org.team_manager],
        template="policy-changed",
        key="worker-test",
        context={"changed_by": "Ada", "changed_on": dt.date(2026, 11, 2), "fields": ["x"]},
        url="/accounts/policy/",
    )
    assert wait_for(lambda: Notice.objects.filter(emailed_at__isnull=False).exists())
    assert [m.to for m in mail.outbox] == [["tm@example.test"]]


def test_beats_sweep_task_runs_on_a_real_worker(worker):
    from config.tasks import run_sweep

    run_sweep.delay("send-pending-notice-emails", "2026-12-01")
    assert wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).exists())
    assert SweepRun.objects.get().today == dt.date(2026, 12, 1)


def test_confirm_and_send_is_done_by_a_real_worker(org, worker):
    """Issue 18: the request only queues the confirmation; the worker confirms the month's
    allocation and its notices go out."""
    from accounts.models import User
    from accounts.selectors import policy_get
    from audits.models import AllocationRun, RunStatus
    from audits.services import allocation_confirm_enqueue, allocation_propose
    from tests.audits.factories import case_in, confirmed_sample

    policy = policy_get()
    policy.default_quota = 1
    policy.quotas = {}
    policy.paired_percent = 0
    policy.yearly_cap = None
    policy.save()
    User.objects.exclude(pk=org.auditor.pk).update(in_audit_pool=False)
    january = dt.date(2027, 1, 1)
    confirmed_sample(period=january, cases=[case_in(org.north_team, worker=org.social_worker)])
    run = allocation_propose(period=january, today=dt.date(2026, 12, 1))
    assert allocation_confirm_enqueue(run=run, by=org.qa_officer, today=dt.date(2026, 12, 1))
    assert wait_for(
        lambda: (
            AllocationRun.objects.get(pk=run.pk).status == RunStatus.CONFIRMED
            and Notice.objects.filter(emailed_at__isnull=False).count() == 3
        )
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "auditor@example.test",
        "sw@example.test",
        "tm@example.test",
    ]
