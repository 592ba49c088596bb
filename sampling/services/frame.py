"""Importing the sampling frame: the weekly Annex A lists of open cases (SPEC §2–§3,
Bury 6.1).

An import is two steps. `frame_import_start` checks the file's size and kind, refuses a
file already imported, keeps a copy and records a queued Snapshot. `frame_import_run`
(a Celery task for uploads, directly for the command and the watched folder) then:

1. streams the file row by row, checking each and staging the good rows in the database
   in batches, recording progress on the Snapshot for the page to show;
2. checks across rows (the same child twice) in the database;
3. if any row was bad, records up to 100 problems by line and column, says how many
   more, and imports nothing; otherwise merges the staged rows into the cases in one
   transaction: creates and updates cases by ID, records which were open that day,
   closes those missing from a complete newer list (telling QA staff of any with an
   audit in progress, Bury 9.6) and reopens those that come back (Bury 9.7).

Memory does not grow with the file: only the current batch, the first 100 errors and the
distinct team and worker names are held.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.errors import ImportRejected, RowError
from accounts.models import Persona, Team, User
from accounts.services import notify

from .. import annex_a
from ..models import (
    AnnexList,
    Case,
    CaseStatus,
    NameKind,
    NameMapping,
    Snapshot,
    SnapshotCase,
    SnapshotSource,
    SnapshotStatus,
    StagedRow,
)

logger = logging.getLogger(__name__)

MAX_ERRORS = 100
BATCH = 5000


def max_bytes() -> int:
    return settings.SAMPLING_FRAME_MAX_BYTES


def upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "frames" / "pending"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class FrameFileRefused(Exception):
    """The file was refused before reading: too big, the wrong kind, or already imported."""

    def __init__(self, message: str, snapshot: Snapshot | None = None):
        super().__init__(message)
        self.message = message
        self.snapshot = snapshot


def _copy_with_hash(source: IO[bytes], dest: Path, limit: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with dest.open("wb") as out:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            size += len(chunk)
            if size > limit:
                raise FrameFileRefused(
                    f"The file is larger than {limit // (1024 * 1024)} MB. "
                    "Export one list at a time, or ask an administrator to raise the limit."
                )
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def frame_import_start(
    *,
    stream: IO[bytes],
    file_name: str,
    as_of: dt.date,
    annex_list: str | None = None,
    complete: bool = True,
    source: str = SnapshotSource.UPLOAD,
    by: User | None = None,
) -> Snapshot:
    """Keep a copy of a case list and queue its import; refuse it at once if it is too
    large, not CSV or XLSX, or the very file already imported for that day (the same file
    twice changes nothing; the same content for a later day is a new snapshot in which
    nothing changed). Raises FrameFileRefused with a message for the person."""
    if annex_list and annex_list not in AnnexList.values:
        raise FrameFileRefused(f"There is no Annex A list {annex_list} to import.")
    dest = upload_dir() / f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()[:6]}"
    try:
        sha, size = _copy_with_hash(stream, dest, max_bytes())
        if size == 0:
            raise FrameFileRefused("The file is empty.")
        kind, refusal = annex_a.sniff_kind(dest, file_name)
        if kind is None:
            raise FrameFileRefused(refusal)
        earlier = (
            Snapshot.objects.filter(sha256=sha, as_of=as_of, status=SnapshotStatus.IMPORTED)
            .order_by("created_at")
            .first()
        )
        busy = Snapshot.objects.filter(
            sha256=sha,
            status__in=[SnapshotStatus.QUEUED, SnapshotStatus.RUNNING],
            created_at__gte=timezone.now() - dt.timedelta(hours=1),
        ).first()
        if busy is not None:
            raise FrameFileRefused("This file is being imported now.", snapshot=busy)
        if earlier is not None:
            raise FrameFileRefused(
                f"This file was already imported on {_day(earlier.created_at.date())} as "
                f"{earlier}. Nothing has changed.",
                snapshot=earlier,
            )
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return Snapshot.objects.create(
        annex_list=annex_list or "",
        as_of=as_of,
        complete=complete,
        source=source,
        file_name=Path(file_name).name[:255],
        file_size=size,
        sha256=sha,
        stored_path=str(dest),
        created_by=by,
    )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# Names -----------------------------------------------------------------------------------


class NameResolver:
    """Team and worker names from a list, matched to the organisation.

    A remembered mapping wins; then an exact match ignoring case, spacing and punctuation.
    A worker name shared by two active people is not guessed. Nothing is ever created.
    """

    def __init__(self) -> None:
        self.teams: dict[str, int] = {
            annex_a.squash(n): i for i, n in Team.objects.values_list("id", "name")
        }
        workers: dict[str, int | None] = {}
        for pk, name in User.objects.filter(is_active=True).values_list("id", "full_name"):
            key = annex_a.squash(name)
            workers[key] = None if key in workers else pk
        self.workers = workers
        for kind, key, team_id, user_id in NameMapping.objects.values_list(
            "kind", "source_key", "team_id", "user_id"
        ):
            if kind == NameKind.TEAM:
                self.teams[key] = team_id
            else:
                self.workers[key] = user_id
        self.unknown_teams: Counter[str] = Counter()
        self.unknown_workers: Counter[str] = Counter()

    def team(self, name: str) -> int | None:
        found = self.teams.get(annex_a.squash(name))
        if found is None:
            self.unknown_teams[name] += 1
        return found

    def worker(self, name: str) -> int | None:
        if not name:
            return None
        found = self.workers.get(annex_a.squash(name))
        if found is None:
            self.unknown_workers[name] += 1
        return found


# Staging ---------------------------------------------------------------------------------

_STAGED_COLUMNS = (
    "snapshot_id",
    "line",
    "external_id",
    "is_open",
    "case_type",
    "team_id",
    "team_source",
    "worker_id",
    "worker_source",
    "legal_status",
    "opened_on",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
)


def _write_staged(rows: list[tuple]) -> None:
    if not rows:
        return
    table = StagedRow._meta.db_table
    if connection.vendor == "postgresql":
        # COPY is several times faster than INSERT for the 400,000-row lists.
        with connection.cursor() as cursor:
            sql = f"COPY {table} ({', '.join(_STAGED_COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    StagedRow.objects.bulk_create(
        [StagedRow(**dict(zip(_STAGED_COLUMNS, row, strict=True))) for row in rows],
        batch_size=500,
    )


@dataclass
class _Progress:
    snapshot_id: int
    every: int = BATCH

    def report(self, rows: int) -> None:
        Snapshot.objects.filter(pk=self.snapshot_id).update(rows_read=rows)


def _read_file(snapshot: Snapshot, path: Path) -> tuple[list[RowError], int, NameResolver]:
    """Stream the file into staged rows; return the row errors (the first 100), how many
    more there were, and the names seen. Sets the snapshot's list and columns."""
    errors: list[RowError] = []
    more = 0

    def add(error: RowError) -> None:
        nonlocal more
        if len(errors) < MAX_ERRORS:
            errors.append(error)
        else:
            more += 1

    kind, refusal = annex_a.sniff_kind(path, snapshot.file_name)
    if kind is None:
        return [RowError(0, "", refusal)], 0, NameResolver()
    snapshot.rows_expected = annex_a.estimate_rows(path, kind)
    rows = annex_a.read_rows(path, kind, snapshot.annex_list or None)
    header = None
    try:
        for line, cells in rows:
            if annex_a.is_header(cells):
                header = annex_a.match_header(cells)
                break
            if line >= annex_a.HEADER_SEARCH_ROWS:
                break
    except annex_a.EncodingError as exc:
        return [RowError(exc.line, "", _encoding_message(exc))], 0, NameResolver()
    if header is None:
        return (
            [
                RowError(
                    1,
                    "",
                    "No header row with a “Child Unique ID” column was found in the first "
                    f"{annex_a.HEADER_SEARCH_ROWS} rows. Is this an Annex A list?",
                )
            ],
            0,
            NameResolver(),
        )
    missing = [k for k in annex_a.REQUIRED if k not in header.index]
    if missing:
        return (
            [
                RowError(1, "", f"The list has no “{annex_a._BY_KEY[k].heading}” column.")
                for k in missing
            ],
            0,
            NameResolver(),
        )
    detected = annex_a.detect_list(header)
    if not snapshot.annex_list:
        if detected is None:
            return (
                [
                    RowError(
                        1,
                        "",
                        "Which Annex A list this is cannot be told from its columns. "
                        "Choose the list and import it again.",
                    )
                ],
                0,
                NameResolver(),
            )
        snapshot.annex_list = detected
    snapshot.columns_used = [[heading, meaning] for heading, meaning in header.used]
    snapshot.columns_ignored = header.ignored
    Snapshot.objects.filter(pk=snapshot.pk).update(
        annex_list=snapshot.annex_list,
        columns_used=snapshot.columns_used,
        columns_ignored=snapshot.columns_ignored,
        rows_expected=snapshot.rows_expected,
    )
    refusal = _order_refusal(snapshot)
    if refusal:
        return [RowError(0, "", refusal)], 0, NameResolver()

    reader = annex_a.RowReader(
        header=header, spec=annex_a.LISTS[snapshot.annex_list], as_of=snapshot.as_of
    )
    names = NameResolver()
    progress = _Progress(snapshot.pk)
    batch: list[tuple] = []
    count = 0
    try:
        for line, cells in rows:
            if annex_a.is_blank(cells):
                continue
            count += 1
            parsed, row_errors = reader.read(line, cells)
            for error in row_errors:
                add(error)
            if parsed is not None and not errors:
                batch.append(_staged(snapshot.pk, parsed, names))
            elif parsed is not None:
                names.team(parsed.team)
                names.worker(parsed.worker)
            if len(batch) >= BATCH:
                _write_staged(batch)
                batch = []
            if count % progress.every == 0:
                progress.report(count)
    except annex_a.EncodingError as exc:
        add(RowError(exc.line, "", _encoding_message(exc)))
    _write_staged(batch)
    progress.report(count)
    snapshot.rows_read = count
    if count == 0 and not errors:
        add(RowError(2, "", "The list has a header but no rows."))
    if not errors:
        for error in _duplicate_errors(snapshot):
            add(error)
    return errors, more, names


