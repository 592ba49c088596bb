import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from reporting.agreement import period_agreement
from reporting.estimate_export import agreement_dict, as_csv, estimates_dict
from reporting.estimates import period_estimates
from reporting.statistics import METHODS


class Command(BaseCommand):
    help = (
        "Print a period's population estimates (share at each grade or better, overall and "
        "by section, with intervals) and agreement figures (paired audits, QA checks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the last month, YYYY-MM")
        parser.add_argument("--months", type=int, default=1, help="months ending with it")
        parser.add_argument("--format", choices=["json", "csv"], default="csv")
        parser.add_argument("--method", choices=METHODS, default="korn-graubard")
        parser.add_argument(
            "--replicates", type=int, default=1000, help="bootstrap replicates for agreement"
        )

    def handle(self, *args, period: str, months: int, format: str, method: str, **options):
        try:
            month = dt.datetime.strptime(period, "%Y-%m").date()
        except ValueError:
            raise CommandError(f"“{period}” is not a month like 2026-11.") from None
        if months < 1:
            raise CommandError("--months must be 1 or more.")
        if options["replicates"] < 100:
            raise CommandError("--replicates must be 100 or more.")
        estimates = period_estimates(period=month, months=months, method=method)
        agreement = period_agreement(period=month, months=months, replicates=options["replicates"])
        if format == "json":
            body = {**estimates_dict(estimates), "agreement": agreement_dict(agreement)}
            self.stdout.write(json.dumps(body, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(as_csv(estimates, agreement), ending="")
