"""Load: 100 signed-in people at once against gunicorn on PostgreSQL, on loopback (issue 11).

Builds the demo authority with its history in a throwaway database, starts gunicorn with
the production settings file (config/gunicorn.py), and lets 100 people work at once, each
for a fixed number of requests: auditors open their audit and autosave a section as they
type; QA staff, team managers, service managers, senior managers and social workers open
their main pages. Prints throughput, latency percentiles and errors (0 expected), then
stops gunicorn and drops the database. Nothing but 127.0.0.1 is contacted.

Sessions are made directly in the database (as Django's test client does), so the
password hasher's deliberate cost is not part of the figures.

Run: DATABASE_URL=postgres://… python -m benchmarks.load [--users 100] [--requests 20]
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks._db import setup_django, throwaway_database

ROOT = Path(__file__).resolve().parent.parent

PAGES = {
    "qa_staff": [
        "/",
        "/sampling/frame/",
        "/sampling/samples/",
        "/audits/allocation/",
        "/audit/qa/",
        "/actions/compliance/",
    ],
    "team_manager": ["/", "/actions/", "/accounts/notices/"],
    "service_manager": ["/", "/actions/authorise/", "/actions/"],
    "senior_manager": ["/", "/accounts/notices/"],
    "social_worker": ["/", "/actions/", "/accounts/notices/"],
}
# Of 100 people: 40 auditors typing into their audits, the rest reading their pages.
MIX = {
    "auditor": 40,
    "qa_staff": 10,
    "team_manager": 20,
    "service_manager": 10,
    "senior_manager": 5,
    "social_worker": 15,
}


@dataclass
class Person:
    kind: str
    cookies: dict[str, str]
    audit: int | None = None
    section: str = ""
    revision: int = 0
    timings: list[tuple[str, float, int]] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(users: int) -> list[Person]:
    """The people, each with a session; auditors each with an audit in progress."""
    from audits.audit_models import SectionAnswer
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import Persona
    from audits import lifecycle
    from audits.form_presets import sections_for
    from audits.models import Allocation, AllocationStatus, Audit
    from audits.services import audit_start

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    User = get_user_model()
    scale = users / sum(MIX.values())
    people: list[Person] = []

    def session_of(user) -> dict[str, str]:
        client = Client()
        client.force_login(user)
        return {name: morsel.value for name, morsel in client.cookies.items()}

    wanted = round(MIX["auditor"] * scale)
    audits = list(
        Audit.objects.filter(status=lifecycle.IN_PROGRESS).select_related(
            "allocation__auditor", "allocation__case", "form_version"
        )[:wanted]
    )
    if len(audits) < wanted:
        taken = {a.allocation.auditor_id for a in audits}
        for allocation in Allocation.objects.filter(
            status=AllocationStatus.ALLOCATED, audit__isnull=True
        ).exclude(auditor_id__in=taken)[: wanted - len(audits)]:
            audits.append(audit_start(allocation=allocation, by=allocation.auditor))
    for audit in audits:
        audit.refresh_from_db()
        key = sections_for(audit.definition, audit.case.case_type)[0]["key"]
        answer = SectionAnswer.objects.filter(audit=audit, key=key).first()
        people.append(
            Person(
                "auditor",
                session_of(audit.auditor),
                audit.pk,
                key,
                answer.revision if answer else 0,
            )
        )
    for kind, _pages in PAGES.items():
        group = list(User.objects.filter(groups__name=getattr(Persona, kind.upper()).value))
        count = round(MIX[kind] * scale)
        for n in range(count):
            people.append(Person(kind, session_of(group[n % len(group)])))
    return people[:users]


class Session:
    def __init__(self, base: str, person: Person):
        self.base, self.person = base, person
        self.jar = http.cookiejar.CookieJar()
        for name, value in person.cookies.items():
            self.jar.set_cookie(_cookie(name, value))
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def call(self, kind: str, path: str, data: dict | None = None) -> str:
        body = None
        headers = {"Referer": self.base + path}
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["X-CSRFToken"] = self.csrf()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, ""
        except OSError:
            status, text = 0, ""
        self.person.timings.append((kind, time.perf_counter() - started, status))
        return text


def work(base: str, person: Person, requests: int, start: threading.Barrier) -> None:
    session = Session(base, person)
    start.wait()
    if person.kind == "auditor":
        task_list = f"/audit/{person.audit}/"
        autosave = f"/audit/{person.audit}/autosave/{person.section}/"
        session.call("/audit/<pk>/ (task list)", task_list)  # also sets the CSRF cookie
        revision = person.revision
        for n in range(requests - 1):
            if n % 2:
                session.call("/audit/<pk>/ (task list)", task_list)
                continue
            reply = session.call(
                "autosave", autosave, {"revision": revision, "evidence": f"Typed {n}"}
            )
            with contextlib.suppress(ValueError, KeyError):
                revision = json.loads(reply)["revision"]
    else:
        pages = PAGES[person.kind]
        for n in range(requests):
            session.call(pages[n % len(pages)], pages[n % len(pages)])


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0,
        name,
        value,
        None,
        False,
        "127.0.0.1",
        False,
        False,
        "/",
        True,
        False,
        None,
        True,
        None,
        None,
        {},
        False,
    )


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(people: list[Person], elapsed: float, users: int, workers: int) -> None:
    rows = [t for p in people for t in p.timings]
    print(
        f"\n{users} people at once, {len(rows)} requests, gunicorn with {workers} workers, "
        f"PostgreSQL, loopback; {os.cpu_count()} cores shared with the load generator\n"
    )
    print(
        f"{'requests':<12}{'count':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}"
    )
    for kind in ("page", "autosave", "all"):
        chosen = [
            r for r in rows if kind == "all" or r[0] == kind or (kind == "page" and r[0][0] == "/")
        ]
        if not chosen:
            continue
        times = [r[1] * 1000 for r in chosen]
        errors = sum(1 for r in chosen if not 200 <= r[2] < 400)
        print(
            f"{kind:<12}{len(chosen):>7}{len(chosen) / elapsed:>9.1f}"
            f"{_percentile(times, 50):>9.0f}{_percentile(times, 95):>9.0f}"
            f"{_percentile(times, 99):>9.0f}{errors:>8}"
        )
    by_path: dict[str, list[float]] = {}
    for kind, seconds, _status in rows:
        by_path.setdefault(kind, []).append(seconds * 1000)
    print("\nslowest pages by median:")
    for path, times in sorted(by_path.items(), key=lambda kv: -statistics.median(kv[1]))[:5]:
        print(f"  {path:<28}{len(times):>6}{statistics.median(times):>9.0f} ms")
    print(f"\nwall time {elapsed:.1f} s; mean {statistics.mean(r[1] for r in rows) * 1000:.0f} ms")
    bad = sorted({r[2] for r in rows if not 200 <= r[2] < 400})
    if bad:
        print(f"error statuses: {bad}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--requests", type=int, default=20, help="requests per person")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 3)))
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("benchmarks.load runs on PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 1
    with throwaway_database() as name:
        started = time.perf_counter()
        people = prepare(args.users)
        print(
            f"demo authority and {len(people)} sessions ready in "
            f"{time.perf_counter() - started:.0f} s"
        )
        s = connection.settings_dict
        url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
        if s.get("PASSWORD"):
            url = url.replace("@", f":{s['PASSWORD']}@", 1)
        connection.close()
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(args.workers),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        log = open(ROOT / "var" / "benchmark-load-gunicorn.log", "wb")  # noqa: SIM115
        web = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "--access-logfile",
                "/dev/null",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(base + "/health/", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    if time.monotonic() > deadline or web.poll() is not None:
                        print("gunicorn did not start; see var/benchmark-load-gunicorn.log")
                        return 1
                    time.sleep(0.5)
            start = threading.Barrier(len(people) + 1)
            threads = [
                threading.Thread(target=work, args=(base, p, args.requests, start)) for p in people
            ]
            for thread in threads:
                thread.start()
            start.wait()
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
        finally:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(timeout=60)
            log.close()
        report(people, elapsed, len(people), args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
