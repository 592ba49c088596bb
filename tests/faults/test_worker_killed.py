"""A real Celery worker process killed in the middle of a task (issue 11): a case-list
import, an allocation confirmed by the sweep, the compliance review built by its sweep.

The worker runs the project's tasks unchanged (tests/faults/killable.py only pauses one
function, once, inside the task's transaction). The test kills the process running the
task with SIGKILL at that point. Its work must be absent (nothing of the half-done
transaction is visible, nothing of it survives), and the task must run again on its own
(acks_late and reject_on_worker_lost put it back on the queue) and complete, whole: every
row once, every notice once.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
from pathlib import Path

import pytest

from accounts.models import Notice, User
from accounts.services import policy_load_preset
from audits.models import AllocationHistory, AllocationRun, AllocationStatus, RunStatus
from remediation.models import ComplianceItem, ComplianceReview
from sampling.models import Case, Snapshot, SnapshotCase, SnapshotStatus

from ..audits.factories import case_in, confirmed_sample
from ..remediation.factories import remedial_actions
from ..sampling.conftest import child, headers
from .processes import started, wait_for, worker, worker_ready

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _killed_mid_task(tmp_path: Path, target: str, send, *, absent, whole) -> str:
    """Start a worker that pauses in `target`, send the task, check `absent` while the
    task is paused and after its process is killed, then wait for `whole`. Returns the
    worker's log."""
    armed = tmp_path / "armed"
    armed.write_text("")
    celery = worker(
        tmp_path / "worker.log",
        app="tests.faults.killable",
        FAULT_TARGET=target,
        FAULT_ARMED=str(armed),
    )
    with started(celery):
        wait_for(lambda: worker_ready(celery))
        send()
        reached = Path(f"{armed}.reached")
        wait_for(reached.exists, timeout=120)
        absent()  # inside the task's open transaction: none of it is visible
        os.kill(int(reached.read_text()), signal.SIGKILL)
        try:
            wait_for(lambda: "WorkerLostError" in celery.text())
            wait_for(whole, timeout=120)
        except AssertionError as failed:
            raise AssertionError(f"{failed}\n--- worker log ---\n{celery.text()[-6000:]}") from None
        return celery.text()


def test_an_import_killed_mid_merge_leaves_no_case_and_runs_again_to_completion(
    org, tmp_path, settings
):
    from sampling.services import frame_import_start
    from sampling.tasks import run_frame_import

    rows = [child("6", n) for n in range(1, 41)]
    text = io.StringIO()
    text.write(",".join(headers("6")) + "\n")
    for row in rows:
        text.write(",".join(row.get(h, "") for h in headers("6")) + "\n")
    snapshot = frame_import_start(
        stream=io.BytesIO(text.getvalue().encode()),
        file_name="list-6.csv",
        as_of=dt.date(2026, 11, 2),
        annex_list="6",
    )

    def absent():
        assert Case.objects.count() == 0
        assert Snapshot.objects.get(pk=snapshot.pk).status == SnapshotStatus.RUNNING

    def whole():
        return Snapshot.objects.get(pk=snapshot.pk).status == SnapshotStatus.IMPORTED

    log = _killed_mid_task(
        tmp_path,
        "sampling.services.frame_merge:_upsert_cases",
        lambda: run_frame_import.delay(snapshot.pk),
        absent=absent,
        whole=whole,
    )
    done = Snapshot.objects.get(pk=snapshot.pk)
    assert Case.objects.count() == 40
    assert SnapshotCase.objects.filter(snapshot=done).count() == 40 == done.open_count
    assert done.created == 40
    assert log.count("sampling.run_frame_import") >= 2  # received again after the kill


def test_an_allocation_killed_while_being_confirmed_confirms_once_on_the_next_run(org, tmp_path):
    from config.tasks import run_sweep

    policy = policy_load_preset(preset="pq")
    policy.allocate_without_review = True
    policy.default_quota = 1
    policy.quotas = {}
    policy.own_team_roles = []
    policy.other_area_roles = []
    policy.paired_percent = 0
    policy.yearly_cap = None
    policy.save()
    User.objects.exclude(pk__in=[org.auditor.pk, org.qa_officer.pk]).update(in_audit_pool=False)
    period = dt.date(2026, 11, 1)
    confirmed_sample(period=period, cases=[case_in(org.north_team, worker=org.social_worker)])

    def absent():
        run = AllocationRun.objects.get(period=period)
        assert run.status == RunStatus.PROPOSED
        assert not run.allocations.filter(status=AllocationStatus.ALLOCATED).exists()
        assert not AllocationHistory.objects.filter(to_status=AllocationStatus.ALLOCATED).exists()
        assert not Notice.objects.filter(template__startswith="allocation-").exists()

    def whole():
        return AllocationRun.objects.filter(period=period, status=RunStatus.CONFIRMED).exists()

    _killed_mid_task(
        tmp_path,
        "audits.services.allocation:_send_allocation_notices",
        lambda: run_sweep.delay("propose-allocation", "2026-11-02"),
        absent=absent,
        whole=whole,
    )
    run = AllocationRun.objects.get(period=period)
    allocations = list(run.allocations.all())
    assert allocations and all(a.status == AllocationStatus.ALLOCATED for a in allocations)
    confirmed = AllocationHistory.objects.filter(to_status=AllocationStatus.ALLOCATED)
    assert confirmed.count() == len(allocations)
    told = Notice.objects.filter(template__startswith="allocation-")
    assert told.count() == told.values("recipient", "key").distinct().count() >= 1


def test_a_compliance_review_killed_while_being_built_is_built_once_on_the_next_run(org, tmp_path):
    from config.tasks import run_sweep

    policy_load_preset(preset="bury")
    actions = remedial_actions(org, n=5, finished_on=dt.date(2026, 7, 6))

    def absent():
        assert not ComplianceReview.objects.exists()
        assert not ComplianceItem.objects.exists()

    def whole():
        return ComplianceItem.objects.count() == len(actions)

    _killed_mid_task(
        tmp_path,
        "remediation.services.compliance:outstanding_for",
        lambda: run_sweep.delay("open-compliance-reviews", "2026-11-10"),
        absent=absent,
        whole=whole,
    )
    assert ComplianceReview.objects.count() == 1
    assert sorted(ComplianceItem.objects.values_list("action_id", flat=True)) == sorted(
        a.pk for a in actions
    )
