"""Single sign-on with OpenID Connect (issue 15), end to end against a real OpenID
provider on loopback (oidc-provider-mock, run in a thread): the code flow with PKCE,
first-time linking by email, the stable subject (Entra's oid and tid) that survives a
changed email claim, refusal of anyone not in the staff list, sign-out, the role mapping,
and passwords only for the break-glass accounts."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import oidc_provider_mock
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import User

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
CLIENT_ID = "casefile-audit-test"


@pytest.fixture(scope="module")
def issuer():
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, issuer):
    settings.SSO_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Microsoft Entra ID"
    settings.SSO_BREAK_GLASS_EMAILS = ["admin@example.test"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Microsoft Entra ID",
                    "client_id": CLIENT_ID,
                    "secret": "a-test-secret",
                    "settings": {"server_url": issuer, "fetch_userinfo": False},
                }
            ],
        }
    }
    return issuer


def entra_person(issuer: str, sub: str, *, oid: str, email: str, **claims) -> None:
    """Tell the provider who `sub` is: Entra's claims, with oid and tid."""
    response = requests.put(
        f"{issuer}/users/{quote(sub)}",
        json={"oid": oid, "tid": TENANT, "email": email, "name": sub, **claims},
        timeout=5,
    )
    assert response.status_code == 204


def sign_in(client, issuer: str, sub: str, next_url: str = "/"):
    """Start at our sign-in button, authorise at the provider, come back with the code."""
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": "sso"}), {"next": next_url}
    )
    assert start.status_code == 302, start.content
    authorize = start["Location"]
    assert authorize.startswith(f"{issuer}/oauth2/authorize")
    at_provider = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}"), authorize