def _encoding_message(exc: annex_a.EncodingError) -> str:
    if exc.detail:
        return f"The file cannot be read as CSV here ({exc.detail})."
    return "The file has characters that are not UTF-8 text. Save it as CSV UTF-8."


def _staged(snapshot_id: int, row: annex_a.ParsedRow, names: NameResolver) -> tuple:
    return (
        snapshot_id,
        row.line,
        row.external_id,
        row.is_open,
        row.case_type,
        names.team(row.team),
        row.team,
        names.worker(row.worker),
        row.worker,
        row.legal_status,
        row.opened_on,
        row.age_band,
        row.gender,
        row.ethnicity,
        row.disability,
    )


def _duplicate_errors(snapshot: Snapshot) -> list[RowError]:
    """The same child twice in one list: each later line is a bad row."""
    staged = StagedRow.objects.filter(snapshot=snapshot)
    repeated = (
        staged.values("external_id")
        .annotate(n=Count("id"), first=Min("line"))
        .filter(n__gt=1)
        .order_by("first")[:MAX_ERRORS]
    )
    firsts = {r["external_id"]: r["first"] for r in repeated}
    if not firsts:
        return []
    column = annex_a._BY_KEY["child_id"].heading
    return [
        RowError(line, column, f"Child {ext} is also on line {firsts[ext]}.")
        for ext, line in staged.filter(external_id__in=firsts)
        .exclude(line__in=firsts.values())
        .order_by("line")
        .values_list("external_id", "line")[: MAX_ERRORS + 1]
    ]


