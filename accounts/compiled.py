"""Queries whose SQL is built once a process (issue 16).

Some queries run on every page, the same question about a different person or audit: who
they are (`accounts.user_access`), their newest notices, an audit's parts. Django builds a
query's SQL afresh each time, and for these that took longer than the database took to
answer. `rows_for(builder, *args)` builds the SQL once, from the ORM, for stand-in arguments
no real request has (negative ids, dates a thousand years ago, marked text), and runs it with
the request's arguments in their places.

It builds it twice, for two sets of stand-ins, and keeps the SQL only when both give the
same SQL, every parameter is one of the stand-ins (the same argument at the same place both
times) and every argument is used; otherwise (a query that also takes a constant, even one
equal to a stand-in, or derives a value from an argument) it builds the query every time, as
Django would. The builder takes the arguments and nothing else, so nothing about one
request can be built into the SQL that another's runs; it must use its arguments only as
values to compare with, never to choose the query's shape (the stand-ins are not real ids).

The arguments are scalars of known kinds: whole numbers (ids), text and dates. Any other
(None, a bool, a datetime), or a query that does not give tuples (`values_list` without
`flat` or `named`), is built every time.

A builder whose query also holds fixed values (statuses named in the code, say) declares
them with `@holding(...)`: a parameter equal to one of them, the same in both builds, is
then kept as it is. Only constants of the code belong there, never a value read from the
database, the clock or a request (it would be kept for every later request).

On PostgreSQL the statement is also prepared, once a connection (`PREPARED_READS`): the
database parses and plans it once and then only runs it, where planning was often longer
than running (issue 16). Its text arguments and constants are written into the prepared
SQL as quoted literals (they are statuses and other words of the code, a few values each),
so the database plans for the status asked, as it does when they are sent with the query:
with the status a parameter, an index that holds only some statuses could not be used.
A builder whose text arguments come from a request instead (an id typed in an address)
says so with `@text_varies`: its text is sent as a parameter, so there is one prepared
statement, not one for each value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesListIterable

# No person has these ids (ids start at 1), and no query of ours holds them as constants.
NOBODY = (-104_729, -130_363)

# Two sets of stand-ins a kind, one a position among the builder's arguments of that kind
# (up to ten arguments of a kind): unrelated to each other (no argument's value derived from
# another's matches both times).
_STAND_INS: dict[type, tuple[tuple, tuple]] = {
    int: (
        (NOBODY[0], -224_737, -350_377, -479_909, -611_953, -746_773)
        + (-157_291, -268_343, -397_811, -523_667),
        (NOBODY[1], -882_377, -991_153, -573_259, -412_891, -287_117)
        + (-936_319, -661_541, -328_019, -805_663),
    ),
    str: (
        tuple(f"~stand-in {n} a~" for n in "abcdefghij"),
        tuple(f"~stand-in {n} b~" for n in "qrstuvwxyz"),
    ),
    dt.date: (
        tuple(dt.date(1111, 1, 1) + dt.timedelta(days=n * 37) for n in range(10)),
        tuple(dt.date(1222, 7, 3) + dt.timedelta(days=n * 53) for n in range(10)),
    ),
}


def _kind(value) -> type | None:
    kind = type(value)
    return kind if kind in _STAND_INS else None


# How a parameter is made from its argument: as it is, or as the database's date; or a
# constant the builder declared (`holding`), kept as it is.
_AS_IS = "as is"
_AS_DATE = "as date"
_CONSTANT = "constant"


def holding(*constants):
    """Declare the fixed values (text or whole numbers, from the code) that a builder's
    query holds besides its arguments, e.g. `@holding(*LIVE_STATUSES)`."""

    def mark(builder):
        builder.compiled_constants = tuple(constants)
        return builder

    return mark


def text_varies(builder):
    """Declare that the builder's text arguments come from requests (not from the code):
    when its statement is prepared they are parameters, not literals in its SQL."""
    builder.compiled_text_varies = True
    return builder


def _constants(builder) -> tuple | None:
    """The builder's declared constants; None when one is of another kind or could be
    taken for a stand-in."""
    constants = getattr(builder, "compiled_constants", ())
    stand_ins = {v for sets in _STAND_INS.values() for options in sets for v in options}
    for value in constants:
        if not isinstance(value, str | int) or isinstance(value, bool) or value in stand_ins:
            return None
    return constants


def _is_constant(param, constants: tuple) -> bool:
    if not isinstance(param, str | int) or isinstance(param, bool):
        return False
    return any(isinstance(param, str) == isinstance(c, str) and param == c for c in constants)


@dataclass(frozen=True)
class _Built:
    sql: str
    # Each parameter of the SQL: which argument (by position) and how it is made from it,
    # or a declared constant and `_CONSTANT`.
    params: tuple[tuple, ...]
    # By column: the functions (and their expression) that turn the database's values into
    # Python's, as Django would apply them (e.g. SQLite's dates, kept as text).
    converters: list
    # Whether its text is sent as parameters when prepared (`text_varies`).
    text_varies: bool = False


_built: dict[tuple, _Built | None] = {}


def _stand_ins(kinds: tuple[type, ...], which: int) -> list | None:
    taken: dict[type, int] = {}
    args = []
    for kind in kinds:
        options = _STAND_INS[kind][which]
        n = taken.get(kind, 0)
        if n >= len(options):
            return None
        taken[kind] = n + 1
        args.append(options[n])
    return args


def _placed(params, args: list, constants: tuple = ()) -> tuple[tuple, ...] | None:
    """Which argument each parameter is (or which declared constant), or None when one is
    neither."""
    placed = []
    for param in params:
        for position, arg in enumerate(args):
            if type(param) is type(arg) and param == arg:
                placed.append((position, _AS_IS))
                break
            if isinstance(arg, dt.date):
                as_date = connection.ops.adapt_datefield_value(arg)
                if type(param) is type(as_date) and param == as_date:
                    placed.append((position, _AS_DATE))
                    break
        else:
            if not _is_constant(param, constants):
                return None
            placed.append((param, _CONSTANT))
    return tuple(placed)


def _build(
    builder: Callable[..., QuerySet], kinds: tuple[type, ...] = (int,), *, flat: bool = False
) -> _Built | None:
    """The builder's SQL for arguments of `kinds`, or None when it cannot be kept. A query
    of tuples (`values_list`); with `flat`, of one column (`values_list(…, flat=True)`) too."""
    constants = _constants(builder)
    if constants is None:
        return None
    built = []
    for which in (0, 1):
        args = _stand_ins(kinds, which)
        if args is None:
            return None
        try:
            queryset = builder(*args)
        except Exception:  # e.g. a negative stand-in as a slice: the builder is not for this
            return None
        if not isinstance(queryset, QuerySet):
            return None
        allowed = (ValuesListIterable, FlatValuesListIterable) if flat else (ValuesListIterable,)
        if queryset._iterable_class not in allowed:
            return None
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. an empty slice: Django answers without asking
            return None
        placed = _placed(params, args, constants)
        used = {position for position, how in placed or () if how != _CONSTANT}
        if placed is None or used != set(range(len(args))):
            return None
        built.append((sql, placed, compiler))
    (sql, placed, compiler), (other_sql, other_placed, _) = built
    if sql != other_sql or placed != other_placed:
        return None
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    return _Built(
        sql,
        placed,
        list(compiler.get_converters(fields).items()),
        getattr(builder, "compiled_text_varies", False),
    )


def _params(built: _Built, args: tuple) -> list:
    return [
        args[place]
        if how == _AS_IS
        else place
        if how == _CONSTANT
        else connection.ops.adapt_datefield_value(args[place])
        for place, how in built.params
    ]


def subquery_for(builder: Callable[..., QuerySet], *args) -> tuple[str, list] | None:
    """The SQL and parameters of `builder(*args)` (a `values_list` query, flat or not), to
    be placed inside another statement; its SQL built once a process as `rows_for`'s is.
    None when the builder gives no query (or its SQL cannot be kept: then the caller
    builds it as Django would)."""
    kinds = tuple(_kind(arg) for arg in args)
    if not args or None in kinds:
        return None
    key = (builder, connection.vendor, kinds, "subquery")
    if key not in _built:
        _built[key] = _build(builder, kinds, flat=True)
    built = _built[key]
    return None if built is None else (built.sql, _params(built, args))


def _prepares() -> bool:
    from django.conf import settings

    return connection.vendor == "postgresql" and settings.PREPARED_READS


_PLACEHOLDER = re.compile(r"%[s%]")

# The prepared statements' SQL, by built SQL and the text written into it: a few hundred
# at most (a builder's statuses), cleared should it grow past this.
_written: dict[tuple, tuple[str, tuple[int, ...]]] = {}
WRITTEN_KEPT = 1024


def _with_text_written(built: _Built, params: list) -> tuple[str, list]:
    """`built`'s SQL with its text parameters written in as quoted literals, and the
    parameters left (`text_varies`: none written)."""
    if built.text_varies:
        return built.sql, params
    texts = tuple((n, p) for n, p in enumerate(params) if isinstance(p, str))
    if not texts:
        return built.sql, params
    key = (built.sql, texts)
    found = _written.get(key)
    if found is None:
        from psycopg.sql import Literal

        written = dict(texts)
        connection.ensure_connection()  # quoted as this connection quotes
        raw = connection.connection
        parts, at, n = [], 0, 0
        for match in _PLACEHOLDER.finditer(built.sql):
            parts.append(built.sql[at : match.start()])
            at = match.end()
            if match.group() == "%%":
                parts.append("%%")
                continue
            if n in written:
                literal = Literal(written[n]).as_string(raw)
                parts.append(literal.replace("%", "%%"))
            else:
                parts.append("%s")
            n += 1
        parts.append(built.sql[at:])
        kept = tuple(i for i in range(len(params)) if i not in written)
        found = ("".join(parts), kept)
        if len(_written) >= WRITTEN_KEPT:
            _written.clear()
        _written[key] = found
    sql, kept = found
    return sql, [params[i] for i in kept]


def prepared_cursor():
    """For a statement whose SQL is the same at every request (its values parameters): on
    PostgreSQL, a cursor (Django's, so its queries are counted and wrapped as any other)
    over one that sends the parameters apart from the SQL and prepares the statement on the
    connection the first time it runs it there (`PREPARED_READS`); else Django's cursor."""
    if not _prepares():
        return connection.cursor()
    prepared, logged = _prepared_classes()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's: none prepared; ours are, when asked
        raw.prepare_threshold = 2**31 - 1
        raw.prepared_max = PREPARED_KEPT
    cursor = prepared(raw)
    if connection.queries_logged:
        connection.validate_thread_sharing()
        return logged(cursor, connection)
    return connection.make_cursor(cursor)


# Statements kept prepared on a connection (psycopg's default is 100; the key pages and
# their second pages prepare about 40), the least used let go past it.
PREPARED_KEPT = 400


@cache
def _prepared_classes():
    """The cursor that prepares every statement it runs, and Django's wrapper that records
    its queries (tests, DEBUG) as Django records any other: with their values in place."""
    from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
    from django.db.backends.utils import CursorWrapper
    from psycopg import ClientCursor

    class Prepared(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    class Logged(CursorDebugWrapper):
        def execute(self, sql, params=None):
            shown = ClientCursor(self.cursor.connection).mogrify(sql, params)
            with self.debug_sql(shown):
                return CursorWrapper.execute(self, sql, params)

    return Prepared, Logged


def rows_for(builder: Callable[..., QuerySet], *args) -> list[tuple]:
    """The rows of `builder(*args)` (a `values_list` query), its SQL built once a process
    for each builder, database and kinds of argument (whole numbers, text, dates)."""
    kinds = tuple(_kind(arg) for arg in args)
    if not args or None in kinds:
        return list(builder(*args))
    key = (builder, connection.vendor, kinds)
    if key not in _built:
        _built[key] = _build(builder, kinds)
    built = _built[key]
    if built is None:
        return list(builder(*args))
    params = _params(built, args)
    sql = built.sql
    if _prepares():
        sql, params = _with_text_written(built, params)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
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


def rows_for_person(builder: Callable[[int], QuerySet], person_id: int) -> list[tuple]:
    """The rows of `builder(person_id)` (a `values_list` query), its SQL built once a
    process for each builder and database."""
    return rows_for(builder, person_id)