def test_sign_in_uses_the_code_flow_with_pkce(client, sso, org):
    entra_person(sso, "tia", oid="oid-tia", email="tm@example.test")
    response, authorize = sign_in(client, sso, "tia")
    query = parse_qs(urlsplit(authorize).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert "openid" in query["scope"][0].split()
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_first_sign_in_links_the_subject_to_the_staff_member_with_that_email(client, sso, org):
    entra_person(sso, "tia", oid="oid-tia", email="TM@example.test")
    response, _ = sign_in(client, sso, "tia", next_url="/notices/")
    assert response["Location"] == "/notices/"
    link = SocialAccount.objects.get()
    assert link.user == org.team_manager
    assert link.uid == f"{TENANT}:oid-tia"
    home = client.get(reverse("reporting:home"))
    assert home.status_code == 200
    assert home.context["user"] == org.team_manager


def test_a_changed_email_claim_still_signs_in_the_same_person(client, sso, org):
    """Entra lets the email claim change; the link is the oid and tid, not the address."""
    entra_person(sso, "tia", oid="oid-tia", email="tm@example.test")
    sign_in(client, sso, "tia")
    client.post(reverse("accounts:logout"))
    entra_person(sso, "tia", oid="oid-tia", email="tia.manager@renamed.example.test")
    response, _ = sign_in(client, sso, "tia")
    assert response.status_code == 302
    assert client.get(reverse("reporting:home")).context["user"] == org.team_manager
    org.team_manager.refresh_from_db()
    assert org.team_manager.email == "tm@example.test"  # the staff list owns the address
    assert SocialAccount.objects.count() == 1


def test_an_email_claim_naming_someone_else_does_not_sign_in_as_them(client, sso, org):
    """Once linked, the subject decides who signs in, even if the email claim now names
    another member of staff."""
    entra_person(sso, "tia", oid="oid-tia", email="tm@example.test")
    sign_in(client, sso, "tia")
    client.post(reverse("accounts:logout"))
    entra_person(sso, "tia", oid="oid-tia", email="qa@example.test")
    sign_in(client, sso, "tia")
    assert client.get(reverse("reporting:home")).context["user"] == org.team_manager


def test_a_second_subject_with_a_linked_persons_email_is_refused(client, sso, org):
    entra_person(sso, "tia", oid="oid-tia", email="tm@example.test")
    sign_in(client, sso, "tia")
    client.post(reverse("accounts:logout"))
    entra_person(sso, "impostor", oid="oid-other", email="tm@example.test")
    response, _ = sign_in(client, sso, "impostor")
    assert response.status_code == 403
    assert "already linked to another sign-in" in response.content.decode()
    assert SocialAccount.objects.count() == 1
    assert client.get(reverse("reporting:home")).status_code == 302


def test_someone_not_in_the_staff_list_is_refused_with_a_clear_page(client, sso, org):
    entra_person(sso, "stranger", oid="oid-stranger", email="stranger@example.test")
    users = User.objects.count()
    response, _ = sign_in(client, sso, "stranger")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You are not in the staff list" in page
    assert "Ask the quality assurance team to add you" in page
    assert User.objects.count() == users  # nobody is created from a token
    assert not SocialAccount.objects.exists()
    assert client.get(reverse("reporting:home")).status_code == 302


def test_a_person_no_longer_active_is_refused(client, sso, org):
    org.social_worker.is_active = False
    org.social_worker.save()
    entra_person(sso, "sky", oid="oid-sky", email="sw@example.test")
    response, _ = sign_in(client, sso, "sky")
    assert response.status_code == 403
    assert "not active" in response.content.decode()


def test_signing_out_ends_the_session(client, sso, org):
    entra_person(sso, "tia", oid="oid-tia", email="tm@example.test")
    sign_in(client, sso, "tia")
    assert client.get(reverse("reporting:home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    home = client.get(reverse("reporting:home"))
    assert home.status_code == 302 and reverse("accounts:login") in home["Location"]


def test_app_roles_map_to_personas_when_the_mapping_is_set(client, sso, org, settings):
    settings.OIDC_ROLE_PERSONAS = {"Casefile.QA": "qa_staff", "Casefile.Auditor": "auditor"}
    entra_person(sso, "sky", oid="oid-sky", email="sw@example.test", roles=["Casefile.QA", "Other"])
    sign_in(client, sso, "sky")
    org.social_worker.refresh_from_db()
    assert org.social_worker.personas() == {"qa_staff"}
    assert org.social_worker.team == org.north_team  # the staff list keeps team and manager
    client.post(reverse("accounts:logout"))
    entra_person(sso, "sky", oid="oid-sky", email="sw@example.test", roles=["Casefile.Auditor"])
    sign_in(client, sso, "sky")
    user = User.objects.get(pk=org.social_worker.pk)
    assert user.personas() == {"auditor"}


def test_with_a_mapping_a_token_without_a_mapped_role_is_refused(client, sso, org, settings):
    settings.OIDC_ROLE_PERSONAS = {"Casefile.QA": "qa_staff"}
    entra_person(sso, "sky", oid="oid-sky", email="sw@example.test", roles=["Other"])
    response, _ = sign_in(client, sso, "sky")
    assert response.status_code == 403
    assert "no role in Casefile Audit" in response.content.decode()


def test_the_sign_in_page_leads_with_single_sign_on(client, sso):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Microsoft Entra ID" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": "sso"}) in page
    assert "Emergency access with a password" in page


def test_with_sso_on_only_break_glass_accounts_may_use_a_password(client, sso, org):
    refused = client.post(
        reverse("accounts:login"), {"username": "tm@example.test", "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert "Passwords are only for the named emergency accounts" in refused.content.decode()
    assert client.get(reverse("reporting:home")).status_code == 302
    allowed = client.post(
        reverse("accounts:login"), {"username": "admin@example.test", "password": PASSWORD}
    )
    assert allowed.status_code == 302
    assert client.get(reverse("reporting:home")).status_code == 200


def test_the_admin_site_refuses_passwords_too_when_sso_is_on(client, sso, org):
    response = client.post(
        reverse("admin:login"), {"username": "tm@example.test", "password": PASSWORD}
    )
    assert response.status_code == 200  # the form again: not signed in
    assert "_auth_user_id" not in client.session


def test_without_sso_passwords_work_for_everyone_and_the_sso_urls_are_not_found(client, org):
    response = client.post(
        reverse("accounts:login"), {"username": "tm@example.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    assert "Sign in with" not in client.get(reverse("accounts:login")).content.decode()
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "sso"}))
    assert start.status_code == 404


def test_the_sign_in_page_lets_its_form_lead_to_the_identity_provider(sso, client):
    """The button posts to us and is redirected to the issuer: the page's content security
    policy allows the issuer's origin in form-action, and only with single sign-on on."""
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if p.strip().startswith("form-action"))
    assert sso in form_action and "'self'" in form_action


def test_without_single_sign_on_the_sign_in_form_leads_only_here(db, client):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "form-action 'self';" in policy + ";"
