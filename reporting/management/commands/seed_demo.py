"""`python manage.py seed_demo`: the synthetic demo authority, and three months of history."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts import clock
from accounts.demo import DEMO_PASSWORD, DEMO_SIGN_INS, build_organisation
from accounts.models import Policy, PolicyPreset
from accounts.services import policy_load_preset
from reporting.demo import build_history
from sampling.demo import build_cases, import_demo_lists


class Command(BaseCommand):
    help = (
        "Load the synthetic demo authority: service areas, about 40 teams, about 300 staff "
        "and about 6,000 open cases, with the current month's audits and the two before it "
        "(--no-history to leave them out). Safe to run again: it adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--policy",
            choices=[p.value for p in PolicyPreset if p != PolicyPreset.CUSTOM],
            help="Load this policy preset (default: Bury, when no policy is set yet).",
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Leave out the samples, allocations, audits and actions of the current "
            "month and the two before it.",
        )

    def handle(self, *args, policy: str | None, no_history: bool = False, **options):
        started = time.monotonic()
        if policy or not Policy.objects.exists():
            policy_load_preset(preset=policy or PolicyPreset.BURY)
            if not policy:
                # The demo authority has turned on P&Q's inadequate pathway (25-26), so
                # every persona has its pages to see.
                Policy.objects.update(inadequate_pathway=True)
        # The audit form that matches the policy preset (issue 5).
        call_command("load_form_presets", stdout=self.stdout)
        made = build_organisation()
        today = clock.today()
        cases = build_cases(today=today)
        monday = today - dt.timedelta(days=today.weekday())
        lists = import_demo_lists(as_of=monday)
        self.stdout.write(
            f"Demo authority ready: {made['areas']} service areas, {made['teams']} teams, "
            f"{made['people']} people and {cases} cases added; {lists} case lists imported "
            f"as of {monday:%-d %B %Y}."
        )
        if not no_history:
            history = build_history(today=today)
            self.stdout.write(
                f"History: {history['months']} months added, with {history['allocations']} "
                f"allocations, {history['audits']} audits started ({history['finished']} "
                f"finished), {history['actions']} remedial actions and {history['decisions']} "
                "Management Decisions."
            )
        self.stdout.write(f"Demo sign-ins (password {DEMO_PASSWORD}):")
        for sign_in in DEMO_SIGN_INS:
            self.stdout.write(f"  {sign_in.persona:<16} {sign_in.email}")
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
