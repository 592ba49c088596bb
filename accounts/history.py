"""Change history: every insert, update and delete of a tracked table, written by the
database itself (issue 14).

Why triggers: the services change audits, grades and allocations with conditional
`UPDATE … WHERE` statements (optimistic locking, claims, bulk confirmation), which no
model-signal library sees. A trigger sees every write, bulk or raw, on SQLite and on
PostgreSQL alike. Each row of `accounts.Change` holds the columns that changed (before and
after), who was signed in and when.

Who: a context variable holds the signed-in person for the request
(`HistoryActorMiddleware`) or for a block of code (`acting_as`). SQLite triggers read it
through an application-defined function registered on each connection; on PostgreSQL it is
passed as the session setting `casefile.actor` just before each write. Sweeps, commands
and the worker run as "the system" (no actor).

The triggers are (re)installed after every `migrate` for the tables of each app, so a
table that SQLite rebuilt in a migration gets its trigger back.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

_actor: contextvars.ContextVar[int | None] = contextvars.ContextVar("casefile_actor", default=None)

# Columns that change on every save and say nothing about what changed.
ALWAYS_EXCLUDED = ("updated_at",)


@dataclass(frozen=True)
class Tracked:
    exclude: tuple[str, ...] = ()
    inserts: bool = True
    # A row shown in its parent's history: (parent model label, column holding its id).
    parent: tuple[str, str] | None = None


# Case, audit, grade, action, allocation, policy and person records (issue 14).
TRACKED: dict[str, Tracked] = {
    "accounts.user": Tracked(exclude=("password", "last_login")),
    "accounts.team": Tracked(),
    "accounts.servicearea": Tracked(),
    "accounts.policy": Tracked(),
    # A case is created by an import, whose snapshot already records it: changes only.
    "sampling.case": Tracked(inserts=False),
    # Its case ID is the case's, copied by the database (`audits.case_copies`).
    "audits.allocation": Tracked(exclude=("case_external_id",)),
    "audits.exemptionrequest": Tracked(),
    # Its case team is the case's, copied by the database (`audits.case_copies`): the
    # case's own history tells of a move.
    "audits.audit": Tracked(exclude=("case_team",)),
    "audits.sectionanswer": Tracked(parent=("audits.audit", "audit_id")),
    "audits.childfamilyviews": Tracked(parent=("audits.audit", "audit_id")),
    "audits.smartaction": Tracked(parent=("audits.audit", "audit_id")),
    "remediation.remedialaction": Tracked(),
    "remediation.managementdecision": Tracked(parent=("remediation.remedialaction", "action_id")),
}


# Who is acting --------------------------------------------------------------------------


def current_actor() -> int | None:
    return _actor.get()


@contextlib.contextmanager
def acting_as(user) -> Iterator[None]:
    """Attribute the writes inside the block to `user` (None: the system)."""
    token = _actor.set(getattr(user, "pk", user))
    try:
        yield
    finally:
        _actor.reset(token)


def _is_write(sql: str) -> bool:
    head = sql.lstrip()[:7].upper()
    return head.startswith(("INSERT", "UPDATE", "DELETE"))


@cache
def _tracked_tables() -> frozenset[str]:
    return frozenset(apps.get_model(label)._meta.db_table for label in TRACKED)


def _needs_actor(sql: str) -> bool:
    """Whether a statement may fire a history trigger: any update or delete (it may cascade
    to a tracked table), and an insert into a tracked table. An insert into another table
    (the access log's record on every page that opens a child's record) fires none, so it
    is not preceded by a round trip to name the actor (issue 16)."""
    if not _is_write(sql):
        return False
    text = sql.lstrip()
    if text[:11].upper() != "INSERT INTO":
        return True
    table = text[11:].lstrip().split(None, 1)[0].split("(", 1)[0].strip('"')
    return table in _tracked_tables()


def _pass_actor(execute, sql, params, many, context):
    """PostgreSQL: tell the triggers who is acting, just before each write. Once a
    connection has carried a person, every later write sets it again (to nobody, for the
    system), so a kept-alive connection never lends one person's name to another's write,
    even after a rolled-back transaction undid a setting. A write no trigger sees
    (`_needs_actor`) is left as it is: the next write a trigger sees sets the actor."""
    connection = context["connection"]
    if _needs_actor(sql):
        actor = _actor.get()
        if actor is not None or getattr(connection, "_casefile_actor_sent", False):
            with connection.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('casefile.actor', %s, false)",
                    ["" if actor is None else str(actor)],
                )
            connection._casefile_actor_sent = True
    return execute(sql, params, many, context)


class HistoryActorMiddleware:
    """The signed-in person is the actor of every write their request makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = user.pk if user is not None and user.is_authenticated else None
        token = _actor.set(actor)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


# Each new connection: SQLite calls back into Python for the actor and the time;
# PostgreSQL is told the actor before each write.


def _sqlite_now() -> str:
    from django.utils import timezone

    return timezone.now().astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


