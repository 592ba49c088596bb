from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sampling import exports
from sampling.selectors import monthly_sample

from .draw_sample import month


class Command(BaseCommand):
    help = "Write the month's sample as CSV to standard output: case ID, stratum, weight, …"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, type=month, help="YYYY-MM")

    def handle(self, *args, period, **options):
        sample = monthly_sample(period=period)
        if sample is None:
            raise CommandError(f"There is no sample for {period:%B %Y}; draw it first.")
        exports.write_csv(sample, self.stdout)
