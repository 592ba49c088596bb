"""The real processes for the fault tests: gunicorn, a Celery worker and beat, started on
the test database (which the tests commit to: `django_db(transaction=True)`), on loopback
only, each with its own log file, each stopped by its process group at the end.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def database_url() -> str:
    """The test database, as a URL the processes' settings read."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    condition: Callable[[], object], timeout: float = 60.0, every: float = 0.2, what: str = ""
):
    """Poll until condition() is truthy; return its value, or fail after `timeout` seconds
    (a bound on a hang, never a measure of speed)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what or condition.__doc__ or condition}")
        time.sleep(every)


def environment(**overrides: str | None) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not settings.REDIS_URL:
        env["CELERY_BROKER_DIR"] = str(settings.CELERY_BROKER_DIR)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


class Process:
    def __init__(self, name: str, args: list[str], log: Path, env: dict[str, str]):
        self.name, self.log = name, log
        self._file = log.open("ab")
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as one
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=30)

    def stop(self) -> None:
        """A graceful stop, as a service manager gives one: SIGTERM to the process itself,
        which stops its own children (a Celery worker finishes the job in hand first; sent
        to the whole group, the pool's children died mid-job and the worker logged a
        WorkerLostError). Then SIGKILL to whatever of the group is left."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=30)
        self.kill(signal.SIGKILL)
        self._file.close()


@contextlib.contextmanager
def started(*processes: Process) -> Iterator[tuple[Process, ...]]:
    try:
        yield processes
    finally:
        for process in processes:
            process.stop()


def gunicorn(log: Path, *, port: int, workers: int = 2, threads: int = 1, **env) -> Process:
    args = [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
    ]
    return Process("web", args, log, environment(DJANGO_ALLOWED_HOSTS="127.0.0.1", **env))


def worker(log: Path, *, app: str = "config", concurrency: int = 1, **env) -> Process:
    """A Celery worker on the suite's broker, emptied first of what earlier tests left."""
    from config.celery import app as celery_app

    celery_app.control.purge()
    args = [
        str(BIN / "celery"),
        "-A",
        app,
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency),
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"fault-{os.getpid()}-{time.monotonic_ns()}@%h",
    ]
    return Process("worker", args, log, environment(**env))


def beat(log: Path, *, schedule: Path, **env) -> Process:
    args = [
        str(BIN / "celery"),
        "-A",
        "config",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(schedule),
    ]
    return Process("beat", args, log, environment(**env))


def worker_ready(process: Process) -> bool:
    """the worker says it is ready"""
    assert process.popen.poll() is None, process.text()[-3000:]
    return " ready." in process.text()


# -- A browser-less client for the web process --------------------------------------------


class Browser:
    """Signs in through the sign-in page and keeps its cookies, like a person's browser."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict | None = None, timeout: float = 30) -> tuple[int, str]:
        body = None
        headers = {"Referer": self.base + path}
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(), **data}, True)
            body = body.encode()
            headers["X-CSRFToken"] = self.csrf()
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def upload(self, path: str, fields: dict, name: str, content: bytes) -> tuple[int, str]:
        """Post a form with one file, as a browser does (multipart/form-data)."""
        boundary = "----casefile-test-boundary"
        parts = []
        for key, value in {"csrfmiddlewaretoken": self.csrf(), **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            f"\r\nContent-Type: text/csv\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.base + path,
            data=b"".join(parts),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
                "X-CSRFToken": self.csrf(),
            },
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def adopt_session_of(self, user) -> None:
        """Signed in as `user` without the password (the test's fast hasher is not the
        processes'): a session made in the shared database, as the test client makes it."""
        from django.test import Client

        client = Client()
        client.force_login(user)
        host = urllib.parse.urlsplit(self.base).hostname
        for name, morsel in client.cookies.items():
            self.jar.set_cookie(_cookie(name, morsel.value, host))
        self.request("/")  # the CSRF cookie

    def sign_in(self, email: str, password: str) -> None:
        self.request("/accounts/sign-in/")
        status, _ = self.request("/accounts/sign-in/", {"username": email, "password": password})
        assert status == 302, f"{email} could not sign in ({status})"


def _cookie(name: str, value: str, host: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0,
        name,
        value,
        None,
        False,
        host,
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302
