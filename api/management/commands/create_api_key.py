import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts import clock
from accounts.errors import RuleViolation
from api.models import KeyReader
from api.services import api_key_create


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--expires must be a date written YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Create a read-only API key for one integration and print it once: only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="What will use the key, e.g. 'Power BI quality pack'.")
        parser.add_argument(
            "--expires", type=_day, default=None, help="Last day the key works (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--reads-as",
            choices=KeyReader.values,
            default=KeyReader.SENIOR_MANAGER,
            help="What the key sees: senior_manager (no staff names) or qa_staff.",
        )

    def handle(self, *args, name: str, expires, reads_as: str, **options):
        try:
            record, key = api_key_create(
                name=name, expires_on=expires, reads_as=reads_as, today=clock.today()
            )
        except RuleViolation as refused:
            raise CommandError(str(refused)) from None
        self.stderr.write(
            f"Created “{record.name}”, reading as {record.reads_as}, expiring after "
            f"{record.expires_on.isoformat()}. The key is printed once; it is not kept."
        )
        self.stdout.write(key)
