"""The Django admin: administrators manage people, teams, the policy and settings there,
and it holds no child's records for anyone (issue 14). Every page it offers an
administrator opens (a broken admin registration is found here, not by an operator)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Tables that hold children's records or name their cases: never in the admin.
CASE_DATA_MODELS = {
    "sampling.case",
    "sampling.snapshot",
    "sampling.sample",
    "sampling.samplecase",
    "audits.allocation",
    "audits.allocationrun",
    "audits.exemptionrequest",
    "audits.audit",
    "audits.sectionanswer",
    "audits.smartaction",
    "audits.safeguardingconcern",
    "audits.qacheck",
    "audits.inadequatepathway",
    "audits.childfamilyviews",
    "audits.comment",
    "remediation.remedialaction",
    "remediation.managementdecision",
    "remediation.disagreement",
    "remediation.compliancereview",
    "remediation.complianceitem",
    "remediation.followup",
    "accounts.notice",
    "accounts.accessrecord",
    "accounts.change",
}


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_admin_site_registers_no_model_holding_childrens_records():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered & CASE_DATA_MODELS == set()
    assert {"accounts.user", "accounts.team", "accounts.servicearea", "accounts.policy"} <= (
        registered
    )


def test_the_administrator_is_no_superuser_and_opens_every_admin_page_offered(org, client_for):
    assert not org.admin.is_superuser and org.admin.is_staff
    client = client_for(org.admin)
    request = _request(org.admin)
    opened = failures = 0
    failures = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if not model_admin.has_view_or_change_permission(request):
            continue
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        opened += 1
        if client.get(url).status_code != 200:
            failures.append(url)
        if model_admin.has_add_permission(request):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            if client.get(add).status_code != 200:
                failures.append(add)
    assert failures == []
    assert opened >= 8


@pytest.mark.parametrize("persona", ["qa_officer", "senior_manager", "social_worker"])
def test_nobody_but_an_administrator_opens_the_admin(org, client_for, persona):
    response = client_for(getattr(org, persona)).get("/admin/accounts/user/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_administrator_cannot_change_their_own_role(org, client_for):
    """Changing their own role would give an administrator another persona's access."""
    response = client_for(org.admin).get(f"/admin/accounts/user/{org.admin.pk}/change/")
    assert response.status_code == 200
    assert 'name="role"' not in response.content.decode()
    other = client_for(org.admin).get(f"/admin/accounts/user/{org.social_worker.pk}/change/")
    assert 'name="role"' in other.content.decode()
