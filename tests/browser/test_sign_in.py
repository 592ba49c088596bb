"""Each persona signs in and out in Chromium; each home page passes axe-core (issue 2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PERSONAS, assert_accessible, sign_in_through_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_signs_in_sees_an_accessible_home_page_and_signs_out(
    org, live_server, page, persona
):
    user = getattr(org, persona)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"))
    assert_accessible(page)

    sign_in_through_page(page, live_server.url, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {user.get_short_name()}")
    expect(page.get_by_text(f"Signed in as {user.full_name}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))


def test_a_wrong_password_shows_the_error_summary_and_stays_accessible(org, live_server, page):
    sign_in_through_page(page, live_server.url, org.qa_officer.email, password="wrong")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)


def test_qa_staff_open_the_policy_and_staff_pages_by_keyboard_and_mouse(org, live_server, page):
    from accounts.services import policy_load_preset

    policy_load_preset(preset="pq")
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.get_by_role("link", name="Policy").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit policy")
    assert_accessible(page)
    page.get_by_role("link", name="Change the policy").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/staff/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the staff list")
    assert_accessible(page)
    page.get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    assert_accessible(page)
    page.get_by_role("link", name="Change the strategic lead for North").click()
    page.get_by_label("Strategic lead").select_option(label="Sid Service")
    page.get_by_role("button", name="Save strategic lead").click()
    expect(page.get_by_text("The strategic lead for North has been saved.")).to_be_visible()
    assert_accessible(page)


def test_a_social_worker_is_refused_the_policy_page_politely(org, live_server, page):
    sign_in_through_page(page, live_server.url, org.social_worker.email)
    response = page.goto(f"{live_server.url}/accounts/policy/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    assert_accessible(page)
