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
            raise CommandError(f"{file.name} was not imported; nothing changed.")
        self.stdout.write(
            f"{snapshot} imported: {snapshot.open_count} open, {snapshot.created} new, "
            f"{snapshot.updated} updated, {snapshot.unchanged} unchanged, "
            f"{snapshot.closed} closed, {snapshot.reopened} reopened."
        )
        for kind, names in (("team", snapshot.unknown_teams), ("worker", snapshot.unknown_workers)):
            for name, n in names:
                self.stdout.write(f"  unknown {kind}: {name} ({n} rows): map it under Cases")
