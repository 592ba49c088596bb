from __future__ import annotations

from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "remediation"
    verbose_name = "Remedial actions"

    def ready(self) -> None:
        # The audits app may not import this one. When it offers a signal sent as an audit
        # reaches the team manager, its actions are made at once; the `create-actions`
        # sweep makes them either way.
        try:
            from audits import signals
        except ImportError:
            return
        reached = getattr(signals, "audit_reached_team_manager", None)
        if reached is not None:
            from .receivers import make_actions_when_audit_reaches_team_manager

            reached.connect(
                make_actions_when_audit_reaches_team_manager, dispatch_uid="remediation-actions"
            )
