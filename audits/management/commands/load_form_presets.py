from django.core.management.base import BaseCommand, CommandError

from accounts.errors import RuleViolation
from accounts.selectors import policy_get
from audits.form_presets import PRESETS
from audits.services import form_preset_load


class Command(BaseCommand):
    help = (
        "Load the five seed audit forms as published versions and make current the one "
        "that matches the policy preset (or --current). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--current", choices=sorted(PRESETS), help="Form new audits use")

    def handle(self, *args, current: str | None, **options):
        preset = policy_get().preset
        chosen = current or (preset if preset in PRESETS else "bury")
        try:
            for key in PRESETS:
                version = form_preset_load(key=key, make_current=key == chosen)
                self.stdout.write(f"{key}: version {version.number}")
        except RuleViolation as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"New audits use the {chosen} form.")
