"""The authority's policy: five presets from the seeds, and the page QA staff edit it on
(SPEC §11)."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import ActionDeadlineRule, AuditDeadlineRule, Policy, Role
from accounts.selectors import policy_get
from accounts.services import policy_load_preset

pytestmark = pytest.mark.django_db


def test_bury_preset_twenty_working_days_to_audit_and_twenty_five_for_actions():
    """Bury 6.4 and 7.2: audits within 20 working days; Bury 9.3: actions within 25
    working days; Bury 10.1: a review of actions four months on; Bury 8.1: paired audits."""
    policy = policy_load_preset(preset="bury")
    assert policy.audit_deadline_rule == AuditDeadlineRule.WORKING_DAYS
    assert policy.audit_deadline_working_days == 20
    assert policy.action_deadline_rule == ActionDeadlineRule.WORKING_DAYS
    assert policy.action_deadline_days == 25
    assert policy.compliance_review_months == 4
    assert policy.paired_percent > 0
    assert policy.period_reviewed_months == 0  # the whole record


def test_pq_preset_month_end_ten_a_year_and_a_fifth_of_the_pool_on_break():
    """P&Q 6: complete by the final calendar day of the month; P&Q 2: at most ten audits a
    year; P&Q 3: at most 20% on break; P&Q 20: every finished audit checked, back within 3
    working days; P&Q 25: re-audit within two months, review after 4 weeks; P&Q 15: six
    months reviewed."""
    policy = policy_load_preset(preset="pq")
    assert policy.audit_deadline_rule == AuditDeadlineRule.MONTH_END
    assert policy.yearly_cap == 10
    assert policy.max_break_percent == 20
    assert policy.qa_check_percent == 100
    assert policy.amendment_working_days == 3
    assert policy.reaudit_window_months == 2
    assert policy.inadequate_review_weeks == 4
    assert policy.period_reviewed_months == 6


def test_leeds_preset_quotas_by_role_and_team_managers_audit_their_own_team():
    """Leeds 5.1-5.5: Chief and Assistant Chief Officer 1, Head of Service 2 from another
    area, SDM 4 from another area, Team Manager 4 from their own team, IRO 1; Leeds 3.2.4:
    twelve months reviewed; Leeds 4.4: not audited in the previous twelve months; Leeds
    7.4: corrective actions within fourteen days of receipt."""
    policy = policy_load_preset(preset="leeds")
    assert policy.quota_for(Role.STRATEGIC_DIRECTOR) == 1
    assert policy.quota_for(Role.ASSISTANT_DIRECTOR) == 1
    assert policy.quota_for(Role.HEAD_OF_SERVICE) == 2
    assert policy.quota_for(Role.SERVICE_MANAGER) == 4
    assert policy.quota_for(Role.TEAM_MANAGER) == 4
    assert policy.quota_for(Role.IRO) == 1
    assert policy.own_team_roles == [Role.TEAM_MANAGER]
    assert set(policy.other_area_roles) == {Role.HEAD_OF_SERVICE, Role.SERVICE_MANAGER}
    assert policy.period_reviewed_months == 12
    assert policy.lookback_months == 12
    assert policy.action_deadline_rule == ActionDeadlineRule.CALENDAR_DAYS
    assert policy.action_deadline_days == 14


def test_bradford_preset_one_audit_a_month_by_month_end_with_a_week_reminder():
    """Bradford 2: every manager one audit a month, not from their own teams, complete by
    the end of the month, a reminder a week before; Bradford 3: six months reviewed."""
    policy = policy_load_preset(preset="bradford")
    assert policy.default_quota == 1
    assert policy.quotas == {}
    assert policy.own_team_roles == []
    assert policy.audit_deadline_rule == AuditDeadlineRule.MONTH_END
    assert policy.reminder_lead_working_days == 5
    assert policy.period_reviewed_months == 6


def test_hillingdon_preset_six_months_by_the_set_date_and_no_own_team_cases():
    """Hillingdon 2.1: not allocated to auditors whose team was involved; Hillingdon 3: the
    previous 6 months."""
    policy = policy_load_preset(preset="hillingdon")
    assert policy.own_team_roles == []
    assert policy.period_reviewed_months == 6
    assert policy.audit_deadline_rule == AuditDeadlineRule.MONTH_END


def test_loading_a_preset_replaces_every_setting_of_the_previous_one():
    policy_load_preset(preset="leeds")
    policy = policy_load_preset(preset="bradford")
    assert policy.quotas == {}
    assert policy.own_team_roles == []
    assert Policy.objects.count() == 1


def test_load_policy_command_loads_a_preset():
    out = io.StringIO()
    call_command("load_policy", "pq", stdout=out)
    assert "Performance and Quality" in out.getvalue()
    assert policy_get().yearly_cap == 10


def test_qa_staff_read_and_change_the_policy_and_other_qa_staff_are_told(
    org, client_for, django_capture_on_commit_callbacks
):
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(email="qa2@example.test", role=Role.QA_OFFICER)
    policy_load_preset(preset="bury")
    client = client_for(org.qa_officer)
    assert client.get(reverse("accounts:policy")).status_code == 200
    page = client.get(reverse("accounts:policy-edit"))
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(
        {
            "strata": ["service_area", "case_type"],
            "own_team_roles": [],
            "other_area_roles": [],
            "audit_deadline_working_days": 15,
            "closure_days": "2026-12-24\n2026-12-31",
            "quota_team_manager": 3,
        }
    )
    data.pop("allocate_without_review", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:policy-edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    policy = policy_get()
    assert policy.audit_deadline_working_days == 15
    assert policy.preset == "custom"
    assert policy.quota_for(Role.TEAM_MANAGER) == 3
    assert sorted(d.isoformat() for d in policy.closures) == ["2026-12-24", "2026-12-31"]
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    assert "changed" in mail.outbox[0].subject


def test_a_bad_closure_day_is_refused_with_its_line_and_nothing_changes(org, client_for):
    policy_load_preset(preset="bury")
    client = client_for(org.qa_officer)
    page = client.get(reverse("accounts:policy-edit"))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(
        {
            "strata": ["team"],
            "closure_days": "2026-12-24\n24th Dec",
            "audit_deadline_working_days": 11,
        }
    )
    response = client.post(reverse("accounts:policy-edit"), data)
    assert response.status_code == 200
    assert "Line 2: “24th Dec” is not a date" in response.content.decode()
    assert policy_get().audit_deadline_working_days == 20


@pytest.mark.parametrize(
    "persona",
    ["auditor", "team_manager", "service_manager", "senior_manager", "social_worker", "outsider"],
)
def test_only_qa_staff_and_admins_may_see_or_change_the_policy(org, client_for, persona):
    client = client_for(getattr(org, persona))
    assert client.get(reverse("accounts:policy")).status_code == 403
    assert client.get(reverse("accounts:policy-edit")).status_code == 403
    assert client.post(reverse("accounts:policy-edit"), {}).status_code == 403


def test_an_admin_may_see_the_policy(org, client_for):
    assert client_for(org.admin).get(reverse("accounts:policy")).status_code == 200
