import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts import clock
from accounts.errors import RuleViolation
from audits.services import allocation_confirm, allocation_propose


class Command(BaseCommand):
    help = (
        "Propose a month's allocation of its confirmed sample to the audit pool; with "
        "--confirm, confirm it and send the notices. A second run shows what exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="The month, YYYY-MM")
        parser.add_argument("--seed", type=int, help="Tie-break seed (default: the sample's)")
        parser.add_argument("--confirm", action="store_true", help="Confirm and notify")
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, period: str, seed: int | None, confirm: bool, today, **options):
        try:
            month = dt.datetime.strptime(period, "%Y-%m").date()
        except ValueError:
            raise CommandError(f"“{period}” is not a month like 2026-11.") from None
        try:
            day = dt.date.fromisoformat(today) if today else clock.today()
        except ValueError:
            raise CommandError(f"“{today}” is not a date like 2026-11-02.") from None
        try:
            run = allocation_propose(period=month, today=day, seed=seed)
            if seed is not None and run.seed != seed:
                self.stderr.write(
                    f"The allocation for {month:%B %Y} already exists with seed {run.seed}; "
                    "it is shown unchanged."
                )
            if confirm:
                run = allocation_confirm(run=run, by=None, today=day)
        except RuleViolation as refused:
            raise CommandError(str(refused)) from None
        allocations = run.allocations.select_related("case", "auditor").order_by(
            "case__external_id", "auditor__email"
        )
        for allocation in allocations:
            deadline = allocation.deadline.isoformat() if allocation.deadline else "-"
            self.stdout.write(
                f"{allocation.case.external_id}\t{allocation.auditor.email}\t"
                f"{allocation.status}\t{deadline}"
            )
        for problem in run.unallocated:
            self.stdout.write(f"{problem['external_id']}\tNOT ALLOCATED\t{problem['reason']}")
        if run.notes:
            self.stdout.write(run.notes)
        self.stdout.write(
            f"{run}: {run.get_status_display().lower()}, {allocations.count()} allocations, "
            f"{len(run.unallocated)} case(s) not fully allocated, seed {run.seed}."
        )
