"""The journeys of remedial actions in Chromium, each page checked with axe-core: a team
manager records an action done, signs actions off one and several at once, and records a
Management Decision; a service manager authorises the decision and the signed-off actions
(Bury 9.3-9.4, 10.1)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import policy_load_preset
from remediation.models import ActionStatus, DecisionStatus, ManagementDecision, RemedialAction
from remediation.services import action_fulfil
from tests.conftest import assert_accessible, sign_in_through_page
from tests.remediation.factories import remedial_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_manager_signs_off_and_records_a_decision_and_a_service_manager_authorises(
    org, live_server, page
):
    policy_load_preset(preset="bury")
    today = timezone.localdate()
    first, second, third, fourth = remedial_actions(org, n=4, finished_on=today)
    for action in (second, third):
        action_fulfil(action=action, by=org.social_worker, fulfilled_on=today, today=today)

    sign_in_through_page(page, live_server.url, org.team_manager.email)
    assert_accessible(page)
    page.get_by_role("link", name="Actions", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions from audits")
    assert_accessible(page)

    # One action: record the day it was done, then sign it off.
    page.get_by_role("link", name=re.compile("Action 1: put the plan on file")).click()
    assert_accessible(page)
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record that it was done").click()
    expect(page.get_by_text("Recorded that the action was done.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign off as completed").click()
    expect(page.get_by_text("1 action signed off as completed")).to_be_visible()
    assert_accessible(page)

    # Several at once from the worktray.
    page.get_by_role("link", name="All actions").click()
    page.get_by_label(f"Sign off action {second.pk} on case").check()
    page.get_by_label(f"Sign off action {third.pk} on case").check()
    page.get_by_role("button", name="Sign off the chosen actions").click()
    expect(page.get_by_text("2 actions signed off as completed")).to_be_visible()
    assert_accessible(page)

    # The last cannot be achieved: a Management Decision.
    page.get_by_role("link", name=re.compile("Action 4: put the plan on file")).click()
    page.get_by_role("link", name=re.compile("Record a Management Decision")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Record the Management Decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the action cannot be achieved")
    assert_accessible(page)
    page.get_by_label("Why can this action not be achieved?").fill(
        "The previous worker who held the information has left the authority."
    )
    page.get_by_role("button", name="Record the Management Decision").click()
    expect(page.get_by_text("Management Decision recorded")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/cases/{first.case.external_id}/")
    expect(page.get_by_text("This case is not finished")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in_through_page(page, live_server.url, org.service_manager.email)
    expect(
        page.get_by_text("Waiting for you: 1 Management Decision and 3 signed-off")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Authorise them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for you to authorise")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Decide")).click()
    assert_accessible(page)
    page.get_by_label("Authorise: the action closes").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Management Decision authorised")).to_be_visible()
    assert_accessible(page)
    for action in (first, second, third):
        page.get_by_label(f"Authorise action {action.pk} on case").check()
    page.get_by_role("button", name="Authorise the chosen actions").click()
    expect(page.get_by_text("3 actions authorised.")).to_be_visible()
    assert_accessible(page)

    assert ManagementDecision.objects.get().status == DecisionStatus.AUTHORISED
    assert set(RemedialAction.objects.values_list("status", flat=True)) == {
        ActionStatus.AUTHORISED,
        ActionStatus.CLOSED_BY_DECISION,
    }
    page.goto(f"{live_server.url}/cases/{first.case.external_id}/")
    expect(page.get_by_text("Nothing from audits is open on this case.")).to_be_visible()
    assert_accessible(page)


def test_qa_staff_pages_for_actions_and_the_compliance_review_are_accessible(
    org, live_server, page
):
    import datetime as dt

    from remediation.services import sweep_open_compliance_reviews

    policy_load_preset(preset="bury")
    remedial_actions(org, n=2, finished_on=dt.date(2026, 7, 6))
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 7))
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.get_by_role("link", name="Compliance", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="November 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance review, November 2026")
    assert_accessible(page)
    page.get_by_role("link", name="Outstanding actions: the one-page report").click()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the review").click()
    page.get_by_role("link", name=re.compile("Review of reviews")).click()
    assert_accessible(page)
    page.get_by_label("Audit").select_option(index=1)
    page.get_by_label("Partly").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded whether the improvement held.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/actions/waiting/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/actions/plan/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a row").click()
    assert_accessible(page)
