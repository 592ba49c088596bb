"""Sampling at scale: import of Annex A List 6 files and a draw over a large frame.

Figures to reach (issues 3 and 10), on PostgreSQL, with files in Annex A's coded format
(lettered codes, computed ages, the odd #N/A team, closed episodes):
- a 15,000-row List 6 imports in under 10 s;
- 400,000 rows (about every child in need in England) in under 3 minutes, with memory
  that does not grow with the file;
- a draw over a 15,000-case frame in under 1 s;
- the frame and sample pages run the same number of queries whatever the data size.

Run: DATABASE_URL=postgres://… python -m benchmarks.sampling [--big N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import tempfile
import threading
import time
from pathlib import Path

from benchmarks._db import setup_django, throwaway_database

AS_OF = dt.date(2026, 11, 2)
# Annex A List 6 as published, with its lettered code lists.
HEADER = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "CIN Start Date",
    "Primary Need Code",
    "Date Child Was Last Seen",
    "CIN Closure Date",
    "Reason for Closure",
    "Case Status",
    "Allocated Team",
    "Allocated Worker",
]
GENDERS = ["a) Male", "b) Female", "b) Female", "a) Male", "c) Not stated/recorded"]
ETHNICITIES = ["a) WBRI"] * 12 + ["d) WOTH", "k) APKN", "o) BAFR", "f) MWBC", "t) NOBT"]
STATUSES = ["c) Child in need plan"] * 6 + ["b) Child Protection plan", "d) Open assessment"]


def write_list6(path: Path, rows: int, teams: list[str], workers: list[str], seed: int) -> None:
    """A List 6 in the coded format, with what real exports carry: ages the spreadsheet
    computed, the odd #N/A team, closed episodes with their closure date."""
    rng = random.Random(seed)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for n in range(rows):
            year = rng.randint(2008, 2025)
            closed = rng.random() < 0.03
            writer.writerow(
                [
                    f"B{n:07d}",
                    rng.choice(GENDERS),
                    rng.choice(ETHNICITIES),
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                    f"{2026 - year + rng.random():.6f}",
                    rng.choice(["b) No", "b) No", "a) Yes", "c) Unknown"]),
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 10):02d}/2026",
                    "N1 - Abuse or neglect",
                    "",
                    "30/10/2026" if closed else "",
                    "RC7 - Services ceased for any other reason" if closed else "",
                    "e) Closed episode" if closed else rng.choice(STATUSES),
                    "#N/A" if rng.random() < 0.001 else rng.choice(teams),
                    rng.choice(workers),
                ]
            )


class PeakMemory:
    """The process's peak resident memory while the block runs, sampled every 50 ms."""

    def __enter__(self):
        self.baseline = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self):
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._rss())

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        import resource

        return pages * resource.getpagesize()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.baseline) / 1024 / 1024


def run(big: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, ServiceArea, Team, User
    from accounts.services import persona_groups_ensure, user_sync_groups
    from sampling.models import Case
    from sampling.services import draw, frame_cases, frame_import_file, sample_draw_monthly

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    areas = [ServiceArea.objects.create(name=f"Area {i}") for i in range(5)]
    teams = [
        Team.objects.create(name=f"Team {i:02d}", service_area=areas[i % 5]) for i in range(40)
    ]
    workers = User.objects.bulk_create(
        [
            User(email=f"w{i}@bench.test", full_name=f"Worker {i:03d}", team=teams[i % 40])
            for i in range(300)
        ]
    )
    persona_groups_ensure()
    qa = User.objects.create_user("qa@bench.test", full_name="Bench QA", role=Role.QA_OFFICER)
    user_sync_groups(user=qa)
    team_names = [t.name for t in teams]
    worker_names = [w.full_name for w in workers]

    with tempfile.TemporaryDirectory() as folder:
        from django.conf import settings

        settings.MEDIA_ROOT = folder
        small = Path(folder) / "list6-15000.csv"
        write_list6(small, 15_000, team_names, worker_names, seed=1)
        with PeakMemory() as memory:
            started = time.perf_counter()
            snapshot = frame_import_file(path=small, as_of=AS_OF, annex_list="6")
            seconds = time.perf_counter() - started
        print(
            f"import 15,000-row List 6 (coded format): {seconds:.2f} s ({snapshot.status}, "
            f"{snapshot.open_count} open, {snapshot.note_count} notes), "
            f"peak memory +{memory.growth_mb:.0f} MB"
        )

        started = time.perf_counter()
        cases = frame_cases(snapshots=[snapshot])
        result = draw(
            cases=cases,
            strata=["service_area", "case_type", "team"],
            n=120,
            minimum=1,
            seed=2026,
            lookback_cutoff=None,
        )
        seconds = time.perf_counter() - started
        print(
            f"draw over a {len(cases):,}-case frame: {seconds:.3f} s "
            f"({len(result.chosen)} cases, {len(result.strata_table)} strata)"
        )
        started = time.perf_counter()
        sample = sample_draw_monthly(
            period=dt.date(2026, 12, 1), today=dt.date(2026, 12, 1), pool=[(None, 1)] * 120
        )
        print(f"draw and save the monthly sample: {time.perf_counter() - started:.3f} s")

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(qa)
        counts = {}
        for url in ("/sampling/frame/", f"/sampling/samples/{sample.pk}/", "/sampling/samples/"):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries.captured_queries)

        large = Path(folder) / f"list6-{big}.csv"
        write_list6(large, big, team_names, worker_names, seed=2)
        with PeakMemory() as memory:
            started = time.perf_counter()
            snapshot = frame_import_file(
                path=large, as_of=AS_OF + dt.timedelta(days=7), annex_list="6"
            )
            seconds = time.perf_counter() - started
        print(
            f"import {big:,}-row List 6 (coded format): {seconds:.1f} s ({snapshot.status}, "
            f"{snapshot.open_count:,} open, {snapshot.closed:,} closed, "
            f"{snapshot.note_count:,} notes), peak memory +{memory.growth_mb:.0f} MB"
        )
        print(f"cases now held: {Case.objects.count():,}")
        for url, before in counts.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(
                f"queries for {url}: {before} at 15,000 cases, "
                f"{len(queries.captured_queries)} at {big:,}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=400_000, help="rows in the large file")
    args = parser.parse_args(argv if argv is not None else [])
    setup_django()
    with throwaway_database():
        run(args.big)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