@receiver(connection_created, dispatch_uid="casefile-history-actor")
def _on_connection(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("casefile_actor", 0, current_actor)
        connection.connection.create_function("casefile_now", 0, _sqlite_now)
    elif connection.vendor == "postgresql":
        connection._casefile_actor_sent = False
        if _pass_actor not in connection.execute_wrappers:
            connection.execute_wrappers.append(_pass_actor)


# Installing the triggers ----------------------------------------------------------------

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION casefile_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    excluded text[] := string_to_array(TG_ARGV[1], ',');
    old_row jsonb;
    new_row jsonb;
    before jsonb;
    after jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - excluded; END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - excluded; END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, new_row -> o.key)
          INTO before, after
          FROM jsonb_each(old_row) o
         WHERE o.value IS DISTINCT FROM new_row -> o.key;
        IF before IS NULL THEN RETURN NULL; END IF;
    ELSE
        before := old_row;
        after := new_row;
    END IF;
    INSERT INTO accounts_change (model, object_id, operation, before, after, actor_id, at)
    VALUES (
        TG_ARGV[0],
        COALESCE(new_row, old_row) ->> TG_ARGV[2],
        lower(TG_OP),
        before,
        after,
        NULLIF(current_setting('casefile.actor', true), '')::bigint,
        clock_timestamp()
    );
    RETURN NULL;
END
$$;
"""


def _columns(model, track: Tracked) -> list[str]:
    skip = set(track.exclude) | set(ALWAYS_EXCLUDED)
    return [f.column for f in model._meta.local_concrete_fields if f.name not in skip and f.column]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_statements(label: str, model, track: Tracked) -> list[str]:
    table = model._meta.db_table
    pk = model._meta.pk.column
    cols = _columns(model, track)

    def obj(row: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {row}.{_q(c)}" for c in cols) + ")"

    def changed(side: str) -> str:
        return (
            f"(SELECT json_group_object(o.key, {side}.value) FROM json_each({obj('OLD')}) o "
            f"JOIN json_each({obj('NEW')}) n ON n.key = o.key WHERE o.value IS NOT n.value)"
        )

    insert = (
        "INSERT INTO accounts_change (model, object_id, operation, before, after, actor_id, at)"
    )
    name = f"casefile_history_{table}"
    statements = [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in ("insert", "update", "delete")]
    if track.inserts:
        statements.append(
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {_q(table)} FOR EACH ROW BEGIN "
            f"{insert} VALUES ('{label}', CAST(NEW.{_q(pk)} AS TEXT), 'insert', NULL, "
            f"{obj('NEW')}, casefile_actor(), casefile_now()); END"
        )
    differs = " OR ".join(f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in cols)
    statements.append(
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {_q(table)} FOR EACH ROW "
        f"WHEN {differs} BEGIN "
        f"{insert} VALUES ('{label}', CAST(NEW.{_q(pk)} AS TEXT), 'update', {changed('o')}, "
        f"{changed('n')}, casefile_actor(), casefile_now()); END"
    )
    statements.append(
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {_q(table)} FOR EACH ROW BEGIN "
        f"{insert} VALUES ('{label}', CAST(OLD.{_q(pk)} AS TEXT), 'delete', {obj('OLD')}, "
        f"NULL, casefile_actor(), casefile_now()); END"
    )
    return statements


def _postgresql_statements(label: str, model, track: Tracked) -> list[str]:
    table = model._meta.db_table
    skip = set(track.exclude) | set(ALWAYS_EXCLUDED)
    excluded = ",".join(f.column for f in model._meta.local_concrete_fields if f.name in skip)
    events = "INSERT OR UPDATE OR DELETE" if track.inserts else "UPDATE OR DELETE"
    return [
        f"DROP TRIGGER IF EXISTS casefile_history ON {_q(table)}",
        f"CREATE TRIGGER casefile_history AFTER {events} ON {_q(table)} FOR EACH ROW "
        f"EXECUTE FUNCTION casefile_history('{label}', '{excluded}', '{model._meta.pk.column}')",
    ]


def triggers_install(*, app_label: str | None = None, using: str = "default") -> int:
    """Put the history trigger on each tracked table (of one app, or all); safe to repeat.
    Returns how many tables it covered."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if apps.get_model("accounts", "Change")._meta.db_table not in tables:
        return 0
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
        for label, track in TRACKED.items():
            if app_label and not label.startswith(f"{app_label}."):
                continue
            model = apps.get_model(label)
            if model._meta.db_table not in tables:
                continue
            if connection.vendor == "postgresql":
                statements = _postgresql_statements(label, model, track)
            elif connection.vendor == "sqlite":
                statements = _sqlite_statements(label, model, track)
            else:  # pragma: no cover - only SQLite and PostgreSQL are supported
                continue
            for statement in statements:
                cursor.execute(statement)
            done += 1
    return done


# Reading it back ------------------------------------------------------------------------


@dataclass
class ChangeLine:
    field: str
    before: str
    after: str


