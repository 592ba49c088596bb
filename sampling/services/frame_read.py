"""Reading a case list into staged rows: each row checked, its refusals and notes
collected, the good rows written to the database in batches (memory does not grow with the
file: only the current batch, the first 100 refusals, five examples a note and the distinct
team and worker names are held), then the checks across rows (the same child twice).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.models import Count, Min

from accounts.errors import RowError
from accounts.models import Team, User

from .. import annex_a
from ..models import AnnexList, NameKind, NameMapping, Snapshot, SnapshotStatus, StagedRow

MAX_ERRORS = 100
NOTE_EXAMPLES = 5
BATCH = 5000


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
        if not name:
            return None
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


@dataclass
class NoteTally:
    """Notes counted by column and reason, each with its first five examples."""

    entries: dict[tuple[str, str], dict] = field(default_factory=dict)
    total: int = 0

    def add(self, column: str, reason: str, line: int, value: str) -> None:
        entry = self.entries.setdefault(
            (column, reason), {"column": column, "reason": reason, "count": 0, "examples": []}
        )
        entry["count"] += 1
        self.total += 1
        if len(entry["examples"]) < NOTE_EXAMPLES:
            entry["examples"].append([line, value])

    def as_list(self) -> list[dict]:
        return sorted(self.entries.values(), key=lambda e: (-e["count"], e["column"]))


@dataclass
class PartResult:
    errors: list[RowError] = field(default_factory=list)
    more: int = 0
    notes: NoteTally = field(default_factory=NoteTally)
    names: NameResolver | None = None

    def refuse(self, error: RowError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more += 1


_STAGED_COLUMNS = (
    "snapshot_id",
    "line",
    "external_id",
    "is_open",
    "case_type",
    "team_id",
    "team_source",
    "team_key",
    "worker_id",
    "worker_source",
    "legal_status",
    "opened_on",
    "closed_on",
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


def _staged(snapshot_id: int, row: annex_a.ParsedRow, names: NameResolver) -> tuple:
    return (
        snapshot_id,
        row.line,
        row.external_id,
        row.is_open,
        row.case_type,
        names.team(row.team),
        row.team,
        row.team_key,
        names.worker(row.worker),
        row.worker,
        row.legal_status,
        row.opened_on,
        row.closed_on,
        row.age_band,
        row.gender,
        row.ethnicity,
        row.disability,
    )


def encoding_message(exc: annex_a.EncodingError) -> str:
    if exc.detail:
        return f"The file cannot be read as CSV here ({exc.detail})."
    return "The file has characters that are not UTF-8 text. Save it as CSV UTF-8."


def order_refusal(snapshot: Snapshot) -> str:
    """Lists of one kind are imported in date order; a list for a day that already has
    one is a correction of it (see `frame_correct`), but an older day with none is not."""
    imported = Snapshot.objects.filter(
        annex_list=snapshot.annex_list, status=SnapshotStatus.IMPORTED
    ).exclude(pk=snapshot.pk)
    if imported.filter(as_of=snapshot.as_of).exists():
        return ""
    newer = imported.filter(as_of__gt=snapshot.as_of).order_by("-as_of").first()
    if newer:
        return (
            f"A newer list is already imported ({newer}) and there is no list of "
            f"{snapshot.as_of:%d/%m/%Y} to correct. Lists are imported in date order, so this "
            "older one would undo the newer."
        )
    return ""


def _find_header(rows, result: PartResult) -> annex_a.HeaderMap | None:
    for line, cells in rows:
        if annex_a.is_header(cells):
            return annex_a.match_header(cells)
        if line >= annex_a.HEADER_SEARCH_ROWS:
            break
    result.refuse(
        RowError(
            1,
            "",
            "No header row with a “Child Unique ID” column was found in the first "
            f"{annex_a.HEADER_SEARCH_ROWS} rows. Is this an Annex A list?",
        )
    )
    return None


def read_part(
    snapshot: Snapshot,
    path: Path,
    kind: str,
    part: annex_a.Part,
    progress=None,
) -> PartResult:
    """Stream one list (a CSV, or a sheet) into staged rows for `snapshot`, and set the
    snapshot's list, sheet and columns. Nothing is merged here."""
    result = PartResult(names=NameResolver())
    rows = annex_a.read_rows(path, kind, part.sheet)
    try:
        header = _find_header(rows, result)
    except annex_a.EncodingError as exc:
        result.refuse(RowError(exc.line, "", encoding_message(exc)))
        return result
    if header is None:
        return result
    missing = [k for k in annex_a.REQUIRED if k not in header.index]
    for key in missing:
        result.refuse(RowError(1, "", f"The list has no “{annex_a.BY_KEY[key].heading}” column."))
    if missing:
        return result
    if not snapshot.annex_list:
        detected = part.annex_list or annex_a.detect_list(header)
        if detected is None:
            result.refuse(
                RowError(
                    1,
                    "",
                    "Which Annex A list this is cannot be told from its columns. "
                    "Choose the list and import it again.",
                )
            )
            return result
        snapshot.annex_list = detected
    snapshot.sheet_name = (part.sheet or "")[:120]
    snapshot.columns_used = [[heading, meaning] for heading, meaning in header.used]
    snapshot.columns_ignored = header.ignored
    snapshot.rows_expected = annex_a.estimate_rows(path, kind, part.sheet)
    Snapshot.objects.filter(pk=snapshot.pk).update(
        annex_list=snapshot.annex_list,
        sheet_name=snapshot.sheet_name,
        columns_used=snapshot.columns_used,
        columns_ignored=snapshot.columns_ignored,
        rows_expected=snapshot.rows_expected,
    )
    refusal = order_refusal(snapshot)
    if refusal:
        result.refuse(RowError(0, "", refusal))
        return result
    _stream_rows(snapshot, header, rows, result, progress)
    if not result.errors:
        for error in _duplicate_refusals(snapshot):
            result.refuse(error)
    if not result.errors:
        _keep_one_row_a_child(snapshot, result.notes)
    return result


