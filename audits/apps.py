from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"

    def ready(self) -> None:
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
