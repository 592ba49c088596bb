"""Merging a checked list into the frame, inside the caller's transaction.

`write_snapshot` creates and updates cases by ID and records which were open that day;
`close_departed` then closes those missing from a complete newer list of the kind (unless
they are still on another list), with the row's own closure date when the list gives one,
telling QA staff of any with an audit in progress (Bury 9.6). A case that comes back is
marked reopened (Bury 9.7). For a workbook of several lists every list is written before
any closes, so a child who moved from one list to another that day is never closed.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .. import annex_a
from ..models import (
    AnnexList,
    Case,
    CaseStatus,
    Snapshot,
    SnapshotCase,
    SnapshotStatus,
    StagedRow,
)


def _rank_sql(column: str) -> str:
    whens = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in annex_a.LIST_PRECEDENCE.items())
    return f"(CASE {column} {whens} ELSE 0 END)"


def _upsert_cases(snapshot: Snapshot, now: dt.datetime, newer: list[int], correcting: bool) -> int:
    """Create or update the cases of the staged open rows in one statement; return how
    many rows were written (created plus changed). A case on a list dated after this one
    (`newer` snapshots) keeps what that newer list says; a correction leaves open and
    closed to its replay."""
    case = Case._meta.db_table
    staged = StagedRow._meta.db_table
    entries = SnapshotCase._meta.db_table
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    takes = (
        f"({case}.status = 'closed' OR {case}.source_list = '' "
        f"OR {case}.source_list = excluded.source_list "
        f"OR {_rank_sql('excluded.source_list')} >= {_rank_sql(f'{case}.source_list')})"
    )
    new = {
        "case_type": f"CASE WHEN {takes} THEN excluded.case_type ELSE {case}.case_type END",
        "source_list": f"CASE WHEN {takes} THEN excluded.source_list ELSE {case}.source_list END",
        "opened_on": f"CASE WHEN {takes} THEN excluded.opened_on ELSE {case}.opened_on END",
        "legal_status": f"CASE WHEN {takes} AND excluded.legal_status <> '' "
        f"THEN excluded.legal_status ELSE {case}.legal_status END",
        "team_id": "excluded.team_id",
        "team_source": "excluded.team_source",
        "allocated_worker_id": "excluded.allocated_worker_id",
        "worker_source": "excluded.worker_source",
        "age_band": f"CASE WHEN excluded.age_band <> 'unknown' THEN excluded.age_band "
        f"ELSE {case}.age_band END",
        "gender": f"CASE WHEN excluded.gender <> 'u' THEN excluded.gender ELSE {case}.gender END",
        "ethnicity": f"CASE WHEN excluded.ethnicity <> '' THEN excluded.ethnicity "
        f"ELSE {case}.ethnicity END",
        "disability": f"COALESCE(excluded.disability, {case}.disability)",
        "status": "'open'",
        "reopened_on": f"CASE WHEN {case}.status = 'closed' THEN %s ELSE {case}.reopened_on END",
    }
    if correcting:
        new["status"] = f"{case}.status"
        new["reopened_on"] = f"COALESCE(%s, {case}.reopened_on)"
    sets = ", ".join(f"{col} = {expr}" for col, expr in new.items())
    changed = " OR ".join(f"{case}.{col} {distinct} ({expr})" for col, expr in new.items())
    keep_newer = ""
    if newer:
        ids = ", ".join(str(int(pk)) for pk in newer)
        keep_newer = (
            f" AND NOT EXISTS (SELECT 1 FROM {entries} e "
            f"WHERE e.case_id = {case}.id AND e.snapshot_id IN ({ids}))"
        )
    sql = f"""
        INSERT INTO {case} (external_id, case_type, team_id, allocated_worker_id, legal_status,
            opened_on, age_band, gender, ethnicity, disability, status, closed_on, reopened_on,
            source_list, team_source, worker_source, audit_open, last_audited_on, updated_at)
        SELECT s.external_id, s.case_type, s.team_id, s.worker_id, s.legal_status, s.opened_on,
            COALESCE(NULLIF(s.age_band, ''), 'unknown'), COALESCE(NULLIF(s.gender, ''), 'u'),
            s.ethnicity, s.disability, 'open', NULL, NULL, %s, s.team_source, s.worker_source,
            %s, NULL, %s
        FROM {staged} s WHERE s.snapshot_id = %s AND s.is_open
        ON CONFLICT (external_id) DO UPDATE SET {sets}, updated_at = excluded.updated_at
        WHERE ({changed}){keep_newer}
    """
    # reopened_on appears once in SET and once in WHERE.
    reopen_day = None if correcting else snapshot.as_of
    params = [snapshot.annex_list, False, now, snapshot.pk, reopen_day, reopen_day]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def newer_snapshot_ids(snapshot: Snapshot) -> list[int]:
    """Every imported snapshot, of any list, dated after this one."""
    return list(
        Snapshot.objects.filter(status=SnapshotStatus.IMPORTED, as_of__gt=snapshot.as_of)
        .exclude(pk=snapshot.pk)
        .values_list("id", flat=True)
    )


def write_snapshot(snapshot: Snapshot, *, now: dt.datetime, correcting: bool = False) -> None:
    """Create and update the cases of the list's open rows, record them as the snapshot's
    entries (with the team and worker that held each that day: Hillingdon 2.1), and mark
    the snapshot imported."""
    staged = StagedRow.objects.filter(snapshot=snapshot, is_open=True)
    existing = Case.objects.filter(external_id=OuterRef("external_id"))
    snapshot.created = staged.filter(~Exists(existing)).count()
    snapshot.reopened = staged.filter(Exists(existing.filter(status=CaseStatus.CLOSED))).count()
    snapshot.open_count = staged.count()
    snapshot.closed_rows = StagedRow.objects.filter(snapshot=snapshot, is_open=False).count()
    written = _upsert_cases(snapshot, now, newer_snapshot_ids(snapshot), correcting)
    snapshot.updated = max(0, written - snapshot.created)
    snapshot.unchanged = max(0, snapshot.open_count - snapshot.created - snapshot.updated)
    case_table = Case._meta.db_table
    entry_table = SnapshotCase._meta.db_table
    staged_table = StagedRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {entry_table} (snapshot_id, case_id, case_type, team_id, worker_id)
                SELECT %s, c.id, s.case_type, s.team_id, s.worker_id FROM {staged_table} s
                JOIN {case_table} c ON c.external_id = s.external_id
                WHERE s.snapshot_id = %s AND s.is_open""",
            [snapshot.pk, snapshot.pk],
        )
    snapshot.status = SnapshotStatus.IMPORTED
    snapshot.save()


