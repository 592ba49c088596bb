import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts import clock
from config import sweeps


class Command(BaseCommand):
    help = (
        "Run every scheduled sweep as of a date (default today): how an operator catches up "
        "after downtime. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD")
        parser.add_argument("--only", action="append", help="Run only the sweeps named")

    def handle(self, *args, today: str | None, only: list[str] | None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else clock.today()
        except ValueError:
            raise CommandError(f"“{today}” is not a date like 2026-11-02.") from None
        names = [s.name for s in sweeps.SWEEPS]
        unknown = set(only or ()) - set(names)
        if unknown:
            raise CommandError(f"No sweep is called {', '.join(sorted(unknown))}.")
        for name in names:
            if only and name not in only:
                continue
            outcome = sweeps.run(name, today=day)
            self.stdout.write(f"{name} as of {day.isoformat()}: {outcome}")
