"""In Chromium: the content security policy refuses inline script (so the pages, which have
none, work with it on), and the idle warning appears before the session ends and keeps
it alive (issue 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, sign_in_through_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_refuses_an_inline_script_on_our_pages(org, live_server, page):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert page.evaluate("() => document.body.classList.contains('js-enabled')")
    with pytest.raises(Exception):  # noqa: B017 - Playwright reports the refusal as an error
        page.add_script_tag(content="window.__inlineRan = true;")
    assert page.evaluate("() => window.__inlineRan === undefined")
    assert page.evaluate("() => window.__cspViolations.length") >= 1


def test_the_idle_warning_appears_and_stay_signed_in_keeps_the_session(
    org, live_server, page, settings
):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_IDLE_WARNING = 6
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=6000)
    expect(warning).to_contain_text("You will be signed out")
    assert_accessible(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    page.goto(f"{live_server.url}/accounts/notices/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your notices")
