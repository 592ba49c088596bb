from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sampling.models import AnnexList, SnapshotSource, SnapshotStatus
from sampling.services import FrameFileRefused, frame_import_file


class Command(BaseCommand):
    help = (
        "Import an Ofsted Annex A case list (CSV or XLSX) as the snapshot of open cases on "
        "a date. A file with any bad row imports nothing; the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as-of", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--list", choices=AnnexList.values, dest="annex_list")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Part of a list only: close no case that is missing from it.",
        )

    def handle(self, *args, file: Path, as_of: dt.date, annex_list, partial, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        try:
            snapshot = frame_import_file(
                path=file,
                as_of=as_of,
                annex_list=annex_list,
                complete=not partial,
                source=SnapshotSource.COMMAND,
            )
        except FrameFileRefused as refused:
            if refused.snapshot is not None and refused.snapshot.status == SnapshotStatus.IMPORTED:
                self.stdout.write(refused.message)
                return
            raise CommandError(refused.message) from None
        lists = [snapshot, *snapshot.parts.order_by("annex_list")]
        for sheet in snapshot.ignored_sheets:
            self.stdout.write(f"  sheet not imported: {sheet}")
        for item in lists:
            self._report(item, several=len(lists) > 1)
        if any(item.status != SnapshotStatus.IMPORTED for item in lists):
            raise CommandError(f"{file.name} was not imported; nothing changed.")

    def _report(self, snapshot, *, several: bool) -> None:
        name = f"List {snapshot.annex_list}" if snapshot.annex_list else "The list"
        if several:
            self.stdout.write(f"{name} (sheet “{snapshot.sheet_name}”):")
        for heading, meaning in snapshot.columns_used:
            self.stdout.write(f"  column used: {heading} ({meaning})")
        for heading in snapshot.columns_ignored:
            self.stdout.write(f"  column ignored: {heading}")
        if snapshot.status != SnapshotStatus.IMPORTED:
            for line, column, message in snapshot.errors:
                where = f"Line {line}" if line else "The file"
                self.stderr.write(f"{where}{f', column “{column}”' if column else ''}: {message}")
            if snapshot.more_errors:
                self.stderr.write(f"… and {snapshot.more_errors} more problems.")
            if snapshot.message:
                self.stderr.write(snapshot.message)
        else:
            self.stdout.write(
                f"{snapshot} imported: {snapshot.open_count} open, {snapshot.created} new, "
                f"{snapshot.updated} updated, {snapshot.unchanged} unchanged, "
                f"{snapshot.closed} closed, {snapshot.reopened} reopened."
            )
            if snapshot.message:
                self.stdout.write(f"  {snapshot.message}")
        if snapshot.note_count:
            self.stdout.write(
                f"  {snapshot.note_count} value{'s' if snapshot.note_count != 1 else ''} "
                "imported with a note:"
            )
        for note in snapshot.notes:
            examples = "; ".join(
                f"line {line}" + (f" “{value}”" if value else "")
                for line, value in note["examples"]
            )
            column = note["column"] or "the row"
            self.stdout.write(
                f"  note: {column}: {note['reason']} {note['count']} row"
                f"{'s' if note['count'] != 1 else ''} (e.g. {examples})"
            )
        for kind, names in (("team", snapshot.unknown_teams), ("worker", snapshot.unknown_workers)):
            for name, n in names:
                self.stdout.write(f"  unknown {kind}: {name} ({n} rows): map it under Cases")
