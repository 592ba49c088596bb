"""Web, worker and beat at once on one database, as `make run` starts them (issue 11).

On the embedded default this is one SQLite file shared by gunicorn's processes, the
Celery worker's and beat's. People post pages at the same time (autosaves, safeguarding
concerns whose emails the worker sends, notices opened) while beat fires every sweep every
ten seconds. Concurrent writers must wait for each other: no "database is locked" in any log, no
server error, no sweep that failed. Runs on PostgreSQL too (no skip: the same must hold).
The work is a fixed number of requests; the waits are bounds on a hang, not measures.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.utils import timezone

from accounts.models import Notice, SweepRun
from accounts.services import notify
from config.sweeps import SWEEPS

from ..audits.factories_form import started_audit
from .processes import Browser, beat, free_port, gunicorn, started, wait_for, worker, worker_ready

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REQUESTS_EACH = 30


def _answers(base: str) -> bool:
    """the web process answers"""
    try:
        return Browser(base).request("/health/", timeout=5)[0] == 200
    except OSError:
        return False


def test_web_worker_and_beat_write_at_once_and_no_one_finds_the_database_locked(org, tmp_path):
    audits = [started_audit(org), started_audit(org, auditor=org.senior_manager)]
    pending = notify(
        recipients=[org.team_manager, org.service_manager, org.qa_officer, org.social_worker],
        template="policy-changed",
        key="before-the-test",
        context={"changed_by": "Ada", "changed_on": "today", "fields": ["x"]},
        url="/accounts/policy/",
    )
    # Their emails never left (the queue is emptied below): the catch-up sweep sends them.
    Notice.objects.filter(key="before-the-test").update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = gunicorn(tmp_path / "web.log", port=port, workers=2, threads=2)
    celery = worker(tmp_path / "worker.log", concurrency=2)
    ticker = beat(tmp_path / "beat.log", schedule=tmp_path / "schedule", SWEEPS_EVERY_SECONDS="10")
    statuses: list[tuple[str, int]] = []
    errors: list[BaseException] = []

    def autosaves(browser: Browser, audit) -> None:
        revision = 0
        for n in range(REQUESTS_EACH):
            status, body = browser.request(
                f"/audit/{audit.pk}/autosave/records/",
                {"revision": revision, "evidence": f"Typed so far: {n}", "grade": ""},
            )
            statuses.append(("autosave", status))
            if status == 200:
                revision = json.loads(body)["revision"]

    def concerns(browser: Browser, audit) -> None:
        for n in range(REQUESTS_EACH // 3):
            statuses.append(
                (
                    "safeguarding",
                    browser.request(
                        f"/audit/{audit.pk}/safeguarding/", {"concern": f"Concern {n}"}
                    )[0],
                )
            )

    def reading(browser: Browser) -> None:
        for n in range(REQUESTS_EACH):
            path = ("/", "/accounts/notices/", "/actions/")[n % 3]
            statuses.append(("page", browser.request(path)[0]))
            for notice in Notice.objects.filter(recipient=org.team_manager, read_at=None)[:1]:
                statuses.append(("open", browser.request(f"/accounts/notices/{notice.pk}/")[0]))

    def run(work, *args) -> None:
        try:
            work(*args)
        except BaseException as exc:  # reported below
            errors.append(exc)

    with started(web, celery, ticker):
        wait_for(lambda: _answers(base))
        wait_for(lambda: worker_ready(celery))
        people = {}
        for name in ("auditor", "senior_manager", "team_manager", "qa_officer"):
            people[name] = Browser(base)
            people[name].adopt_session_of(getattr(org, name))
        wait_for(lambda: SweepRun.objects.exists(), timeout=120)  # beat and worker at work
        threads = [
            threading.Thread(target=run, args=(autosaves, people["auditor"], audits[0])),
            threading.Thread(target=run, args=(autosaves, people["senior_manager"], audits[1])),
            threading.Thread(target=run, args=(concerns, people["qa_officer"], audits[0])),
            threading.Thread(target=run, args=(reading, people["team_manager"])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert not errors, errors
        # Every sweep has run at least once, and each concern's emails have left.
        names = {s.name for s in SWEEPS}
        wait_for(
            lambda: (
                names
                <= set(
                    SweepRun.objects.filter(finished_at__isnull=False).values_list(
                        "name", flat=True
                    )
                )
            ),
            timeout=180,
            what="every sweep to run",
        )
        wait_for(
            lambda: (
                not Notice.objects.filter(
                    template="safeguarding-concern", emailed_at__isnull=True
                ).exists()
            ),
            timeout=120,
            what="the concerns' emails",
        )
        wait_for(
            lambda: all(Notice.objects.get(pk=n.pk).emailed_at for n in pending),
            what="the earlier notices' emails",
        )

    assert [s for s in statuses if s[1] >= 400] == []
    assert len(statuses) >= 3 * REQUESTS_EACH
    assert not SweepRun.objects.exclude(error="").exists(), list(
        SweepRun.objects.exclude(error="").values_list("name", "error")[:3]
    )
    for process in (web, celery, ticker):
        log = process.text()
        assert "database is locked" not in log, f"{process.name}: {log[-3000:]}"
        assert "database table is locked" not in log, process.name
        assert "Traceback" not in log, f"{process.name}: {log[-3000:]}"