def _shown(value, limit: int = 120) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _labels(label: str) -> dict[str, str]:
    model = apps.get_model(label)
    return {f.column: str(f.verbose_name) for f in model._meta.local_concrete_fields}


# What a history shows of each change and of the person who made it: plain values.
_CHANGE_ROW = (
    "model",
    "object_id",
    "operation",
    "before",
    "after",
    "at",
    "actor_id",
    "actor__full_name",
)


def _children(label: str) -> dict[str, tuple[str, ...]]:
    """The kinds of row shown in a record's history (`Tracked.parent`), by the column that
    holds the record's id."""
    found: dict[str, list[str]] = {}
    for child, track in TRACKED.items():
        if track.parent and track.parent[0] == label:
            found.setdefault(track.parent[1], []).append(child)
    return {column: tuple(found[column]) for column in sorted(found)}


@cache
def _history_builder(label: str, limit: int | None):
    """The builder of a record's newest changes and its child rows' (`_children`), for
    `accounts.compiled.rows_for`: one a kind of record, so each keeps its SQL.

    One query (issue 16): the changes whose model and id are among the record's own and
    its child rows' (found by their inserts, which hold the record's id). Inside, an OR of
    two conditions each on an index (`change_object_at`; `change_insert_audit` or
    `change_insert_action`); outside, each (model, id) found read on `change_object_at`.
    An OR of the two kinds of change in the outer query read the whole table (PostgreSQL
    cannot use an index for an OR of subqueries)."""
    from django.db.models import F, JSONField, Q, Value
    from django.db.models.fields.tuple_lookups import TupleIn
    from django.db.models.functions import Cast

    from .compiled import holding
    from .models import Change

    children = _children(label)
    # The names of the kinds and the columns (from `TRACKED`, in the code) are values of the
    # SQL too: as they are, the columns as JSON paths too (SQLite).
    constants = [label, "insert"]
    for column, models_ in children.items():
        constants += [column, f'$."{column}"', *models_]

    @holding(*constants)
    def history(object_id: str, parent_json: str):
        # The id as text for the record's own rows, and as its JSON text (`"20000175"`),
        # cast to jsonb in the database, for the child rows' inserts.
        found = Q(model=label, object_id=object_id)
        for column, models_ in children.items():
            found |= Q(
                model__in=models_,
                operation="insert",
                **{f"after__{column}": Cast(Value(parent_json), JSONField())},
            )
        keys = Change.objects.filter(found).order_by().values_list("model", "object_id")
        return (
            Change.objects.filter(TupleIn((F("model"), F("object_id")), keys.query))
            .order_by("-at", "-id")
            .values_list(*_CHANGE_ROW)[:limit]
        )

    return history


@cache
def _own_changes_builder(limit: int | None):
    """The builder of a record's own newest changes (no child rows), for `rows_for`."""
    from .models import Change

    def own_changes(label: str, object_id: str):
        return (
            Change.objects.filter(model=label, object_id=object_id)
            .order_by("-at", "-id")
            .values_list(*_CHANGE_ROW)[:limit]
        )

    return own_changes


def changes_of(obj, *, limit: int = 200, offset: int = 0) -> list[dict]:
    """The newest `limit` changes of one tracked record and of the rows shown with it (an
    audit's grades, views and SMART actions), after skipping the newest `offset`, oldest
    first: who, when, what, and each field before and after. One query, each part on an
    index. The first page's SQL is built once a process (`_history_builder`, or
    `_own_changes_builder` for a record without child rows; `accounts.compiled.rows_for`);
    a later page's query is built as Django builds it (its offset is in the SQL)."""
    import json

    from .compiled import rows_for
    from .models import ChangeOperation, User

    label = obj._meta.label_lower
    if _children(label):
        args = (str(obj.pk), json.dumps(obj.pk))
        builder = _history_builder(label, None if offset else limit)
    else:
        args = (label, str(obj.pk))
        builder = _own_changes_builder(None if offset else limit)
    rows = list(builder(*args)[offset : offset + limit]) if offset else rows_for(builder, *args)
    labels = {m: _labels(m) for m in {r[0] for r in rows}}
    operations = dict(ChangeOperation.choices)
    out = []
    for model, object_id, operation, before, after, at, actor_id, actor_name in reversed(rows):
        before, after = before or {}, after or {}
        names = labels[model]
        lines = [
            ChangeLine(names.get(key, key), _shown(before.get(key)), _shown(after.get(key)))
            for key in sorted(
                set(before) | set(after), key=lambda k: list(names).index(k) if k in names else 999
            )
            if operation != "update" or before.get(key) != after.get(key)
        ]
        out.append(
            {
                "at": at,
                # The person as the page shows them: their id and name.
                "who": User(pk=actor_id, full_name=actor_name) if actor_id else None,
                "what": apps.get_model(model)._meta.verbose_name,
                "operation": operations.get(operation, operation),
                "object_id": object_id,
                "lines": lines,
            }
        )
    return out
