"""The data for `benchmarks.pages`: the demo authority, then its months copied in SQL.

`seed_demo` plays three months through the services (about 110 audits a month with their
sections, actions, history and notices). Playing 120 months that way would take an hour, so
the three months are then copied with `INSERT … SELECT` over `generate_series`, in two
directions:

- *wider*: each month gets `width - 1` more copies of its audits on copies of the cases
  (so about 110 × width audits a month, and 5,850 × width cases);
- *back in time*: the widened quarter is copied `years × 4 - 1` times, each copy moved three
  months further back, with its audits closed, its actions authorised and its unstarted
  allocations cancelled (ten years of history is mostly finished work). Notices are copied
  only for the first year.

Ids are moved by a fixed offset a copy, and the foreign keys between copied tables with
them; foreign keys to people, teams and forms are kept. All made in a few seconds a year.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models

# Copied once for each width copy (w = 1 … width-1), never moved in time.
CASE_TABLES = ("sampling.Case",)
# Copied once for each quarter back (t = 1 …), not for width copies: one a month.
MONTH_ONLY = ("sampling.Sample", "audits.AllocationRun")
# Copied for every (t, w) but the original.
COPIED = (
    "sampling.SampleCase",
    "audits.Allocation",
    "audits.AllocationHistory",
    "audits.Audit",
    "audits.SectionAnswer",
    "audits.AuditEvent",
    "audits.ChildFamilyViews",
    "audits.SmartAction",
    "audits.Consensus",
    "audits.QACheck",
    "audits.Comment",
    "audits.SafeguardingConcern",
    "audits.InadequatePathway",
    "remediation.RemedialAction",
    "remediation.ActionEvent",
    "remediation.ManagementDecision",
    "accounts.Notice",
)
OFFSET = 10_000_000  # ids of copy c are id + c × OFFSET


def _kind(label: str) -> str | None:
    if label in CASE_TABLES:
        return "case"
    if label in MONTH_ONLY:
        return "month"
    if label in COPIED:
        return "copy"
    return None


def _copies(kind: str, quarters: int, width: int) -> str:
    """The SQL set of copy numbers c = t × width + w for a table of this kind."""
    if kind == "case":
        return f"generate_series(1, {width - 1})"
    if kind == "month":
        return f"(SELECT g * {width} FROM generate_series(1, {quarters - 1}) g)"
    return f"generate_series(1, {quarters * width - 1})"


def _shift(kind: str, width: int) -> str:
    """Months moved back for copy c."""
    return "0" if kind == "case" else f"(c / {width}) * 3"


def _ref(target: str | None, column: str, width: int) -> str:
    if target == "case":
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE {column} + (c % {width}) * {OFFSET} END"
    if target == "month":
        return f"{column} + (c - c % {width}) * {OFFSET}"
    if target == "copy":
        return f"{column} + c * {OFFSET}"
    return column


FINISHING = {
    # In the copies moved back in time, the work is done.
    "audits_audit": {
        "status": "CASE WHEN t.status = 'closed' OR c < {w} THEN t.status ELSE 'closed' END",
        "closed_at": "CASE WHEN c < {w} THEN t.closed_at "
        "ELSE COALESCE(t.closed_at, t.submitted_at, t.created_at) "
        "- make_interval(months => {m}) END",
    },
    "remediation_remedialaction": {
        "status": "CASE WHEN c < {w} OR t.status IN ('authorised', 'closed_by_decision') "
        "THEN t.status ELSE 'authorised' END",
    },
    "remediation_managementdecision": {
        "status": "CASE WHEN c < {w} THEN t.status ELSE 'authorised' END",
    },
    "audits_allocation": {
        "status": "CASE WHEN c < {w} OR EXISTS (SELECT 1 FROM audits_audit a "
        "WHERE a.allocation_id = t.id) THEN t.status ELSE 'cancelled' END",
    },
    "accounts_notice": {
        "read_at": "COALESCE(t.read_at, t.created_at) - make_interval(months => {m})",
    },
}


def _insert(model: type[models.Model], quarters: int, width: int) -> str:
    kind = _kind(model._meta.label)
    table = model._meta.db_table
    shift = _shift(kind, width)
    special = FINISHING.get(table, {})
    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        columns.append(connection.ops.quote_name(column))
        source = f"t.{connection.ops.quote_name(column)}"
        if column in special:
            values.append(special[column].format(w=width, m=shift))
        elif field.primary_key:
            values.append(_ref(kind, source, width))
        elif field.is_relation:
            values.append(_ref(_kind(field.related_model._meta.label), source, width))
        elif isinstance(field, models.DateTimeField | models.DateField) and shift != "0":
            cast = "timestamptz" if isinstance(field, models.DateTimeField) else "date"
            values.append(f"({source} - make_interval(months => {shift}))::{cast}")
        elif isinstance(field, models.UUIDField):
            values.append(
                f"CASE WHEN {source} IS NULL THEN NULL ELSE md5({source}::text || c)::uuid END"
            )
        elif table == "sampling_case" and column == "external_id":
            values.append(f"'W' || c || '-' || {source}")
        elif table == "accounts_notice" and column == "key":
            values.append(f"{source} || ':' || c")
        else:
            values.append(source)
    where = f"t.id < {OFFSET}"
    if table == "accounts_notice":
        where += f" AND c < {4 * width}"  # a year of notices
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {table} t, {_copies(kind, quarters, width)} AS s(c) "
        f"WHERE {where}"
    )


def widen_and_age(*, years: int, width: int, say=print) -> None:
    """Copy the seeded quarter `width` wide and `years` deep (see the module docstring)."""
    import time

    quarters = max(1, years * 4)
    labels = CASE_TABLES + MONTH_ONLY + COPIED
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # FKs checked by construction
        for label in labels:
            model = apps.get_model(label)
            kind = _kind(label)
            if (kind == "case" and width < 2) or (kind == "month" and quarters < 2):
                continue
            if kind == "copy" and quarters * width < 2:
                continue
            started = time.perf_counter()
            cursor.execute(_insert(model, quarters, width))
            took = time.perf_counter() - started
            say(f"  {model._meta.db_table}: +{cursor.rowcount:,} in {took:.1f} s")
        cursor.execute("SET session_replication_role = DEFAULT")
        for label in labels:
            table = apps.get_model(label)._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would leave it: index-only scans
