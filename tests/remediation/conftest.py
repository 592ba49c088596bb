from __future__ import annotations

import datetime as dt

import pytest

from accounts.services import policy_load_preset


@pytest.fixture
def bury(db):
    """Bury's policy: 25 working days, reminders 5 working days ahead, a four-month
    compliance review (Bury 9.3, 10)."""
    return policy_load_preset(preset="bury")


@pytest.fixture
def leeds(db):
    """Leeds's policy: 14 days from the team manager's receipt (Leeds 7.4)."""
    return policy_load_preset(preset="leeds")


@pytest.fixture
def today():
    return dt.date(2026, 11, 16)
