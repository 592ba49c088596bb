"""Signals the audits app sends, for apps to its right (remediation) that it may not import.

`audit_reached_team_manager(sender=Audit, audit=..., today=...)` is sent inside the
transaction that moves an audit to its team manager, so its remedial actions are made with
it (P&Q 23, Bury 9.2-9.3).
"""

from django.dispatch import Signal

audit_reached_team_manager = Signal()
