"""Every persona lands on a home page of what is theirs to do, and every page says who may
see it (issue 2; SPEC §1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sampling.models import Case, CaseType
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

PROTECTED = ["reporting:home", "accounts:policy", "accounts:staff-import", "accounts:notices"]


@pytest.mark.parametrize("url_name", PROTECTED)
def test_someone_not_signed_in_is_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_sign_in_health_accessibility_and_privacy_pages_are_public(client):
    for path in ["/accounts/sign-in/", "/accessibility/", "/privacy/"]:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_has_a_home_page(org, client_for, persona):
    response = client_for(getattr(org, persona)).get(reverse("reporting:home"))
    assert response.status_code == 200
    assert "Hello," in response.content.decode()


def test_qa_staff_home_shows_the_policy_and_the_staff_and_pool_counts(org, client_for):
    page = client_for(org.qa_officer).get("/").content.decode()
    assert "Quality assurance" in page
    assert "in the audit pool" in page


def test_an_auditor_with_no_allocations_is_told_so_plainly(org, client_for):
    page = client_for(org.auditor).get("/").content.decode()
    assert "You have no audits allocated to you." in page


def test_a_team_manager_sees_their_team_and_its_open_cases(org, client_for):
    Case.objects.create(external_id="T1", case_type=CaseType.CIN, team=org.north_team)
    page = client_for(org.team_manager).get("/").content.decode()
    assert "North Family Support" in page
    assert "South Children in Care" not in page


def test_a_social_worker_sees_only_their_own_cases(org, client_for):
    Case.objects.create(
        external_id="MINE1",
        case_type=CaseType.CIN,
        team=org.north_team,
        allocated_worker=org.social_worker,
    )
    Case.objects.create(
        external_id="THEIRS1",
        case_type=CaseType.CLA,
        team=org.south_team,
        allocated_worker=org.outsider,
    )
    page = client_for(org.social_worker).get("/").content.decode()
    assert "MINE1" in page
    assert "THEIRS1" not in page


def test_navigation_shows_only_what_the_person_may_use(org, client_for):
    qa_page = client_for(org.qa_officer).get("/").content.decode()
    assert 'href="/accounts/policy/"' in qa_page
    sw_page = client_for(org.social_worker).get("/").content.decode()
    assert 'href="/accounts/policy/"' not in sw_page
    assert 'href="/admin/"' not in sw_page


@pytest.mark.parametrize(
    "persona",
    ["auditor", "team_manager", "service_manager", "senior_manager", "social_worker", "outsider"],
)
def test_only_qa_staff_and_admins_may_import_staff(org, client_for, persona):
    client = client_for(getattr(org, persona))
    assert client.get(reverse("accounts:staff-import")).status_code == 403
    assert client.post(reverse("accounts:staff-import"), {}).status_code == 403


@pytest.mark.parametrize("persona", ["qa_officer", "social_worker", "team_manager"])
def test_the_admin_site_is_refused_to_people_who_are_not_staff(org, client_for, persona):
    response = client_for(getattr(org, persona)).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_site_opens_for_an_admin(org, client_for):
    assert client_for(org.admin).get("/admin/").status_code == 200


def test_an_unknown_page_is_not_found_with_the_service_layout(org, client_for):
    response = client_for(org.social_worker).get("/no-such-page/")
    assert response.status_code == 404


def test_sign_out_needs_a_post(org, client_for):
    client = client_for(org.social_worker)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_a_head_of_service_is_shown_samples_and_break_requests_in_the_navigation(org, client_for):
    """Leeds 4.5: heads of service may ask for a thematic sample; P&Q 2-3: they see their
    staff's audit breaks against the limit."""
    page = client_for(org.strategic_lead).get("/").content.decode()  # a head of service
    assert 'href="/sampling/samples/"' in page
    assert 'href="/accounts/breaks/requests/"' in page
    sw_page = client_for(org.social_worker).get("/").content.decode()
    assert 'href="/sampling/samples/"' not in sw_page
