from __future__ import annotations

from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "remediation"
    verbose_name = "Remedial actions"

    def ready(self) -> None:
        # The audits app may not import this one, so it sends a signal as an audit reaches
        # the team manager and its actions are made in the same transaction. The hourly
        # `create-actions` sweep makes any that were missed.
        from audits.signals import audit_reached_team_manager

        from .receivers import make_actions_when_audit_reaches_team_manager

        audit_reached_team_manager.connect(
            make_actions_when_audit_reaches_team_manager, dispatch_uid="remediation-actions"
        )
