"""A senior manager reads the methodology page in Chromium, opens its technical details, and
the page passes axe-core (SPEC §1, §10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible, sign_in_through_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senior_manager_reads_how_the_figures_are_worked_out(org, live_server, page):
    sign_in_through_page(page, live_server.url, org.senior_manager.email)
    page.goto(f"{live_server.url}/reports/methodology/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How the audit figures are worked out"
    )
    assert_accessible(page)
    page.get_by_text("The method, for those who want it").click()
    expect(page.get_by_text("Korn and Graubard interval")).to_be_visible()
    assert_accessible(page)
