"""Redis down (issue 11): the web process pointed at a Redis that is not there serves every
page, keeps the notices raised meanwhile, and says so on /health/; once Redis is back, the
hourly catch-up sweep, run by a real worker through Redis, emails them.

A second redis-server of our own, on a free loopback port, plays the Redis that comes back;
the shared one is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from django.utils import timezone

from accounts.models import Notice
from sampling.models import Snapshot, SnapshotStatus

from ..audits.factories_form import started_audit
from ..sampling.conftest import child, headers
from .processes import (
    BIN,
    Browser,
    Process,
    environment,
    free_port,
    gunicorn,
    started,
    wait_for,
    worker,
    worker_ready,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs redis-server (apt-get install redis)"
    ),
]

PAGES = {
    "qa_officer": ["/", "/accounts/policy/", "/sampling/frame/", "/sampling/samples/"],
    "auditor": ["/", "/audits/mine/", "/accounts/breaks/", "/accounts/notices/"],
    "team_manager": ["/", "/actions/"],
    "senior_manager": ["/"],
    "social_worker": ["/", "/actions/"],
}


def _answers(base: str) -> bool:
    """the web process answers"""
    try:
        return Browser(base).request("/health/", timeout=5)[0] in (200, 503)
    except OSError:
        return False


def test_with_redis_down_pages_serve_notices_wait_and_the_catch_up_sweep_sends_them(org, tmp_path):
    audit = started_audit(org)
    redis_port, web_port = free_port(), free_port()  # nothing listens on redis_port yet
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    base = f"http://127.0.0.1:{web_port}"
    web = gunicorn(tmp_path / "web.log", port=web_port, workers=1, threads=4, REDIS_URL=redis_url)
    with started(web):
        wait_for(lambda: _answers(base))

        status, body = Browser(base).request("/health/")
        assert status == 503
        assert json.loads(body)["checks"]["broker"]["ok"] is False
        assert json.loads(body)["checks"]["database"]["ok"] is True

        for persona, paths in PAGES.items():
            browser = Browser(base)
            browser.adopt_session_of(getattr(org, persona))
            for path in paths:
                assert browser.request(path)[0] == 200, (persona, path, web.text()[-2000:])

        qa = Browser(base)
        qa.adopt_session_of(org.qa_officer)
        qa.request("/sampling/frame/import/")
        status, _ = qa.upload(
            "/sampling/frame/import/",
            {
                "as_of_0": "2",
                "as_of_1": "11",
                "as_of_2": "2026",
                "annex_list": "6",
                "complete": "on",
            },
            "list-6.csv",
            (
                ",".join(headers("6"))
                + "\n"
                + ",".join(child("6", 1).get(h, "") for h in headers("6"))
            ).encode(),
        )
        assert status == 302, web.text()[-3000:]  # kept, queued; the page answers
        assert Snapshot.objects.filter(status=SnapshotStatus.QUEUED).count() == 1

        auditor = Browser(base)
        auditor.adopt_session_of(org.auditor)
        status, _ = auditor.request(
            f"/audit/{audit.pk}/safeguarding/", {"concern": "Bruising seen at the last visit."}
        )
        assert status == 302, web.text()[-3000:]
        kept = Notice.objects.filter(template="safeguarding-concern")
        assert kept.count() >= 3
        assert not kept.filter(emailed_at__isnull=False).exists()

        # Redis comes back (our own server on that port); the same web process sees it.
        redis = Process(
            "redis",
            [shutil.which("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            tmp_path / "redis.log",
            environment(),
        )
        with started(redis):
            wait_for(lambda: Browser(base).request("/health/")[0] == 200)

            # An hour on, beat's hourly catch-up sweep runs on a real worker through Redis.
            kept.update(created_at=timezone.now() - dt.timedelta(hours=1))
            celery = worker(tmp_path / "worker.log", REDIS_URL=redis_url)
            with started(celery):
                wait_for(lambda: worker_ready(celery))
                subprocess.run(
                    [str(BIN / "celery"), "-A", "config", "call", "config.tasks.run_sweep"]
                    + ["--args", '["send-pending-notice-emails"]'],
                    env=environment(REDIS_URL=redis_url),
                    check=True,
                    capture_output=True,
                    timeout=120,
                )
                wait_for(lambda: not kept.filter(emailed_at__isnull=True).exists(), timeout=120)
    assert "Internal Server Error" not in web.text()  # faults logged, none shown to anyone
    assert " 500 " not in web.text()
