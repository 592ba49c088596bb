"""The key pages under load, beside a bare Django page measured in the same run (issue 16).

Builds a large council's years of data on PostgreSQL (see `benchmarks._pages_data`), starts
gunicorn on loopback with the application and a bare page (`/bench/bare/`: the middleware,
the session row, 50 rows, one template), and for each page has `--clients` signed-in clients
make `--requests` requests between them. Prints p50/p95/p99 in milliseconds, requests a
second, the page's p95 as a multiple of the bare page's (measured just before it, as the
load on a shared machine swings), and the queries the page runs.
The autosave is also timed alone (one client, so the figure is the server's time and the
loopback, with no queue). Stops by itself; the database is kept for the next run
(`--reuse`), migrated to the code's indexes.

Run: DATABASE_URL=postgres://…/casefile python -m benchmarks.pages [--years 10 --width 3]
     [--clients 50 --requests 200 --workers 2] [--reuse] [--only home,section]

The data goes in a database of its own, the configured one's name + "bench" (or --database).
Timings on a shared machine are noisy: compare runs made in the same conditions. A port
already taken (another run's server) stops the run rather than measuring that server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Page:
    name: str
    path: str
    session: str
    method: str = "GET"
    posts: list = field(default_factory=list)  # autosave: (session, path, section) a client


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages", description=__doc__)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--width", type=int, default=3, help="audits a month = about 110 × width")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200, help="requests a page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", help="database name (default: the configured one + bench)")
    parser.add_argument("--reuse", action="store_true", help="keep the data from the last run")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument(
        "--baseline",
        help="a directory holding another checkout of the code (git worktree add …): both "
        "are served, on the same data, and measured in turns, so the machine's load falls "
        "on both alike",
    )
    parser.add_argument("--rounds", type=int, default=3, help="turns a page with --baseline")
    return parser.parse_args()


def database_url(args: argparse.Namespace) -> str:
    url = urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1/casefile")
    )
    name = args.database or f"{url.path.lstrip('/')}bench"
    return urllib.parse.urlunsplit(url._replace(path=f"/{name}")), name


def prepare_database(args: argparse.Namespace, name: str) -> None:
    import psycopg
    from django.conf import settings
    from django.core.management import call_command

    admin = {**settings.DATABASES["default"], "NAME": "postgres"}
    conninfo = {
        "dbname": "postgres",
        "user": admin.get("USER") or None,
        "host": admin.get("HOST") or None,
        "port": admin.get("PORT") or None,
        "password": admin.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not args.reuse:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not args.reuse:
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    from accounts import clock
    from audits.models import Audit
    from benchmarks._pages_data import OFFSET, widen_and_age
    from remediation.services.compliance import sweep_open_compliance_reviews

    if Audit.objects.filter(pk__gt=OFFSET).exists():
        print(f"reusing the data in {name}", flush=True)
        return
    if not Audit.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        took = time.perf_counter() - started
        print(f"demo authority and three months through the services: {took:.0f} s")
    started = time.perf_counter()
    widen_and_age(years=args.years, width=args.width)
    sweep_open_compliance_reviews(today=clock.today())
    print(f"copied to {args.years} years, {args.width} wide: {time.perf_counter() - started:.0f} s")


def sizes() -> str:
    from django.db import connection

    tables = {
        "cases": "sampling_case",
        "audits": "audits_audit",
        "sections": "audits_sectionanswer",
        "actions": "remediation_remedialaction",
        "action history": "remediation_actionevent",
        "notices": "accounts_notice",
    }
    with connection.cursor() as cursor:
        counts = []
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts.append(f"{cursor.fetchone()[0]:,} {label}")
        cursor.execute("SELECT count(DISTINCT period) FROM audits_allocation")
        counts.append(f"{cursor.fetchone()[0]} months")
    return ", ".join(counts)


def session_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def pages() -> list[Page]:
    """The key pages, each seen by the persona it is for, on the demo authority."""
    from accounts import clock
    from accounts.demo import DEMO_DOMAIN
    from accounts.models import User
    from audits.models import Audit
    from remediation.models import ComplianceReview
    from sampling.models import Case

    today = clock.today()
    people = {
        p: User.objects.get(email=f"{p}@{DEMO_DOMAIN}")
        for p in ("qa", "auditor", "teammanager", "servicemanager", "senior", "socialworker")
    }
    sessions = {p: session_for(u) for p, u in people.items()}
    audit = (
        Audit.objects.filter(allocation__auditor=people["auditor"], status="in_progress")
        .order_by("-id")
        .first()
    )
    section = audit.form_version.definition["sections"][0]["key"]
    case = Case.objects.filter(team__manager=people["teammanager"]).order_by("id").first()
    review = ComplianceReview.objects.order_by("-month").first()
    writers = []
    for other in (
        Audit.objects.filter(status="in_progress", allocation__period=today.replace(day=1))
        .select_related("allocation__auditor", "form_version")
        .order_by("id")[:50]
    ):
        key = other.form_version.definition["sections"][0]["key"]
        writers.append((session_for(other.allocation.auditor), other.pk, key))
    period = f"{today:%Y-%m}"
    found = [
        Page("bare", "/bench/bare/", sessions["qa"]),
        Page("home: auditor", "/", sessions["auditor"]),
        Page("home: team manager", "/", sessions["teammanager"]),
        Page("home: service manager", "/", sessions["servicemanager"]),
        Page("home: senior manager", "/", sessions["senior"]),
        Page("home: QA", "/", sessions["qa"]),
        Page("home: social worker", "/", sessions["socialworker"]),
        Page("task list", f"/audit/{audit.pk}/", sessions["auditor"]),
        Page("audit section", f"/audit/{audit.pk}/section/{section}/", sessions["auditor"]),
        Page("autosave", "", "", method="POST", posts=writers),
        Page("actions: team manager", "/actions/", sessions["teammanager"]),
        Page("actions: service manager", "/actions/", sessions["servicemanager"]),
        Page("allocation table", f"/audits/allocation/{period}/", sessions["qa"]),
        Page("sampling frame", "/sampling/frame/", sessions["qa"]),
        Page("case page", f"/cases/{case.external_id}/", sessions["teammanager"]),
    ]
    if review is not None:
        found.append(
            Page("compliance review", f"/actions/compliance/{review.month:%Y-%m}/", sessions["qa"])
        )
    found.append(Page("dashboard", "/reports/dashboard/", sessions["senior"]))
    return found


def query_count(page: Page) -> int | str:
    """The queries a request makes once the session is warm (the first request of a
    session also writes its activity stamp), in this process: the same code and data."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if page.method != "GET":
        return "-"
    client = Client(HTTP_HOST=HOST)
    client.cookies["sessionid"] = page.session
    client.get(page.path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    return len(queries) if response.status_code == 200 else f"HTTP {response.status_code}"


CSRF = "b" * 32  # an unmasked CSRF secret: the cookie and the header agree


class Autosaver:
    """One client's autosave: its own audit (so clients do not clash), keeping the revision."""

    def __init__(self, session: str, pk: int, key: str):
        self.session, self.pk, self.key, self.revision, self.n = session, pk, key, None, 0

    def request(self) -> tuple[str, str, bytes, dict]:
        if self.revision is None:
            from audits.models import SectionAnswer

            answer = SectionAnswer.objects.filter(audit_id=self.pk, key=self.key).first()
            self.revision = answer.revision if answer else 0
        self.n += 1
        body = urllib.parse.urlencode(
            {"revision": self.revision, "grade": "", "evidence": f"Benchmark note {self.n}."}
        ).encode()
        headers = {
            "Cookie": f"sessionid={self.session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return "POST", f"/audit/{self.pk}/autosave/{self.key}/", body, headers


def load(page: Page, *, port: int, clients: int, requests: int, savers: list | None = None) -> dict:
    import json

    times: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    left = [requests]
    if savers is None:
        savers = [Autosaver(*p) for p in page.posts]

    def one(index: int) -> None:
        saver = savers[index % len(savers)] if savers else None
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            if saver is not None:
                method, path, body, headers = saver.request()
            else:
                method, path, body = "GET", page.path, None
                headers = {"Cookie": f"sessionid={page.session}"}
            started = time.perf_counter()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload, status = response.read(), response.status
            except (OSError, http.client.HTTPException):  # counted as "HTTP 0", not lost
                payload, status = b"", 0
            took = time.perf_counter() - started
            conn.close()
            if saver is not None and status in (200, 409):
                saver.revision = json.loads(payload).get("revision", saver.revision)
            with lock:
                times.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    count = min(clients, len(savers)) if savers else clients
    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return summary(times, wall, statuses) | {"clients": count}


def summary(times: list[float], wall: float, statuses: dict[int, int]) -> dict:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "rps": len(times) / wall,
        "statuses": statuses,
        "times": times,
        "wall": wall,
    }


def port_free(port: int) -> bool:
    """Nothing listens on the port (another run's server would answer in our place)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def serve(args: argparse.Namespace, url: str, *, port: int, code: str = ".") -> subprocess.Popen:
    """gunicorn on loopback serving the code in the directory `code`. Refuses a port that
    is taken: the figures would be another server's."""
    if not port_free(port):
        raise SystemExit(f"port {port} is in use (another benchmark?): choose one with --port")
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "benchmarks._pages_site"}
    env["PYTHONPATH"] = os.path.abspath(code)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "--chdir",
            os.path.abspath(code),
            "-w",
            str(args.workers),
            "-b",
            f"{HOST}:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env=env,
        # Started from the code's own directory: started from this one, gunicorn put this
        # checkout's directory on the path first and a baseline ran with this checkout's
        # settings (and so its templates) and its own modules (issue 16, seventh pass).
        cwd=os.path.abspath(code),
    )
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}) on port {port}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/health/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    args = parse()
    url, name = database_url(args)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks._pages_site"
    import django

    django.setup()
    prepare_database(args, name)
    print(f"data: {sizes()}", flush=True)
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    chosen = [
        p for p in pages() if not wanted or p.name == "bare" or any(w in p.name for w in wanted)
    ]
    if args.baseline:
        compare(args, url, chosen)
        return
    server = serve(args, url, port=args.port)
    print(
        f"gunicorn, {args.workers} sync workers; {args.clients} clients, {args.requests} "
        f"requests a page; {os.cpu_count()} CPUs (shared: figures are noisy)\n",
        flush=True,
    )
    try:
        rows = []
        for page in chosen:
            queries = query_count(page)
            load(page, port=args.port, clients=args.workers * 2, requests=args.workers * 4)  # warm
            # The bare page just before each page: the load on a shared machine swings.
            bare = load(chosen[0], port=args.port, clients=args.clients, requests=args.requests)
            r = load(page, port=args.port, clients=args.clients, requests=args.requests)
            rows.append((page, queries, r, r if page is chosen[0] else bare))
            print(f"  measured {page.name}", file=sys.stderr, flush=True)
        alone = None
        autosave = next((p for p in chosen if p.name == "autosave"), None)
        if autosave is not None:
            alone = load(autosave, port=args.port, clients=1, requests=50)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("| page | queries | p50 ms | p95 ms | p99 ms | req/s | p95 ÷ bare | bare p95 ms | HTTP |")
    print("|---|---|---|---|---|---|---|---|---|")
    for page, queries, r, bare in rows:
        codes = ",".join(f"{k}×{v}" for k, v in sorted(r["statuses"].items()))
        print(
            f"| {page.name} | {queries} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | "
            f"{r['rps']:.1f} | {r['p95'] / bare['p95']:.1f} | {bare['p95']:.0f} | {codes} |"
        )
    print("\neach page's ratio is to the bare page measured just before it")
    if alone is not None:
        print(
            f"autosave alone (1 client, no queue): p50 {alone['p50']:.1f} ms, "
            f"p95 {alone['p95']:.1f} ms"
        )


