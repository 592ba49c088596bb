"""Several counts in one round trip to the database (issue 16).

A page that shows a handful of numbers (the home page's panels: exemption requests
waiting, unfinished actions, open cases) asked the database once for each; under load each
round trip costs more than the count. `count_all` asks for them together, as scalar
subqueries of one SELECT, so the page's query count stays the same however many numbers
it shows. Each queryset is counted as Django's `.count()` would count it (its rows, after
any `.distinct()`).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet, Value


def count_all(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """Each queryset's row count, by name, in one query (none for an empty dict)."""
    parts: list[str] = []
    params: list = []
    names: list[str] = []
    counts: dict[str, int] = {}
    for name, queryset in querysets.items():
        if queryset._fields is None:  # a model queryset: count its rows (a constant
            # column lets PostgreSQL count from an index alone)
            queryset = queryset.values(counted=Value(1))
        try:
            sql, more = queryset.order_by().query.sql_with_params()
        except EmptyResultSet:  # e.g. `id__in=[]`: nothing to ask
            counts[name] = 0
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{len(parts)})")
        params.extend(more)
        names.append(name)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(names, cursor.fetchone(), strict=True))
    return {name: counts[name] for name in querysets}
