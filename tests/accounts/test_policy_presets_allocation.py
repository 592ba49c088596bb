"""The allocation settings of the five presets, each from its seed (SPEC §11)."""

from __future__ import annotations

import pytest

from accounts.models import AuditDeadlineRule
from accounts.policy_presets import preset_values


def test_pq_allows_two_months_break_and_20_percent_of_the_pool_on_break():
    """P&Q 2-3: ten audits a year (two months' break), at most 20% on break."""
    values = preset_values("pq")
    assert values["yearly_cap"] == 10
    assert values["yearly_break_months"] == 2
    assert values["max_break_percent"] == 20


def test_pq_exemptions_by_the_assistant_director_or_for_qa_staff_the_strategic_lead():
    """P&Q 4."""
    values = preset_values("pq")
    assert values["exemption_approver_roles"] == ["assistant_director"]
    assert values["qa_exemptions_by_strategic_lead"] is True


def test_hillingdon_exemptions_by_the_principal_social_worker():
    """Hillingdon 2.17."""
    assert preset_values("hillingdon")["exemption_approver_roles"] == ["principal_social_worker"]


def test_leeds_quotas_own_team_and_other_area_roles():
    """Leeds 5.1-5.5."""
    values = preset_values("leeds")
    assert values["quotas"] == {
        "strategic_director": 1,
        "assistant_director": 1,
        "head_of_service": 2,
        "service_manager": 4,
        "team_manager": 4,
        "iro": 1,
    }
    assert values["own_team_roles"] == ["team_manager"]
    assert values["other_area_roles"] == ["head_of_service", "service_manager"]


def test_bury_pairs_a_fifth_of_cases_and_gives_20_working_days():
    """Bury 6.4, 7.2, 8.1."""
    values = preset_values("bury")
    assert values["paired_percent"] == 20 and values["paired_auditors"] == 2
    assert values["audit_deadline_rule"] == AuditDeadlineRule.WORKING_DAYS
    assert values["audit_deadline_working_days"] == 20


def test_bradford_one_audit_each_by_month_end_with_a_weeks_reminder():
    """Bradford 2."""
    values = preset_values("bradford")
    assert values["default_quota"] == 1 and values["quotas"] == {}
    assert values["own_team_roles"] == []
    assert values["audit_deadline_rule"] == AuditDeadlineRule.MONTH_END
    assert values["reminder_lead_working_days"] == 5


@pytest.mark.parametrize("name", ["bury", "hillingdon", "leeds", "pq", "bradford"])
def test_every_preset_loads_with_its_allocation_settings(db, name):
    from accounts.services import policy_load_preset

    policy = policy_load_preset(preset=name)
    assert policy.exemption_approver_roles
    assert policy.break_limit(10) == 2
