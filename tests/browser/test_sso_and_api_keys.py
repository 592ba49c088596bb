"""In Chromium: signing in through the organisation's OpenID provider (a real one on
loopback), the refusal page, and an administrator's API keys journey; each page passes
axe-core (issue 15)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from api.models import ApiKey
from tests.accounts.test_sso import entra_person, issuer, sso  # noqa: F401 (fixtures)
from tests.conftest import assert_accessible, sign_in_through_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_of_staff_signs_in_with_single_sign_on_and_out_again(
    org,
    live_server,
    page,
    sso,  # noqa: F811
):
    entra_person(sso, "tia", oid="oid-tia", email="tm@example.test")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Microsoft Entra ID").click()
    page.get_by_label("Subject").fill("tia")
    page.get_by_role("button", name="Authorize", exact=True).click()
    expect(page.get_by_text(f"Signed in as {org.team_manager.full_name}")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))


def test_someone_not_in_the_staff_list_sees_an_accessible_refusal(
    org,
    live_server,
    page,
    sso,  # noqa: F811
):
    entra_person(sso, "stranger", oid="oid-x", email="stranger@example.test")
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with Microsoft Entra ID").click()
    page.get_by_label("Subject").fill("stranger")
    page.get_by_role("button", name="Authorize", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not in the staff list")
    assert_accessible(page)


def test_an_administrator_creates_and_revokes_a_key(org, live_server, page):
    sign_in_through_page(page, live_server.url, org.admin.email)
    page.get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
    assert_accessible(page)
    page.get_by_role("button", name="Create a key").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create key").click()  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Enter a name for the key.")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Power BI: quality pack")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Key created")
    assert_accessible(page)
    assert page.locator("code.app-secret").inner_text().startswith("cfa_")
    page.get_by_role("link", name="Back to API keys").click()
    page.get_by_role("button", name="Revoke Power BI: quality pack").click()
    expect(page.get_by_text("is revoked and no longer works")).to_be_visible()
    assert ApiKey.objects.get().revoked_at is not None