def _stream_rows(snapshot, header, rows, result: PartResult, progress) -> None:
    reader = annex_a.RowReader(
        header=header, spec=annex_a.LISTS[snapshot.annex_list], as_of=snapshot.as_of
    )
    names = result.names
    batch: list[tuple] = []
    count = 0
    try:
        for line, cells in rows:
            if annex_a.is_blank(cells):
                continue
            count += 1
            parsed, row_errors, notes = reader.read(line, cells)
            for error in row_errors:
                result.refuse(error)
            for note in notes:
                result.notes.add(note.column, note.reason, note.line, note.value)
            if parsed is not None and not result.errors:
                batch.append(_staged(snapshot.pk, parsed, names))
            elif parsed is not None:
                names.team(parsed.team)
                names.worker(parsed.worker)
            if len(batch) >= BATCH:
                _write_staged(batch)
                batch = []
            if progress and count % BATCH == 0:
                progress(count)
    except annex_a.EncodingError as exc:
        result.refuse(RowError(exc.line, "", encoding_message(exc)))
    _write_staged(batch)
    if progress:
        progress(count)
    snapshot.rows_read = count
    if count == 0 and not result.errors:
        result.refuse(RowError(2, "", "The list has a header but no rows."))


def _duplicate_refusals(snapshot: Snapshot) -> list[RowError]:
    """The same child open twice on one list with two different teams: which team holds
    the case cannot be told, so the file is refused (each later line named)."""
    open_rows = StagedRow.objects.filter(snapshot=snapshot, is_open=True).exclude(team_key="")
    clashing = (
        open_rows.values("external_id")
        .annotate(teams=Count("team_key", distinct=True), first=Min("line"))
        .filter(teams__gt=1)
        .order_by("first")[:MAX_ERRORS]
    )
    firsts = {r["external_id"]: r["first"] for r in clashing}
    if not firsts:
        return []
    first_team: dict[str, tuple[str, str]] = {}
    errors = []
    column = annex_a.BY_KEY["team"].heading
    for ext, line, key, team in (
        open_rows.filter(external_id__in=firsts)
        .order_by("line")
        .values_list("external_id", "line", "team_key", "team_source")
    ):
        if ext not in first_team:
            first_team[ext] = (key, team)
            continue
        if key != first_team[ext][0]:
            errors.append(
                RowError(
                    line,
                    column,
                    f"Child {ext} is also on line {firsts[ext]} with the team "
                    f"“{first_team[ext][1]}”; one child cannot be open in two teams on one list.",
                )
            )
    return sorted(errors, key=lambda e: e.line)


def _keep_one_row_a_child(snapshot: Snapshot, notes: NoteTally) -> None:
    """A child on a list more than once (with one team) keeps one row: the open episode,
    else the latest start, else the last line. Each other row is a note; List 3 has a row
    a referral, so a child on it twice is ordinary."""
    table = StagedRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) - COUNT(DISTINCT external_id) FROM {table} WHERE snapshot_id = %s",
            [snapshot.pk],
        )
        extra = cursor.fetchone()[0]
        if not extra:
            return
        ranked = f"""
            SELECT id, line, external_id, ROW_NUMBER() OVER (
                PARTITION BY external_id
                ORDER BY is_open DESC, opened_on DESC NULLS LAST, line DESC) AS rn
            FROM {table} WHERE snapshot_id = %s"""
        if snapshot.annex_list != AnnexList.REFERRALS:
            cursor.execute(
                f"SELECT line, external_id FROM ({ranked}) r WHERE rn > 1 ORDER BY line LIMIT %s",
                [snapshot.pk, NOTE_EXAMPLES],
            )
            examples = cursor.fetchall()
            reason = (
                "The child is on the list more than once: the row of the open episode (or the "
                "latest start) was used."
            )
            column = annex_a.BY_KEY["child_id"].heading
            for line, ext in examples:
                notes.add(column, reason, line, ext)
            entry = notes.entries[(column, reason)]
            notes.total += extra - entry["count"]
            entry["count"] = extra
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM ({ranked}) r WHERE rn > 1)",
            [snapshot.pk],
        )


def staged_closure_dates(snapshot: Snapshot) -> dict[str, dt.date]:
    """The closure dates the list's closed rows give, by child ID."""
    return dict(
        StagedRow.objects.filter(
            snapshot=snapshot, is_open=False, closed_on__isnull=False
        ).values_list("external_id", "closed_on")
    )
