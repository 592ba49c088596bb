"""In Chromium: an auditor completes a whole Bradford audit from the task list to
submission with the keyboard alone, and every page on the way passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.selectors import policy_get
from audits.form_presets import preset
from audits.services import form_preset_load
from tests.audits.factories import allocation, case_in
from tests.conftest import assert_accessible, sign_in_through_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _press(page, locator, key: str = "Enter") -> None:
    """Move the keyboard focus to a control and press a key on it."""
    locator.focus()
    page.keyboard.press(key)


def test_an_auditor_completes_a_bradford_audit_by_keyboard_alone(org, live_server, page):
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.save()
    form_preset_load(key="bradford", make_current=True)
    allocated = allocation(
        auditor=org.auditor, case=case_in(org.north_team, worker=org.social_worker)
    )

    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").focus()
    page.keyboard.type(org.auditor.email)
    page.keyboard.press("Tab")
    page.keyboard.type("a-test-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    page.goto(f"{live_server.url}/audit/allocation/{allocated.pk}/")
    assert_accessible(page)
    _press(page, page.get_by_role("button", name="Start the audit"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Audit of case {allocated.case.external_id}"
    )
    assert_accessible(page)

    sections = preset("bradford")["sections"]
    _press(page, page.get_by_role("link", name=sections[0]["title"]))
    for number, section in enumerate(sections, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(section["title"])
        assert_accessible(page)
        # Arrow keys move through a radio group; Tab leaves it for the evidence box.
        page.locator("#id_grade_0").focus()
        page.keyboard.press("ArrowDown")  # Outstanding → Good
        expect(page.get_by_label("Good", exact=True)).to_be_checked()
        page.keyboard.press("Tab")
        expect(page.locator("#id_evidence")).to_be_focused()
        page.keyboard.type(f"Section {number}: the file shows steady, timely work.")
        expect(page.locator("#autosave-status")).to_contain_text("Saved at")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # Save and continue

    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of case")
    expect(page.get_by_text("You have completed 9 of 9 sections")).to_be_visible()
    assert_accessible(page)

    _press(page, page.get_by_role("link", name="Child and family views"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Child and family views")
    assert_accessible(page)
    _press(page, page.get_by_label("A parent or carer", exact=True), "Space")
    _press(page, page.get_by_role("radio", name="Yes").first, "Space")
    page.get_by_label("Their views, in their own words").focus()
    page.keyboard.type("Dad said the worker explained the plan so he could follow it.")
    _press(page, page.get_by_role("button", name="Save and return to the task list"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of case")

    _press(page, page.get_by_role("link", name="Overall grade, strengths and learning"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Overall grade, strengths and learning"
    )
    assert_accessible(page)
    _press(page, page.get_by_role("radio", name="Good", exact=True), "Space")
    for label, text in (
        ("Reasons for the grade", "Good across every section."),
        ("Strengths and good practice", "Direct work with the child is planned."),
        ("Organisational learning", "Keep chronologies current."),
    ):
        page.get_by_label(label).focus()
        page.keyboard.type(text)
    _press(page, page.get_by_role("button", name="Save and return to the task list"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of case")

    _press(page, page.get_by_role("link", name="Actions (what, who, by when)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    assert_accessible(page)
    page.get_by_label("What is to be done").focus()
    page.keyboard.type("Update the chronology.")
    page.keyboard.press("Tab")
    page.keyboard.type("Sky Worker")
    page.keyboard.press("Tab")
    page.keyboard.type("2026-12-15")
    page.keyboard.press("Enter")
    expect(page.get_by_role("table")).to_contain_text("Update the chronology.")
    assert_accessible(page)
    _press(page, page.get_by_role("link", name="Return to the task list"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of case")

    _press(page, page.get_by_role("link", name="Check and submit"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your audit before you submit it"
    )
    assert_accessible(page)
    _press(page, page.get_by_role("button", name="Submit the audit"))
    expect(page.get_by_text("The audit has been submitted.")).to_be_visible()
    expect(page.locator(".app-audit-bar")).to_contain_text("With team manager")
    assert_accessible(page)

    allocated.refresh_from_db()
    audit = allocated.audit
    assert audit.status == "with_team_manager"
    assert audit.answers.filter(grade="good", status="completed").count() == 9


def test_the_submit_page_names_a_broken_grade_rule_in_the_error_summary(org, live_server, page):
    """Bradford Appendix 1: the message sits in the GOV.UK error summary."""
    from tests.audits.factories_form import fill_in, started_audit

    audit = fill_in(started_audit(org), grade="requires_improvement", overall="outstanding")
    sign_in_through_page(page, live_server.url, org.auditor.email)
    page.goto(f"{live_server.url}/audit/{audit.pk}/submit/")
    page.get_by_role("button", name="Submit the audit").focus()
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("no higher than Good")
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("no higher than Good")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Overall grade, strengths and learning"
    )
    assert_accessible(page)
