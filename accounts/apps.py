from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisation"

    def ready(self) -> None:
        # Connects the receiver that enqueues notice emails (see accounts.signals).
        # Signal receivers: SQLite's trigger functions, and what a sign-in notes in the session.
        from . import (  # noqa: F401
            history,
            sessions,
            tasks,  # noqa: F401
            two_factor,
        )

        # After each app migrates: the persona groups (whose admin permissions name models
        # of later apps), and the change-history triggers on that app's tracked tables.
        post_migrate.connect(_after_migrate, dispatch_uid="accounts-after-migrate")


def _after_migrate(sender, using="default", **kwargs) -> None:
    from .history import triggers_install
    from .services import persona_groups_ensure

    persona_groups_ensure()
    triggers_install(app_label=sender.label, using=using)
