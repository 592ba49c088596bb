"""Receivers for the signals other apps send (see RemediationConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accounts import clock


def make_actions_when_audit_reaches_team_manager(
    sender: Any, *, audit, today: dt.date | None = None, **kwargs: Any
) -> None:
    from .services import actions_create_for_audit

    actions_create_for_audit(audit=audit, today=today or clock.today())