def compare(args: argparse.Namespace, url: str, chosen: list[Page]) -> None:
    """The baseline's code and this code, each page measured in turns on both servers
    (`--rounds` turns of requests ÷ rounds each), each against the bare page measured on the
    same server in the same turns, just before it."""
    ports = {"baseline": args.port + 1, "this": args.port}
    servers = [
        serve(args, url, port=ports["baseline"], code=args.baseline),
        serve(args, url, port=ports["this"]),
    ]
    print(
        f"baseline {args.baseline} and this code, each gunicorn with {args.workers} sync "
        f"workers; {args.clients} clients, {args.requests} requests a page on each in "
        f"{args.rounds} turns; {os.cpu_count()} CPUs (shared: figures are noisy)\n",
        flush=True,
    )
    per = max(1, args.requests // args.rounds)
    rows = []
    try:
        for page in chosen:
            queries = query_count(page)
            savers = [Autosaver(*p) for p in page.posts]
            got = {side: ([], 0.0, {}) for side in ports}
            for port in ports.values():  # warm both
                warm = args.workers * 4
                load(page, port=port, clients=args.workers * 2, requests=warm, savers=savers)
            beside = {side: ([], 0.0, {}) for side in ports}  # the bare page, in the same turns
            for _ in range(args.rounds):
                for side, port in ports.items():
                    pairs = ((chosen[0], beside), (page, got))
                    for target, into in pairs[1:] if page is chosen[0] else pairs:
                        r = load(
                            target,
                            port=port,
                            clients=args.clients,
                            requests=per,
                            savers=savers if target is page else None,
                        )
                        times, wall, statuses = into[side]
                        for code, n in r["statuses"].items():
                            statuses[code] = statuses.get(code, 0) + n
                        into[side] = (times + r["times"], wall + r["wall"], statuses)
            if page is chosen[0]:
                beside = got
            rows.append(
                (
                    page,
                    queries,
                    {side: summary(*got[side]) for side in ports},
                    {side: summary(*beside[side]) for side in ports},
                )
            )
            print(f"  measured {page.name}", file=sys.stderr, flush=True)
        alone = {}
        if any(p.name == "autosave" for p in chosen):
            page = next(p for p in chosen if p.name == "autosave")
            savers = [Autosaver(*p) for p in page.posts]
            for side, port in ports.items():
                alone[side] = load(page, port=port, clients=1, requests=50, savers=savers)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    print(
        "| page | queries now | before p50 / p95 / p99 ms | before req/s | before p95 ÷ bare "
        "| after p50 / p95 / p99 ms | after req/s | after p95 ÷ bare |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for page, queries, r, bare in rows:
        b, a = r["baseline"], r["this"]
        odd = {c for side in (a, b) for c in side["statuses"] if c not in (200, 409)}
        print(
            f"| {page.name} | {queries} | {b['p50']:.0f} / {b['p95']:.0f} / {b['p99']:.0f} | "
            f"{b['rps']:.1f} | {b['p95'] / bare['baseline']['p95']:.1f} | "
            f"{a['p50']:.0f} / {a['p95']:.0f} / {a['p99']:.0f} | "
            f"{a['rps']:.1f} | {a['p95'] / bare['this']['p95']:.1f} |"
            + (f" HTTP {sorted(odd)}" if odd else "")
        )
    print(
        "\neach page's ratio is to the bare page measured in the same turns (the load on a "
        "shared machine swings within a run)"
    )
    for side, r in alone.items():
        print(
            f"autosave alone, {side} (1 client, no queue): p50 {r['p50']:.1f} ms, "
            f"p95 {r['p95']:.1f} ms"
        )


if __name__ == "__main__":
    main()