def _order_refusal(snapshot: Snapshot) -> str:
    """Lists are imported in date order, one a list a day."""
    imported = Snapshot.objects.filter(
        annex_list=snapshot.annex_list, status=SnapshotStatus.IMPORTED
    ).exclude(pk=snapshot.pk)
    same_day = imported.filter(as_of=snapshot.as_of).first()
    if same_day:
        return (
            f"{same_day} is already imported (from {same_day.file_name}). A list is imported "
            "once a day; import a corrected list with a later date."
        )
    newer = imported.filter(as_of__gt=snapshot.as_of).order_by("-as_of").first()
    if newer:
        return (
            f"A newer list is already imported ({newer}). Lists are imported in date order, "
            "so this older one would undo it."
        )
    return ""


# Merging ---------------------------------------------------------------------------------


def _rank_sql(column: str) -> str:
    whens = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in annex_a.LIST_PRECEDENCE.items())
    return f"(CASE {column} {whens} ELSE 0 END)"


def _upsert_cases(snapshot: Snapshot, now: dt.datetime) -> int:
    """Create or update the cases of the staged open rows in one statement; return how
    many rows were written (created plus changed)."""
    case = Case._meta.db_table
    staged = StagedRow._meta.db_table
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
    sets = ", ".join(f"{col} = {expr}" for col, expr in new.items())
    changed = " OR ".join(f"{case}.{col} {distinct} ({expr})" for col, expr in new.items())
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
        WHERE {changed}
    """
    # reopened_on appears once in SET and once in WHERE.
    params = [snapshot.annex_list, False, now, snapshot.pk, snapshot.as_of, snapshot.as_of]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _latest_other_lists(snapshot: Snapshot) -> list[int]:
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


@transaction.atomic
def _merge(snapshot: Snapshot) -> list[str]:
    """Write the staged rows into the frame. Returns the IDs of cases closed while an
    audit of them is in progress."""
    # Imports of one list run one at a time: the newest snapshot's row is the lock.
    previous = (
        Snapshot.objects.select_for_update()
        .filter(annex_list=snapshot.annex_list, status=SnapshotStatus.IMPORTED)
        .exclude(pk=snapshot.pk)
        .order_by("-as_of")
        .first()
    )
    refusal = _order_refusal(snapshot)
    if refusal:
        raise ImportRejected([RowError(0, "", refusal)])
    now = timezone.now()
    staged = StagedRow.objects.filter(snapshot=snapshot, is_open=True)
    existing = Case.objects.filter(external_id=OuterRef("external_id"))
    snapshot.created = staged.filter(~Exists(existing)).count()
    snapshot.reopened = staged.filter(Exists(existing.filter(status=CaseStatus.CLOSED))).count()
    snapshot.open_count = staged.count()
    snapshot.closed_rows = StagedRow.objects.filter(snapshot=snapshot, is_open=False).count()
    written = _upsert_cases(snapshot, now)
    snapshot.updated = max(0, written - snapshot.created)
    snapshot.unchanged = snapshot.open_count - snapshot.created - snapshot.updated

    case_table = Case._meta.db_table
    entry_table = SnapshotCase._meta.db_table
    staged_table = StagedRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {entry_table} (snapshot_id, case_id, case_type)
                SELECT %s, c.id, s.case_type FROM {staged_table} s
                JOIN {case_table} c ON c.external_id = s.external_id
                WHERE s.snapshot_id = %s AND s.is_open""",
            [snapshot.pk, snapshot.pk],
        )

    during_audit: list[str] = []
    if previous is not None and snapshot.complete:
        others = _latest_other_lists(snapshot)
        in_previous = SnapshotCase.objects.filter(snapshot=previous, case_id=OuterRef("pk"))
        in_this = SnapshotCase.objects.filter(snapshot=snapshot, case_id=OuterRef("pk"))
        in_others = SnapshotCase.objects.filter(snapshot_id__in=others, case_id=OuterRef("pk"))
        departed = Case.objects.filter(status=CaseStatus.OPEN).filter(
            Exists(in_previous), ~Exists(in_this)
        )
        to_close = departed.filter(~Exists(in_others))
        during_audit = list(
            to_close.filter(audit_open=True)
            .order_by("external_id")
            .values_list("external_id", flat=True)
        )
        snapshot.closed = to_close.update(
            status=CaseStatus.CLOSED, closed_on=snapshot.as_of, updated_at=now
        )
        _retype_cases_left_on_other_lists(
            departed.filter(source_list=snapshot.annex_list), others, now
        )
    StagedRow.objects.filter(snapshot=snapshot).delete()
    snapshot.status = SnapshotStatus.IMPORTED
    snapshot.finished_at = timezone.now()
    snapshot.save()
    return during_audit


