from __future__ import annotations

import pytest

from accounts.services import policy_load_preset


@pytest.fixture
def policy(db):
    """A policy with no quirks: one audit each, no yearly cap, own teams excluded."""
    from accounts.selectors import policy_get

    policy = policy_get()
    policy.default_quota = 1
    policy.quotas = {}
    policy.own_team_roles = []
    policy.other_area_roles = []
    policy.paired_percent = 0
    policy.yearly_cap = None
    policy.save()
    return policy


@pytest.fixture
def preset(db):
    def load(name: str):
        return policy_load_preset(preset=name)

    return load
