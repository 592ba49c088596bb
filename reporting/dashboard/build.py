"""The dashboard as a list of sections, for the page, the downloads and the reports.

Each section is read by its own module with a fixed number of queries (see each docstring):
completion 5-8, quality 6-8, actions 2, learning 2, safeguarding 2-3, consistency 3 (the
agreement reads) + 1, and one for the summarised months. Aggregation is done in the database
with GROUP BY and FILTER, over the summary of closed months where there is one
(`dashboard.summary`: see the README's "Dashboard" section for why).

On PostgreSQL, outside any other transaction (the page and its downloads), the sections are
built side by side: the database answers one section's queries while Python works on
another's rows. Every thread reads the same snapshot of the database (one transaction
exports it, the others import it), so the figures agree with each other as they do when
built one after another.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from .actions import actions_section
from .completion import completion_section
from .consistency import consistency_section
from .filters import Filters
from .learning import learning_section
from .quality import quality_section
from .safeguarding import safeguarding_section
from .scope import ReaderScope
from .summary import summarised as summary_months
from .tables import Section

SECTION_TITLES = {
    "completion": "Completion",
    "quality": "Quality of practice",
    "actions": "Actions",
    "learning": "Learning",
    "safeguarding": "Safeguarding and inadequate",
    "consistency": "Consistency",
}


def _builders(
    scope: ReaderScope, filters: Filters, today: dt.date, summary: Collection, full: bool
) -> dict[str, Callable]:
    return {
        "completion": lambda: completion_section(
            scope=scope, filters=filters, today=today, summary=summary, full=full
        ),
        "quality": lambda: quality_section(scope=scope, filters=filters, summary=summary),
        "actions": lambda: actions_section(
            scope=scope, filters=filters, today=today, summary=summary
        ),
        "learning": lambda: learning_section(scope=scope, filters=filters, summary=summary),
        "safeguarding": lambda: safeguarding_section(
            scope=scope, filters=filters, today=today, summary=summary
        ),
        "consistency": lambda: consistency_section(scope=scope, filters=filters, summary=summary),
    }


@contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the figures are built: the build makes
    tens of thousands of small short-lived objects (a national month's strata), which
    reference counting frees, and the collector's passes over Django's whole object graph
    that they set off cost 0.13 s of CPU a national dashboard. Restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_sections(
    *,
    scope: ReaderScope,
    filters: Filters,
    today: dt.date,
    only: list[str] | None = None,
    summarised: bool = False,
    full: bool = True,
) -> list[Section]:
    """The sections (`only` some of them). With `summarised`, the closed months in the
    summary (`dashboard.summary`) are read from it (the dashboard and its downloads; one
    query more); without it every month is counted live (the kept reports). Without `full`,
    the longest tables hold only the rows the screen shows (the dashboard page)."""
    keys = only or list(SECTION_TITLES)
    side_by_side = (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and settings.DASHBOARD_THREADS > 1
        and len(keys) > 1
    )
    with transaction.atomic(), _no_cyclic_collection():
        snapshot = _begin(export=side_by_side)
        summary = (
            summary_months(sorted(set(filters.months) | set(filters.trend_months)))
            if summarised
            else {}
        )
        builders = _builders(scope, filters, today, summary, full)
        if not side_by_side:
            return [builders[key]() for key in keys]
        # The sections that wait longest on the database go to the other threads, dealt out
        # in turn; this thread builds the rest.
        away = [key for key in AWAY if key in keys]
        threads = min(settings.DASHBOARD_THREADS - 1, len(away))
        shares = [away[i::threads] for i in range(threads)]
        with ThreadPoolExecutor(max_workers=threads) as pool:
            futures = [
                pool.submit(_on_snapshot, snapshot, [builders[key] for key in share])
                for share in shares
            ]
            built = {key: builders[key]() for key in keys if key not in away}
            for share, future in zip(shares, futures, strict=True):
                built |= dict(zip(share, future.result(), strict=True))
        return [built[key] for key in keys]


# The sections that spend the longest waiting on the database at national scale.
AWAY = ("actions", "safeguarding", "completion", "learning")


def _begin(*, export: bool) -> str | None:
    """The transaction's settings on PostgreSQL; with `export`, it reads one snapshot
    throughout (repeatable read) and gives its name for other transactions to read."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if export:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # PostgreSQL's JIT compiler spends seconds compiling these one-off aggregates over
        # large tables, more than it saves; and at the default random_page_cost (4, for
        # spinning disks) the planner reads all 2.7 million audits of a national database to
        # join them to one month's allocations rather than look 22,500 of them up by index
        # (0.5 s against 0.05 s). For this transaction only.
        cursor.execute("SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1")
        if not export:
            return None
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


def _on_snapshot(snapshot: str, builds: list[Callable[[], Section]]) -> list[Section]:
    """The sections `builds` make, in this thread, on its own connection, reading the
    exported snapshot; the connection is closed afterwards (the thread ends with the
    request)."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            _begin(export=False)
            return [build() for build in builds]
    finally:
        connection.close()


def section_of_table(table_key: str) -> str | None:
    """The section a table's key belongs to ("completion-by-month" → "completion")."""
    head = table_key.split("-", 1)[0]
    return head if head in SECTION_TITLES else None
