from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts import clock
from accounts.errors import RuleViolation
from sampling.services import sample_confirm, sample_draw_monthly, sample_redraw


def month(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y-%m").date()


class Command(BaseCommand):
    help = (
        "Draw (or show) the monthly sample for a month; --seed redraws a draft with that "
        "seed, --confirm fixes it. The month has one monthly sample."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, type=month, help="YYYY-MM")
        parser.add_argument("--seed", type=int)
        parser.add_argument("--confirm", action="store_true")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, period: dt.date, seed, confirm: bool, today, **options):
        today = today or clock.today()
        sample = sample_draw_monthly(period=period, today=today, seed=seed)
        try:
            if seed is not None and sample.seed != seed and not sample.is_confirmed:
                sample = sample_redraw(sample=sample, today=today, by=None, seed=seed)
            if confirm:
                sample = sample_confirm(sample=sample, by=None)
        except RuleViolation as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"{sample} ({sample.get_status_display().lower()}): {sample.size} cases, "
            f"seed {sample.seed}, frame {sample.frame_size}."
        )
        for key, n in sample.exclusions.items():
            self.stdout.write(f"  excluded {key.replace('_', ' ')}: {n}")
        self.stdout.write(f"  {'stratum':<60} {'N_h':>6} {'n_h':>5} {'weight':>8}")
        for row in sample.strata_table:
            weight = f"{row['weight']:.2f}" if row["weight"] else "-"
            self.stdout.write(
                f"  {row['stratum'][:60]:<60} {row['frame']:>6} {row['size']:>5} {weight:>8}"
            )
        for note in sample.notes:
            self.stdout.write(f"  note: {note}")
