"""The sampling frame's data version: a token that changes with every committed write to
what the frame page counts (issue 16).

The frame page counts every case by status, type and service area (1.7 ms of PostgreSQL's
time at ten years, the page's dearest part). The counts change only when a case's status,
type, team, audit flag or reopening changes, a case comes or goes, a team moves to another
service area or an area is renamed. Database triggers on those tables and columns give the
row `sampling.DataVersion("frame")` a new random token on every such write, bulk or raw,
in the writer's own transaction, so a reader sees the new token exactly when it sees the
write. The page reads the token in the same statement as the counts, and asks for the
counts only when the token differs from the one its process kept them under
(`sampling.selectors._open_case_counts`): correct after every write, and the same for
every reader (QA staff see the whole frame).

- PostgreSQL: one constraint trigger a table, deferred to the commit, so a long import does
  not hold the version row's lock while it works; a transaction changes the token once (a
  flag local to the transaction), however many rows it writes. A TRUNCATE changes it too.
- SQLite (one writer at a time): a trigger a row and event.
- A token is random, never a count: a rolled-back write or a database made afresh cannot
  bring back a token that a process still keeps counts under.
- The page uses its kept counts only outside a transaction (`connection.in_atomic_block`):
  inside one, PostgreSQL's token would not yet show the transaction's own writes.

The triggers are (re)installed after every `migrate` (SQLite rebuilds a table, and its
triggers with it, when a migration alters it).
"""

from __future__ import annotations

import secrets

from django.apps import apps
from django.db import connections

FRAME = "frame"

# Each table the frame's counts read, and the columns whose change changes them.
WATCHED: dict[str, tuple[str, ...]] = {
    "sampling.case": ("status", "case_type", "team_id", "audit_open", "reopened_on"),
    "accounts.team": ("service_area_id",),
    "accounts.servicearea": ("name",),
}

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION casefile_frame_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('casefile.frame_version_changed', true) IS DISTINCT FROM '1' THEN
        PERFORM set_config('casefile.frame_version_changed', '1', true);
        INSERT INTO {table} (name, token)
        VALUES ('{name}', md5(random()::text || clock_timestamp()::text))
        ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token;
    END IF;
    RETURN NULL;
END
$$;
"""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _postgresql_statements(table: str, columns: tuple[str, ...]) -> list[str]:
    name = "casefile_frame_version"
    of = ", ".join(_q(c) for c in columns)
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {_q(table)}",
        f"DROP TRIGGER IF EXISTS {name}_truncate ON {_q(table)}",
        f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {of}"
        f" ON {_q(table)} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        f" EXECUTE FUNCTION casefile_frame_version()",
        f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {_q(table)}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION casefile_frame_version()",
    ]


def _sqlite_statements(table: str, columns: tuple[str, ...], version_table: str) -> list[str]:
    name = f"casefile_frame_version_{table}"
    of = ", ".join(_q(c) for c in columns)
    # No conflict clause: in a trigger, the outer statement's (an import's upsert) rules.
    change = (
        f"UPDATE {_q(version_table)} SET token = lower(hex(randomblob(16)))"
        f" WHERE name = '{FRAME}'; INSERT INTO {_q(version_table)} (name, token)"
        f" SELECT '{FRAME}', lower(hex(randomblob(16))) WHERE NOT EXISTS"
        f" (SELECT 1 FROM {_q(version_table)} WHERE name = '{FRAME}')"
    )
    statements = [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in ("insert", "update", "delete")]
    for op, event in (("insert", "INSERT"), ("update", f"UPDATE OF {of}"), ("delete", "DELETE")):
        statements.append(
            f"CREATE TRIGGER {name}_{op} AFTER {event} ON {_q(table)} FOR EACH ROW"
            f" BEGIN {change}; END"
        )
    return statements


def triggers_install(*, using: str = "default") -> int:
    """Put the frame's version triggers on the tables it counts; safe to repeat. Returns
    how many tables it covered."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    version_table = apps.get_model("sampling", "DataVersion")._meta.db_table
    if version_table not in tables:
        return 0
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION.format(table=_q(version_table), name=FRAME))
        for label, columns in WATCHED.items():
            table = apps.get_model(label)._meta.db_table
            if table not in tables:
                continue
            if connection.vendor == "postgresql":
                statements = _postgresql_statements(table, columns)
            elif connection.vendor == "sqlite":
                statements = _sqlite_statements(table, columns, version_table)
            else:  # pragma: no cover - only SQLite and PostgreSQL are supported
                continue
            for statement in statements:
                cursor.execute(statement)
            done += 1
        # A first token, so that the counts are kept from the start; any write changes it.
        cursor.execute(
            f"INSERT INTO {_q(version_table)} (name, token) VALUES (%s, %s)"
            " ON CONFLICT (name) DO NOTHING",
            [FRAME, secrets.token_hex(16)],
        )
    return done
