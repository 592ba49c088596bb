"""Queries whose SQL is built once a process (issue 16).

Some queries run on every page, the same question about a different person: who they are
(`accounts.user_access`), their newest notices. Django builds a query's SQL afresh each
time, and for these that took longer than the database took to answer. `rows_for_person`
builds the SQL once, from the ORM, for no one (a person id no one has), and runs it with the
person's id in its place. It builds it twice, for two such ids, and keeps the SQL only when
both give the same SQL and that id is its only parameter, each time it appears; otherwise (a
query that also takes a constant, even one equal to the id) it builds the query every time,
as Django would. The builder takes the person's id and nothing else, so nothing about one
person can be built into the SQL that another's request runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

# No person has these ids (ids start at 1), and no query of ours holds them as constants.
NOBODY = (-104_729, -130_363)


@dataclass(frozen=True)
class _Built:
    sql: str
    uses: int  # how many times the person's id is a parameter
    # By column: the functions (and their expression) that turn the database's values into
    # Python's, as Django would apply them (e.g. SQLite's dates, kept as text).
    converters: list


_built: dict[tuple[Callable, str], _Built | None] = {}


def _build(builder: Callable[[int], QuerySet]) -> _Built | None:
    built = []
    for nobody in NOBODY:
        compiler = builder(nobody).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if not params or any(p != nobody for p in params):
            return None
        built.append((sql, len(params), compiler))
    (sql, uses, compiler), (other_sql, other_uses, _) = built
    if sql != other_sql or uses != other_uses:
        return None
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    return _Built(sql, uses, list(compiler.get_converters(fields).items()))


def rows_for_person(builder: Callable[[int], QuerySet], person_id: int) -> list[tuple]:
    """The rows of `builder(person_id)` (a `values_list` query), its SQL built once a
    process for each builder and database."""
    key = (builder, connection.vendor)
    if key not in _built:
        _built[key] = _build(builder)
    built = _built[key]
    if built is None:
        return list(builder(person_id))
    with connection.cursor() as cursor:
        cursor.execute(built.sql, [person_id] * built.uses)
        rows = cursor.fetchall()
    if not built.converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in built.converters:
            for function in functions:
                row[position] = function(row[position], expression, connection)
        converted.append(tuple(row))
    return converted
