from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SamplingConfig(AppConfig):
    name = "sampling"

    def ready(self) -> None:
        # After each migrate: the triggers that keep the frame's data version
        # (`sampling.frame_version`).
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="sampling-after-migrate")


def _after_migrate(sender, using="default", **kwargs) -> None:
    from .frame_version import triggers_install

    triggers_install(using=using)
