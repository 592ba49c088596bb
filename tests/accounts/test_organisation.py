"""The organisation page: service areas, teams, managers, and each area's strategic lead,
who is told at once of safeguarding concerns (Bury 9.1; issue 2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_qa_staff_see_every_area_and_team_with_its_manager(org, client_for):
    page = client_for(org.qa_officer).get(reverse("accounts:organisation")).content.decode()
    for text in ["North", "South", "North Family Support", "Tia Manager", "Lee Lead"]:
        assert text in page


def test_the_organisation_page_runs_a_fixed_number_of_queries(
    org, client_for, django_assert_max_num_queries
):
    client = client_for(org.qa_officer)
    client.get(reverse("accounts:organisation"))
    for n in range(30):
        team = TeamFactory(name=f"Extra team {n}", service_area=org.south)
        UserFactory(team=team, role=Role.SOCIAL_WORKER, in_audit_pool=n % 2 == 0)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:organisation"))
    assert "Extra team 29" in response.content.decode()


def test_qa_staff_name_an_areas_strategic_lead(org, client_for):
    client = client_for(org.qa_officer)
    url = reverse("accounts:strategic-lead", args=[org.south.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"lead": org.service_manager.pk})
    assert response.status_code == 302
    org.south.refresh_from_db()
    assert org.south.strategic_lead == org.service_manager


def test_a_social_worker_cannot_be_named_strategic_lead(org, client_for):
    url = reverse("accounts:strategic-lead", args=[org.south.pk])
    response = client_for(org.qa_officer).post(url, {"lead": org.social_worker.pk})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    org.south.refresh_from_db()
    assert org.south.strategic_lead is None


@pytest.mark.parametrize(
    "persona",
    ["auditor", "team_manager", "service_manager", "senior_manager", "social_worker", "outsider"],
)
def test_only_qa_staff_and_admins_see_or_change_the_organisation(org, client_for, persona):
    client = client_for(getattr(org, persona))
    assert client.get(reverse("accounts:organisation")).status_code == 403
    url = reverse("accounts:strategic-lead", args=[org.north.pk])
    assert client.post(url, {"lead": ""}).status_code == 403
    org.north.refresh_from_db()
    assert org.north.strategic_lead == org.strategic_lead
