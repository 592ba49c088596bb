"""Who hears of a finished audit is a policy setting (Bradford App. 1, "Sharing the
audit")."""

from __future__ import annotations

import pytest

from accounts.models import FinishedAuditRecipient, Role
from accounts.policy_presets import preset_values
from audits.services import audit_set_iro, audit_submit
from tests.accounts.factories import UserFactory

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db

KEY = "audit-finished:{}"


def _finish(org, preset):
    policy = preset("bradford")
    policy.qa_check_percent = 0
    policy.save()
    iro = UserFactory(email="iro@example.test", role=Role.IRO, full_name="Ira Reviewing")
    audit = fill_in(started_audit(org), grade="good", overall="good")
    audit_set_iro(audit=audit, iro=iro, by=org.auditor)
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    return audit, iro


def test_bradford_sends_the_finished_audit_to_the_service_manager_iro_and_qa_officer(org, preset):
    """Bradford App. 1: audits are sent to the team manager (with the worker), the service
    manager, the CP co-ordinator or IRO, and the Quality Assurance and Audit Officer."""
    audit, iro = _finish(org, preset)
    told = {
        p
        for p in (
            org.team_manager,
            org.social_worker,
            org.service_manager,
            iro,
            org.qa_officer,
        )
        if p.notices.filter(key=KEY.format(audit.pk)).exists()
    }
    assert told == {org.team_manager, org.social_worker, org.service_manager, iro, org.qa_officer}
    assert not org.outsider.notices.filter(key=KEY.format(audit.pk)).exists()


def test_the_other_presets_send_it_to_the_team_manager_and_worker_only(org, preset):
    """P&Q 23, Bury 6.5, Hillingdon 2.13: the finished audit is assigned to the team
    manager; the setting can be changed by the council."""
    for name in ("pq", "bury", "hillingdon", "leeds"):
        assert preset_values(name)["finished_audit_recipients"] == [
            FinishedAuditRecipient.TEAM_MANAGER,
            FinishedAuditRecipient.WORKER,
        ]
    policy = preset("bury")
    policy.qa_check_percent = 0
    policy.save()
    audit = fill_in(started_audit(org), grade="good", overall="good")
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    assert org.team_manager.notices.filter(key=KEY.format(audit.pk)).exists()
    assert not org.service_manager.notices.filter(key=KEY.format(audit.pk)).exists()
