from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisation"

    def ready(self) -> None:
        post_migrate.connect(_ensure_groups, sender=self)
        # Connects the receiver that enqueues notice emails (see accounts.signals).
        from . import tasks  # noqa: F401


def _ensure_groups(**kwargs) -> None:
    from .services import persona_groups_ensure

    persona_groups_ensure()