def previous_snapshot(snapshot: Snapshot) -> Snapshot | None:
    """The list's newest imported snapshot dated before this one."""
    return (
        Snapshot.objects.filter(
            annex_list=snapshot.annex_list,
            status=SnapshotStatus.IMPORTED,
            as_of__lt=snapshot.as_of,
        )
        .order_by("-as_of")
        .first()
    )


def latest_other_lists(snapshot: Snapshot) -> list[int]:
    """The newest imported snapshot of each other list, on or before this one's day."""
    ids = []
    for code in AnnexList.values:
        if code == snapshot.annex_list:
            continue
        latest = (
            Snapshot.objects.filter(
                annex_list=code, status=SnapshotStatus.IMPORTED, as_of__lte=snapshot.as_of
            )
            .order_by("-as_of")
            .values_list("id", flat=True)
            .first()
        )
        if latest:
            ids.append(latest)
    return ids


def close_departed(snapshot: Snapshot, *, now: dt.datetime) -> list[str]:
    """Close the cases on the list's previous snapshot that are missing from this complete
    one and on no other list, as of the row's own closure date or else the list's date.
    Returns the IDs of those with an audit in progress (Bury 9.6)."""
    previous = previous_snapshot(snapshot)
    if previous is None or not snapshot.complete:
        return []
    others = latest_other_lists(snapshot)
    in_previous = SnapshotCase.objects.filter(snapshot=previous, case_id=OuterRef("pk"))
    in_this = SnapshotCase.objects.filter(snapshot=snapshot, case_id=OuterRef("pk"))
    in_others = SnapshotCase.objects.filter(snapshot_id__in=others, case_id=OuterRef("pk"))
    departed = Case.objects.filter(status=CaseStatus.OPEN).filter(
        Exists(in_previous), ~Exists(in_this)
    )
    to_close = departed.filter(~Exists(in_others))
    # Bury 9.6: a case under an audit is not closed; it is held open until the audit closes.
    under_audit = Q(audit_open=True) | Q(held_for_audit=True)
    during_audit = list(
        to_close.filter(under_audit).order_by("external_id").values_list("external_id", flat=True)
    )
    # A case held open that is back on this list is no longer waiting to close.
    Case.objects.filter(close_pending_on__isnull=False).filter(Exists(in_this)).update(
        close_pending_on=None, updated_at=now
    )
    own_date = (
        StagedRow.objects.filter(
            snapshot=snapshot, is_open=False, external_id=OuterRef("external_id")
        )
        .exclude(closed_on__isnull=True)
        .order_by("-closed_on")
        .values("closed_on")[:1]
    )
    to_close.filter(under_audit, close_pending_on__isnull=True).update(
        close_pending_on=Coalesce(Subquery(own_date), Value(snapshot.as_of)), updated_at=now
    )
    snapshot.closed = to_close.exclude(under_audit).update(
        status=CaseStatus.CLOSED,
        closed_on=Coalesce(Subquery(own_date), Value(snapshot.as_of)),
        updated_at=now,
    )
    retype_cases_left_on_other_lists(departed.filter(source_list=snapshot.annex_list), others, now)
    snapshot.save(update_fields=["closed"])
    return during_audit


def retype_cases_left_on_other_lists(cases, others: list[int], now: dt.datetime) -> None:
    """A child who leaves the list that gave their case type but stays on another takes
    that list's type (a plan ends; the child is still in need)."""
    best: dict[int, tuple[int, str, str]] = {}
    for case_id, case_type, code in SnapshotCase.objects.filter(
        snapshot_id__in=others, case__in=cases
    ).values_list("case_id", "case_type", "snapshot__annex_list"):
        rank = annex_a.LIST_PRECEDENCE[code]
        if case_id not in best or rank > best[case_id][0]:
            best[case_id] = (rank, case_type, code)
    for case_id, (_rank, case_type, code) in best.items():
        Case.objects.filter(pk=case_id).update(
            case_type=case_type, source_list=code, updated_at=now
        )
