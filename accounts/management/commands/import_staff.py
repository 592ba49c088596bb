from django.core.management.base import BaseCommand, CommandError

from accounts.errors import ImportRejected
from accounts.services import staff_import


class Command(BaseCommand):
    help = "Create or update people, teams and service areas from a staff list (CSV or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="CSV or XLSX with columns email, full_name, role, team, "
            "service_area, line_manager_email, in_audit_pool",
        )

    def handle(self, *args, file: str, **options):
        try:
            with open(file, "rb") as stream:
                result = staff_import(stream=stream)
        except FileNotFoundError:
            raise CommandError(f"There is no file at {file}.") from None
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(rejected.errors)} problem(s) found; nothing was imported."
            ) from None
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
            f"{len(result.teams_created)} new teams, {len(result.areas_created)} new service areas."
        )