def _retype_cases_left_on_other_lists(cases, others: list[int], now: dt.datetime) -> None:
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


def _qa_staff():
    return User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True).distinct()


def frame_import_run(*, snapshot_id: int, resume: bool = False) -> Snapshot:
    """Import a queued case list (see the module's docstring). Safe to call twice: a
    snapshot that is not queued is returned as it is. With `resume` (the run that claimed
    it died: its worker was killed), a running one is started again from its file; the
    merge is one transaction, so the dead run left no case changed."""
    states = [SnapshotStatus.QUEUED, SnapshotStatus.RUNNING] if resume else [SnapshotStatus.QUEUED]
    claimed = Snapshot.objects.filter(pk=snapshot_id, status__in=states).update(
        status=SnapshotStatus.RUNNING
    )
    snapshot = Snapshot.objects.get(pk=snapshot_id)
    if not claimed:
        return snapshot
    if resume:
        StagedRow.objects.filter(snapshot_id=snapshot_id).delete()
    path = Path(snapshot.stored_path)
    during_audit: list[str] = []
    try:
        errors, more, names = _read_file(snapshot, path)
        snapshot.unknown_teams = _counted(names.unknown_teams)
        snapshot.unknown_workers = _counted(names.unknown_workers)
        if errors:
            _reject(snapshot, errors, more)
        else:
            try:
                during_audit = _merge(snapshot)
            except ImportRejected as rejected:
                _reject(snapshot, rejected.errors, 0)
    except Exception:
        logger.exception("import of snapshot %s failed", snapshot_id)
        StagedRow.objects.filter(snapshot_id=snapshot_id).delete()
        Snapshot.objects.filter(pk=snapshot_id).update(
            status=SnapshotStatus.FAILED,
            message="The import stopped because of a fault, and nothing was imported. "
            "Try again; if it fails again, tell an administrator.",
            finished_at=timezone.now(),
        )
        raise
    finally:
        if snapshot.stored_path:
            Path(snapshot.stored_path).unlink(missing_ok=True)
            Snapshot.objects.filter(pk=snapshot_id).update(stored_path="")
    snapshot.refresh_from_db()
    if during_audit:
        notify(
            recipients=_qa_staff(),
            template="case-closed-during-audit",
            key=f"case-closed-during-audit:{snapshot.pk}",
            context={"snapshot": snapshot, "case_ids": during_audit},
            url=reverse("sampling:import-detail", args=[snapshot.pk]),
        )
    return snapshot


