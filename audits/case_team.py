"""The case's team on each audit (`Audit.case_team`), kept by the database (issue 16).

A team manager's home lists their teams' audits waiting for their oversight, longest
waiting first. Found through the audit's allocation and its case, that list walked every
audit waiting for any team manager (323 at ten years of a large council) and looked up
each one's case, to keep the few of the reader's teams: 1.5 ms of PostgreSQL's time on
every request, growing with the data. With the case's team on the audit, an index
(`audit_team_waiting`: status, case team, finished) reads just the reader's rows.

The column is a copy, so the database keeps it, whatever writes: triggers, like those of
the change history (`accounts.history`) and the frame's version (`sampling.frame_version`).
- An audit written (inserted, or updated with its allocation or this column in the
  statement, as a model's full save is): the column is set from its allocation's case.
  A stale value from the code cannot stick.
- A case moving team: its audits follow, in the same statement.
- An allocation given another case (the code never does): its audit follows.
The column is left out of the audit's change history (the case's own history tells of
its move).

The triggers are (re)installed after every `migrate` (SQLite rebuilds a table, and its
triggers with it, when a migration alters it), and every audit whose column differs from
its case's team is then put right: safe to repeat.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections

NAME = "casefile_case_team"


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


def _postgresql_statements() -> list[str]:
    audit, allocation, case = _tables()
    return [
        f"""CREATE OR REPLACE FUNCTION {NAME}_of_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.case_team_id := {_team_of("NEW.allocation_id")};
            RETURN NEW;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {NAME}_case_moved() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {audit} SET case_team_id = NEW.team_id
             WHERE allocation_id IN (SELECT id FROM {allocation} WHERE case_id = NEW.id)
               AND case_team_id IS DISTINCT FROM NEW.team_id;
            RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {NAME}_allocation_moved() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {audit} SET case_team_id = (SELECT team_id FROM {case} WHERE id = NEW.case_id)
             WHERE allocation_id = NEW.id;
            RETURN NULL;
        END $$""",
        f"DROP TRIGGER IF EXISTS {NAME} ON {audit}",
        f"CREATE TRIGGER {NAME} BEFORE INSERT OR UPDATE OF allocation_id, case_team_id"
        f" ON {audit} FOR EACH ROW EXECUTE FUNCTION {NAME}_of_audit()",
        f"DROP TRIGGER IF EXISTS {NAME} ON {case}",
        f"CREATE TRIGGER {NAME} AFTER UPDATE OF team_id ON {case} FOR EACH ROW"
        f" WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id)"
        f" EXECUTE FUNCTION {NAME}_case_moved()",
        f"DROP TRIGGER IF EXISTS {NAME} ON {allocation}",
        f"CREATE TRIGGER {NAME} AFTER UPDATE OF case_id ON {allocation} FOR EACH ROW"
        f" WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id)"
        f" EXECUTE FUNCTION {NAME}_allocation_moved()",
    ]


def _sqlite_statements() -> list[str]:
    # SQLite's triggers cannot change the row being written: they write it again after.
    audit, allocation, case = _tables()
    team = _team_of("NEW.allocation_id")
    set_audit = f"UPDATE {audit} SET case_team_id = {team} WHERE id = NEW.id;"
    names = ("audit_insert", "audit_update", "case", "allocation")
    return [f"DROP TRIGGER IF EXISTS {NAME}_{name}" for name in names] + [
        f"CREATE TRIGGER {NAME}_audit_insert AFTER INSERT ON {audit} FOR EACH ROW"
        f" BEGIN {set_audit} END",
        f"CREATE TRIGGER {NAME}_audit_update AFTER UPDATE OF allocation_id, case_team_id"
        f" ON {audit} FOR EACH ROW WHEN NEW.case_team_id IS NOT {team} BEGIN {set_audit} END",
        f"CREATE TRIGGER {NAME}_case AFTER UPDATE OF team_id ON {case} FOR EACH ROW"
        f" WHEN OLD.team_id IS NOT NEW.team_id BEGIN UPDATE {audit}"
        f" SET case_team_id = NEW.team_id"
        f" WHERE allocation_id IN (SELECT id FROM {allocation} WHERE case_id = NEW.id); END",
        f"CREATE TRIGGER {NAME}_allocation AFTER UPDATE OF case_id ON {allocation} FOR EACH ROW"
        f" WHEN OLD.case_id IS NOT NEW.case_id BEGIN UPDATE {audit}"
        f" SET case_team_id = (SELECT team_id FROM {case} WHERE id = NEW.case_id)"
        f" WHERE allocation_id = NEW.id; END",
    ]


def triggers_install(*, using: str = "default") -> int:
    """Put the triggers on the audit, allocation and case tables, then put right every
    audit whose case team differs from its case's; safe to repeat. Returns how many
    audits it put right."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    needed = [apps.get_model(label)._meta.db_table for label in ("audits.Audit", "sampling.Case")]
    if not all(table in tables for table in needed):
        return 0
    audit, *_ = _tables()
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(cursor, needed[0])
        }
    if "case_team_id" not in columns:  # migrated to a state before the column
        return 0
    if connection.vendor == "postgresql":
        statements = _postgresql_statements()
    elif connection.vendor == "sqlite":
        statements = _sqlite_statements()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        team = _team_of(f"{audit}.allocation_id")
        cursor.execute(
            f"UPDATE {audit} SET case_team_id = {team} WHERE case_team_id IS DISTINCT FROM {team}"
            if connection.vendor == "postgresql"
            else f"UPDATE {audit} SET case_team_id = {team} WHERE case_team_id IS NOT {team}"
        )
        return cursor.rowcount
