"""Several counts in one round trip to the database (issue 16).

A page that shows a handful of numbers (the home page's panels: exemption requests
waiting, unfinished actions, open cases) asked the database once for each; under load each
round trip costs more than the count. `count_all` asks for them together, as scalar
subqueries of one SELECT, so the page's query count stays the same however many numbers
it shows; `count_columns` gives the same subqueries as columns for a page to read beside
other facts in a query of its own. Each queryset is counted as Django's `.count()` would
count it (its rows, after any `.distinct()`).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL


def _count_sql(queryset: QuerySet, alias: str) -> tuple[str, list] | None:
    """`(SELECT COUNT(*) FROM (…) alias)` for the queryset, or None when it is known to be
    empty without asking (e.g. `id__in=[]`)."""
    if queryset._fields is None:  # a model queryset: count its rows (a constant
        # column lets PostgreSQL count from an index alone)
        queryset = queryset.values(counted=Value(1))
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"(SELECT COUNT(*) FROM ({sql}) {alias})", list(params)


def count_columns(querysets: dict[str, QuerySet]) -> tuple[dict[str, RawSQL], dict[str, int]]:
    """Each queryset's row count as an expression to select (by name), and the counts known
    without asking (0 for a queryset that cannot have rows)."""
    columns: dict[str, RawSQL] = {}
    known: dict[str, int] = {}
    for index, (name, queryset) in enumerate(querysets.items()):
        found = _count_sql(queryset, f"counted_{index}")
        if found is None:
            known[name] = 0
        else:
            columns[name] = RawSQL(found[0], found[1], output_field=IntegerField())
    return columns, known


def count_all(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """Each queryset's row count, by name, in one query (none for an empty dict)."""
    parts: list[str] = []
    params: list = []
    names: list[str] = []
    counts: dict[str, int] = {}
    for name, queryset in querysets.items():
        found = _count_sql(queryset, f"counted_{len(parts)}")
        if found is None:  # nothing to ask
            counts[name] = 0
            continue
        parts.append(found[0])
        params.extend(found[1])
        names.append(name)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(names, cursor.fetchone(), strict=True))
    return {name: counts[name] for name in querysets}


def counts_and_columns(
    querysets: dict[str, QuerySet], *, row: QuerySet, columns: dict | None = None
) -> dict:
    """Each queryset's row count (as `count_all`) and each of `columns` (expressions, say a
    `Subquery` of one value), read as the columns of `row`, a queryset of exactly one row
    (the person's own, say): one query for every number and fact a page shows."""
    if not columns:  # counts alone: one SELECT of them, no row to read them beside
        return count_all(querysets)
    counted, known = count_columns(querysets)
    named = {**counted, **(columns or {})}
    # Plain aliases: the names may hold dots and colons.
    aliases = {f"fact_{index}": name for index, name in enumerate(named)}
    values = row.order_by().values(**{alias: named[name] for alias, name in aliases.items()})
    found = values.get() if aliases else {}
    facts = {name: found[alias] for alias, name in aliases.items()}
    return {name: known[name] if name in known else facts[name] for name in {**querysets, **named}}
