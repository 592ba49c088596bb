"""The database restarted under load (issue 11): every server connection of the running
web and worker processes is cut (pg_terminate_backend, which is what a restart does to
them; the shared PostgreSQL server itself is never stopped), while people keep using the
pages. A request in flight at that moment may fail; then pages recover without restarting
the app, because Django checks a kept connection before a request uses it
(CONN_HEALTH_CHECKS), so one cut while idle costs no one an error; Celery's Django fix-up
does the same before each task.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from accounts.models import Notice
from accounts.services import notify

from .processes import (
    Browser,
    free_port,
    gunicorn,
    started,
    wait_for,
    worker,
    worker_ready,
)

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the embedded SQLite database has no server to restart",
    ),
]

PATHS = ["/", "/accounts/notices/", "/accounts/policy/", "/sampling/frame/"]


def _cut_every_other_connection() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _answers(base: str) -> bool:
    """the web process answers"""
    try:
        return Browser(base).request("/health/", timeout=5)[0] == 200
    except OSError:
        return False


def test_pages_and_tasks_recover_after_every_database_connection_is_cut(org, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = gunicorn(tmp_path / "web.log", port=port, workers=2, threads=2)
    celery = worker(tmp_path / "worker.log")
    with started(web, celery):
        wait_for(lambda: _answers(base))
        wait_for(lambda: worker_ready(celery))
        browsers = []
        for _ in range(4):
            browser = Browser(base)
            browser.adopt_session_of(org.qa_officer)
            browsers.append(browser)

        results: list[tuple[float, int]] = []
        stop = threading.Event()

        def use_the_pages(browser: Browser) -> None:
            n = 0
            while not stop.is_set() and n < 400:  # bounded
                try:
                    status = browser.request(PATHS[n % len(PATHS)], timeout=20)[0]
                except OSError:
                    status = 0
                results.append((time.monotonic(), status))
                n += 1

        threads = [threading.Thread(target=use_the_pages, args=(b,)) for b in browsers]
        for thread in threads:
            thread.start()
        try:
            wait_for(lambda: len(results) >= 20)
            cuts = []
            for _ in range(3):
                cuts.append(_cut_every_other_connection())
                done = len(results)
                wait_for(lambda done=done: len(results) >= done + 12)
            last_cut = time.monotonic()
            wait_for(lambda: sum(1 for t, _ in results if t > last_cut) >= 24)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)

        assert sum(cuts) >= 3, cuts  # the web and worker processes' connections were cut
        after = [status for t, status in results if t > last_cut]
        assert after[-12:] == [200] * 12, after  # recovered, same processes
        assert web.popen.poll() is None and celery.popen.poll() is None
        failed = [status for _t, status in results if status != 200]
        assert len(failed) <= 3 * len(browsers), failed  # at most a moment's failures

        # Cut while the kept connections are idle: each is checked before it is used again,
        # so no one sees an error at all.
        assert _cut_every_other_connection() >= 1
        for browser in browsers:
            assert [browser.request(path)[0] for path in PATHS] == [200] * len(PATHS)

        # The worker, whose connection was cut too, still does its work.
        [notice] = notify(
            recipients=[org.team_manager],
            template="policy-changed",
            key="after-the-restart",
            context={"changed_by": "Ada", "changed_on": "today", "fields": ["x"]},
            url="/accounts/policy/",
        )
        wait_for(lambda: Notice.objects.get(pk=notice.pk).emailed_at is not None)
