"""The finished audit's PDF (Bury 6.3): how long WeasyPrint takes to make one.

Was a timed test (issue 11: a time is a benchmark's figure, never a test's pass mark).
Builds the demo authority in a throwaway database, takes its finished audits and makes each
one's PDF, after one warm-up (the first PDF in a process loads the fonts).

Run: python -m benchmarks.pdf   (any database; DATABASE_URL=postgres://… for PostgreSQL)
"""

from __future__ import annotations

import os
import statistics
import time

from benchmarks._db import setup_django, throwaway_database

AUDITS = 20


def main() -> None:
    setup_django()
    with throwaway_database():
        from django.core.management import call_command

        from audits import lifecycle
        from audits.models import Audit
        from audits.services import audit_pdf

        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        audits = list(Audit.objects.filter(status__in=lifecycle.FINISHED)[:AUDITS])
        audit_pdf(audit=audits[0])  # fonts load once per process
        times, sizes = [], []
        for audit in audits:
            started = time.perf_counter()
            pdf = audit_pdf(audit=audit)
            times.append(time.perf_counter() - started)
            sizes.append(len(pdf))
        print(f"{len(audits)} finished audits' PDFs, after one warm-up:")
        print(
            f"  median {statistics.median(times):.2f} s, slowest {max(times):.2f} s, "
            f"median size {statistics.median(sizes) / 1024:.0f} KiB "
            f"(aim: under 1 s on a quiet machine)"
        )


if __name__ == "__main__":
    main()
