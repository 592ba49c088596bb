from django.core.management.base import BaseCommand

from accounts.models import PolicyPreset
from accounts.services import policy_load_preset


class Command(BaseCommand):
    help = "Set the authority's policy from one of the five seed presets."

    def add_arguments(self, parser):
        parser.add_argument(
            "preset", choices=[p.value for p in PolicyPreset if p != PolicyPreset.CUSTOM]
        )

    def handle(self, *args, preset: str, **options):
        policy = policy_load_preset(preset=preset)
        self.stdout.write(f"Loaded the {policy.get_preset_display()} policy.")
