from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, DEMO_SIGN_INS, build_organisation
from accounts.models import Policy, PolicyPreset
from accounts.services import policy_load_preset
from sampling.demo import build_cases


class Command(BaseCommand):
    help = (
        "Load the synthetic demo authority: service areas, about 40 teams, about 300 staff "
        "and about 6,000 open cases. Safe to run again: it adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--policy",
            choices=[p.value for p in PolicyPreset if p != PolicyPreset.CUSTOM],
            help="Load this policy preset (default: Bury, when no policy is set yet).",
        )

    def handle(self, *args, policy: str | None, **options):
        if policy or not Policy.objects.exists():
            policy_load_preset(preset=policy or PolicyPreset.BURY)
        # The audit form that matches the policy preset (issue 5).
        call_command("load_form_presets", stdout=self.stdout)
        made = build_organisation()
        cases = build_cases()
        self.stdout.write(
            f"Demo authority ready: {made['areas']} service areas, {made['teams']} teams, "
            f"{made['people']} people and {cases} cases added."
        )
        self.stdout.write(f"Demo sign-ins (password {DEMO_PASSWORD}):")
        for sign_in in DEMO_SIGN_INS:
            self.stdout.write(f"  {sign_in.persona:<16} {sign_in.email}")