def _counted(counter: Counter[str]) -> list[list]:
    return [[name, n] for name, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))][:500]


def _reject(snapshot: Snapshot, errors: list[RowError], more: int) -> None:
    StagedRow.objects.filter(snapshot=snapshot).delete()
    snapshot.status = SnapshotStatus.REJECTED
    snapshot.errors = [[e.line, e.column, e.message] for e in errors[:MAX_ERRORS]]
    snapshot.more_errors = more + max(0, len(errors) - MAX_ERRORS)
    snapshot.finished_at = timezone.now()
    snapshot.save()


def frame_import_file(
    *,
    path: Path,
    as_of: dt.date,
    annex_list: str | None = None,
    complete: bool = True,
    source: str = SnapshotSource.COMMAND,
    by: User | None = None,
) -> Snapshot:
    """Import a case list from a file on disk, there and then (the command and the folder)."""
    with path.open("rb") as stream:
        snapshot = frame_import_start(
            stream=stream,
            file_name=path.name,
            as_of=as_of,
            annex_list=annex_list,
            complete=complete,
            source=source,
            by=by,
        )
    return frame_import_run(snapshot_id=snapshot.pk)


def frame_import_enqueue(*, snapshot: Snapshot) -> None:
    """Run the import in the worker once the Snapshot row is committed."""
    from ..tasks import run_frame_import

    # robust: with the broker down the upload is kept and the page still answers.
    transaction.on_commit(lambda: run_frame_import.delay(snapshot.pk), robust=True)
