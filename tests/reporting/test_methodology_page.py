"""The methodology page: how the estimates and agreement figures are made, in plain words,
for those who read the reports (SPEC §1 senior managers "read dashboards and reports"; §10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("reporting:methodology")


@pytest.mark.parametrize(
    "persona", ["senior_manager", "strategic_lead", "qa_officer", "service_manager", "team_manager"]
)
def test_report_readers_and_team_managers_read_the_methodology(org, client_for, persona):
    """Senior managers, heads of service (the strategic lead), QA staff, service and team
    managers."""
    page = client_for(getattr(org, persona)).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "95% confidence interval" in text
    assert "Landis and Koch" in text
    assert "fewer than 10 audits" in text


@pytest.mark.parametrize("persona", ["social_worker", "auditor", "outsider"])
def test_social_workers_and_auditors_alone_are_refused(org, client_for, persona):
    assert client_for(getattr(org, persona)).get(URL).status_code == 403


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_a_personal_adviser_is_refused_too(db, client_for):
    adviser = UserFactory(email="pa@example.test", role=Role.PERSONAL_ADVISER)
    assert client_for(adviser).get(URL).status_code == 403


def test_the_page_states_the_limits_in_force(org, client_for, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 12
    settings.ESTIMATE_LOW_PRECISION_WIDTH = 25
    text = client_for(org.senior_manager).get(URL).content.decode()
    assert "fewer than 12 audits" in text
    assert "wider than 25 percentage points" in text
