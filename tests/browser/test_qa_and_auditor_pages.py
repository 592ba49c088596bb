"""Pages added for QA staff and auditors, driven in Chromium and checked with axe-core:
learning themes, changing a draft form, placing a case by hand, naming the IRO."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from audits.services import form_preset_load
from sampling.models import SampleCase
from tests.accounts.factories import UserFactory
from tests.audits.factories import allocation, case_in
from tests.audits.factories_form import started_audit
from tests.conftest import assert_accessible, sign_in_through_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_qa_staff_keep_themes_and_change_a_draft_form(org, live_server, page):
    form_preset_load(key="bradford", make_current=True)
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.goto(f"{live_server.url}/audit/forms/themes/")
    assert_accessible(page)
    page.get_by_label("Add a theme").fill("Sibling relationships")
    page.get_by_role("button", name="Add theme").click()
    expect(page.get_by_text("“Sibling relationships” has been added.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the audit forms").click()
    assert_accessible(page)
    page.get_by_role("button", name="Copy to a draft from version 1").click()
    page.get_by_role("link", name="Change draft version 2").click()
    assert_accessible(page)
    page.get_by_label("Form title").fill("Bradford case file audit (2027)")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bradford case file audit (2027)")
    assert_accessible(page)


def test_qa_staff_give_a_case_nobody_holds_to_an_auditor(org, live_server, page):
    held = allocation(auditor=org.auditor, case=case_in(org.north_team, worker=org.social_worker))
    gap = case_in(org.north_team, worker=org.social_worker, external_id="GAP001")
    SampleCase.objects.create(sample=held.run.sample, case=gap)
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.goto(f"{live_server.url}/audits/allocation/2026-11/")
    assert_accessible(page)
    page.get_by_role("row", name="GAP001").get_by_role("link", name="Give to an auditor").click()
    assert_accessible(page)
    page.get_by_label("Give the case to").select_option(
        label=f"{org.qa_officer.full_name} – QA officer, North"
    )
    page.get_by_label("They may take it over their quota this month").check()
    page.get_by_role("button", name="Give the case").click()
    expect(page.get_by_text("Case GAP001 is now with")).to_be_visible()
    assert_accessible(page)


def test_the_auditor_names_the_childs_iro(org, live_server, page):
    iro = UserFactory(email="iro@example.test", full_name="Ira Reviewer", role=Role.IRO)
    audit = started_audit(org)
    sign_in_through_page(page, live_server.url, org.auditor.email)
    page.goto(f"{live_server.url}/audit/{audit.pk}/")
    page.get_by_role("link", name="Change the IRO or CP chair").click()
    assert_accessible(page)
    page.get_by_label("IRO or CP chair").select_option(label=iro.full_name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The IRO has been saved.")).to_be_visible()
    expect(page.get_by_text("Ira Reviewer,")).to_be_visible()
    assert_accessible(page)
