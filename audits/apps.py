from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditsConfig(AppConfig):
    name = "audits"

    def ready(self) -> None:
        # After each migrate: the triggers that keep the copies of a case's team and ID on
        # its audits and allocations (`audits.case_copies`).
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="audits-after-migrate")

        # The yearly cap (P&Q 2) counts allocations, which live here; accounts asks
        # through this counter without importing us.
        from accounts.selectors import register_yearly_usage

        from .selectors import audits_counted_in_year

        register_yearly_usage(audits_counted_in_year)

        # The sample export gains each case's auditors (sampling cannot import us).
        try:
            from sampling.exports import register_column
        except ImportError:
            return
        from .selectors import auditor_emails_by_sample_case

        register_column("Auditors", auditor_emails_by_sample_case)


def _after_migrate(sender, using="default", **kwargs) -> None:
    from .case_copies import triggers_install

    triggers_install(using=using)
