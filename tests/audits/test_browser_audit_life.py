"""In Chromium, the pages of the audit's life added for issue 17 pass axe-core: the
challenger's moderation page (P&Q 22), the review session (Hillingdon 2.11), and the
inadequate pathways list and page (P&Q 25)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.selectors import policy_get
from audits.models import InadequatePathway
from audits.services import audit_share_for_comment, audit_submit, comment_add
from tests.conftest import assert_accessible, sign_in_through_page

from .factories_form import TODAY, fill_in, started_audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_challengers_and_review_session_pages_pass_axe(org, live_server, page):
    """P&Q 22 and Hillingdon 2.11: the challenger takes it further; the auditor records
    the review session. Both pages, and their error states, pass axe-core."""
    policy = policy_get()
    policy.dispute_route = "review_then_mediation"
    policy.save()
    audit = fill_in(started_audit(org), grade="good", overall="good")
    audit_share_for_comment(audit=audit, by=org.auditor)
    challenge = comment_add(audit=audit, by=org.social_worker, body="Too high.", challenge=True)
    sign_in_through_page(page, live_server.url, org.social_worker.email)
    page.goto(f"{live_server.url}/audit/{audit.pk}/comment/{challenge.pk}/moderation/")
    assert_accessible(page)
    page.get_by_role("button", name="Ask for moderation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What could you not agree with the auditor?").fill("We met; no change.")
    page.get_by_role("button", name="Ask for moderation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of case")
    page.context.clear_cookies()
    sign_in_through_page(page, live_server.url, org.auditor.email)
    page.goto(f"{live_server.url}/audit/{audit.pk}/review-session/")
    assert_accessible(page)


def test_the_inadequate_pathway_pages_pass_axe(org, live_server, page):
    """P&Q 25: QA staff see the open pathways and record the meeting."""
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.inadequate_pathway = True
    policy.save()
    audit = fill_in(started_audit(org), grade="inadequate", overall="inadequate")
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    assert InadequatePathway.objects.filter(audit=audit).exists()
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.goto(f"{live_server.url}/audit/pathways/")
    assert_accessible(page)
    page.get_by_role("link", name=audit.case.external_id).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inadequate pathway")
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
