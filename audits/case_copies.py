"""Copies of a case's columns kept by the database beside the rows that are read by them
(issue 16): the case's team on each audit (`Audit.case_team`), its ID on each allocation
(`Allocation.case_external_id`).

- A team manager's home lists their teams' audits waiting for their oversight, longest
  waiting first. Found through each audit's allocation and case, that list walked every
  audit waiting for any team manager (323 at ten years of a large council) and looked up
  each one's case to keep the few of the reader's teams: 1.5 ms of PostgreSQL's time on
  every request, growing with the data. With the team on the audit, an index
  (`audit_team_waiting`: status, case team, finished) reads just the reader's rows.
- QA staff's review table shows a run's allocations by case ID, 25 a page: every one of
  the run's allocations (330) had its case looked up to sort them. With the ID on the
  allocation, an index (`allocation_run_table`: run, case ID, status) reads a page's rows
  in order.

A copy must never be stale, whatever writes, so the database keeps it: triggers, like
those of the change history (`accounts.history`) and the frame's version
(`sampling.frame_version`).
- A row written (inserted, or updated with its key to the case or the copy itself in the
  statement, as a model's full save is): its copy is read from the case. A stale value
  from the code cannot stick.
- A case moving team, or given another ID: the copies follow, in the same statement.
- An allocation given another case (the code never does): its copy and its audit's follow.
The copies are left out of the change history (the case's own history tells of a move).

The triggers are (re)installed after every `migrate` (SQLite rebuilds a table, and its
triggers with it, when a migration alters it), and every copy that differs from its case
is then put right: safe to repeat.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections

NAME = "casefile_case_copy"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables() -> tuple[str, str, str]:
    return tuple(
        _q(apps.get_model(label)._meta.db_table)
        for label in ("audits.Audit", "audits.Allocation", "sampling.Case")
    )


def _team_of(allocation_id: str) -> str:
    """SQL: the team of the case of the allocation `allocation_id` (an SQL expression)."""
    _audit, allocation, case = _tables()
    return (
        f"(SELECT c.team_id FROM {allocation} a JOIN {case} c ON c.id = a.case_id"
        f" WHERE a.id = {allocation_id})"
    )


def _reference_of(case_id: str) -> str:
    """SQL: the ID of the case `case_id` (an SQL expression); never NULL."""
    *_, case = _tables()
    return f"COALESCE((SELECT external_id FROM {case} WHERE id = {case_id}), '')"


def _postgresql_statements() -> list[str]:
    audit, allocation, case = _tables()

    def function(name: str, body: str) -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {NAME}_{name}() RETURNS trigger LANGUAGE plpgsql"
            f" AS $$ BEGIN {body} END $$"
        )

    def trigger(table: str, name: str, when: str, condition: str = "") -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {NAME}_{name} ON {table}",
            f"CREATE TRIGGER {NAME}_{name} {when} ON {table} FOR EACH ROW {condition}"
            f" EXECUTE FUNCTION {NAME}_{name}()",
        ]

    return [
        function("of_audit", f"NEW.case_team_id := {_team_of('NEW.allocation_id')}; RETURN NEW;"),
        function(
            "of_allocation",
            f"NEW.case_external_id := {_reference_of('NEW.case_id')}; RETURN NEW;",
        ),
        function(
            "case_moved",
            f"UPDATE {audit} SET case_team_id = NEW.team_id"
            f" WHERE allocation_id IN (SELECT id FROM {allocation} WHERE case_id = NEW.id)"
            f" AND case_team_id IS DISTINCT FROM NEW.team_id; RETURN NULL;",
        ),
        function(
            "case_renamed",
            f"UPDATE {allocation} SET case_external_id = NEW.external_id"
            f" WHERE case_id = NEW.id; RETURN NULL;",
        ),
        function(
            "allocation_moved",
            f"UPDATE {audit} SET case_team_id = (SELECT team_id FROM {case} WHERE id = NEW.case_id)"
            f" WHERE allocation_id = NEW.id; RETURN NULL;",
        ),
        *trigger(audit, "of_audit", "BEFORE INSERT OR UPDATE OF allocation_id, case_team_id"),
        *trigger(
            allocation, "of_allocation", "BEFORE INSERT OR UPDATE OF case_id, case_external_id"
        ),
        *trigger(
            case,
            "case_moved",
            "AFTER UPDATE OF team_id",
            "WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id)",
        ),
        *trigger(
            case,
            "case_renamed",
            "AFTER UPDATE OF external_id",
            "WHEN (OLD.external_id IS DISTINCT FROM NEW.external_id)",
        ),
        *trigger(
            allocation,
            "allocation_moved",
            "AFTER UPDATE OF case_id",
            "WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id)",
        ),
    ]


SQLITE_TRIGGERS = (
    "audit_insert",
    "audit_update",
    "allocation_insert",
    "allocation_update",
    "case_moved",
    "case_renamed",
    "allocation_moved",
)


def _sqlite_statements() -> list[str]:
    # SQLite's triggers cannot change the row being written: they write it again after.
    audit, allocation, case = _tables()
    team = _team_of("NEW.allocation_id")
    reference = _reference_of("NEW.case_id")
    set_audit = f"UPDATE {audit} SET case_team_id = {team} WHERE id = NEW.id;"
    set_allocation = f"UPDATE {allocation} SET case_external_id = {reference} WHERE id = NEW.id;"

    def trigger(name: str, when: str, body: str) -> str:
        return f"CREATE TRIGGER {NAME}_{name} {when} FOR EACH ROW {body}"

    return [f"DROP TRIGGER IF EXISTS {NAME}_{name}" for name in SQLITE_TRIGGERS] + [
        trigger("audit_insert", f"AFTER INSERT ON {audit}", f"BEGIN {set_audit} END"),
        trigger(
            "audit_update",
            f"AFTER UPDATE OF allocation_id, case_team_id ON {audit}",
            f"WHEN NEW.case_team_id IS NOT {team} BEGIN {set_audit} END",
        ),
        trigger(
            "allocation_insert", f"AFTER INSERT ON {allocation}", f"BEGIN {set_allocation} END"
        ),
        trigger(
            "allocation_update",
            f"AFTER UPDATE OF case_id, case_external_id ON {allocation}",
            f"WHEN NEW.case_external_id IS NOT {reference} BEGIN {set_allocation} END",
        ),
        trigger(
            "case_moved",
            f"AFTER UPDATE OF team_id ON {case}",
            f"WHEN OLD.team_id IS NOT NEW.team_id BEGIN UPDATE {audit}"
            f" SET case_team_id = NEW.team_id"
            f" WHERE allocation_id IN (SELECT id FROM {allocation} WHERE case_id = NEW.id); END",
        ),
        trigger(
            "case_renamed",
            f"AFTER UPDATE OF external_id ON {case}",
            f"WHEN OLD.external_id IS NOT NEW.external_id BEGIN UPDATE {allocation}"
            f" SET case_external_id = NEW.external_id WHERE case_id = NEW.id; END",
        ),
        trigger(
            "allocation_moved",
            f"AFTER UPDATE OF case_id ON {allocation}",
            f"WHEN OLD.case_id IS NOT NEW.case_id BEGIN UPDATE {audit}"
            f" SET case_team_id = (SELECT team_id FROM {case} WHERE id = NEW.case_id)"
            f" WHERE allocation_id = NEW.id; END",
        ),
    ]


def _columns(connection, table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def triggers_install(*, using: str = "default") -> int:
    """Put the triggers on the audit, allocation and case tables, then put right every copy
    that differs from its case; safe to repeat. Returns how many rows it put right."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    audit_table, allocation_table, case_table = (
        apps.get_model(label)._meta.db_table
        for label in ("audits.Audit", "audits.Allocation", "sampling.Case")
    )
    if not {audit_table, allocation_table, case_table} <= tables:
        return 0
    if "case_team_id" not in _columns(connection, audit_table) or (
        "case_external_id" not in _columns(connection, allocation_table)
    ):
        return 0  # migrated to a state before the copies
    if connection.vendor == "postgresql":
        statements, differs = _postgresql_statements(), "IS DISTINCT FROM"
    elif connection.vendor == "sqlite":
        statements, differs = _sqlite_statements(), "IS NOT"
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return 0
    audit, allocation, _case = _tables()
    team = _team_of(f"{audit}.allocation_id")
    reference = _reference_of(f"{allocation}.case_id")
    put_right = 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(
            f"UPDATE {audit} SET case_team_id = {team} WHERE case_team_id {differs} {team}"
        )
        put_right += cursor.rowcount
        cursor.execute(
            f"UPDATE {allocation} SET case_external_id = {reference}"
            f" WHERE case_external_id {differs} {reference}"
        )
        put_right += cursor.rowcount
    return put_right
