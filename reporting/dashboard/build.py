"""The dashboard as a list of sections, for the page, the downloads and the reports.

Each section is read by its own module with a fixed number of queries (see each docstring):
completion 5, quality 6, actions 2, learning 2, safeguarding 2, consistency 3 (the agreement
reads) + 1. Aggregation is done in the database with GROUP BY and FILTER; see the README's
"Dashboard" section for why there is no summary table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction

from .actions import actions_section
from .completion import completion_section
from .consistency import consistency_section
from .filters import Filters
from .learning import learning_section
from .quality import quality_section
from .safeguarding import safeguarding_section
from .scope import ReaderScope
from .tables import Section

SECTION_TITLES = {
    "completion": "Completion",
    "quality": "Quality of practice",
    "actions": "Actions",
    "learning": "Learning",
    "safeguarding": "Safeguarding and inadequate",
    "consistency": "Consistency",
}


def _builders(scope: ReaderScope, filters: Filters, today: dt.date) -> dict[str, Callable]:
    return {
        "completion": lambda: completion_section(scope=scope, filters=filters, today=today),
        "quality": lambda: quality_section(scope=scope, filters=filters),
        "actions": lambda: actions_section(scope=scope, filters=filters, today=today),
        "learning": lambda: learning_section(scope=scope, filters=filters),
        "safeguarding": lambda: safeguarding_section(scope=scope, filters=filters, today=today),
        "consistency": lambda: consistency_section(scope=scope, filters=filters),
    }


def build_sections(
    *, scope: ReaderScope, filters: Filters, today: dt.date, only: list[str] | None = None
) -> list[Section]:
    builders = _builders(scope, filters, today)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # PostgreSQL's JIT compiler spends seconds compiling these one-off aggregates
            # over large tables, more than it saves; off for this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return [builders[key]() for key in (only or list(builders))]


def section_of_table(table_key: str) -> str | None:
    """The section a table's key belongs to ("completion-by-month" → "completion")."""
    head = table_key.split("-", 1)[0]
    return head if head in SECTION_TITLES else None
