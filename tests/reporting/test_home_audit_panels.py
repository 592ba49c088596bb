"""Home panels for the people an audit is about: the team manager sees finished audits of
their teams' cases (P&Q 23, Hillingdon 2.14); the worker and team manager see drafts shared
with them for comment (P&Q 18, 21)."""

from __future__ import annotations

import pytest

from accounts.selectors import policy_get
from audits.services import audit_share_for_comment, audit_submit
from tests.audits.factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


def _no_qa_check():
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.save()


def test_a_draft_shared_for_comment_shows_on_the_workers_and_team_managers_home(org, client_for):
    audit = fill_in(started_audit(org))
    audit_share_for_comment(audit=audit, by=org.auditor)
    case_id = audit.case.external_id
    for person in (org.social_worker, org.team_manager):
        page = client_for(person).get("/").content.decode()
        assert "Draft audits shared with you for comment" in page
        assert case_id in page
    outsider_page = client_for(org.outsider).get("/").content.decode()
    assert case_id not in outsider_page
    assert "No audits of your cases are waiting for your comments." in outsider_page


def test_a_finished_audit_waits_on_the_team_managers_home_with_its_grade_in_words(org, client_for):
    _no_qa_check()
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    page = client_for(org.team_manager).get("/").content.decode()
    assert "Finished audits waiting for your oversight" in page
    assert audit.case.external_id in page
    assert audit.overall_label and audit.overall_label in page
    other = client_for(org.service_manager).get("/").content.decode()
    assert "Finished audits waiting for your oversight" not in other
