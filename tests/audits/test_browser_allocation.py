"""The journeys of allocation in Chromium, each page checked with axe-core: QA staff review,
move and confirm the month's allocation; an auditor asks for a break and for an exemption;
the approver agrees it (SPEC §4)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from tests.conftest import assert_accessible, sign_in_through_page

from .factories import allocation, case_in, confirmed_sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_to(page, base_url: str, user) -> None:
    page.get_by_role("button", name="Sign out").click()
    sign_in_through_page(page, base_url, user.email)


def test_qa_staff_review_move_and_confirm_the_months_allocation(org, policy, live_server, page):
    period = timezone.localdate().replace(day=1)
    User.objects.exclude(
        pk__in=[org.auditor.pk, org.senior_manager.pk, org.team_manager.pk]
    ).update(in_audit_pool=False)
    north_case = case_in(org.north_team, worker=org.social_worker)
    confirmed_sample(period=period, cases=[north_case])
    sign_in_through_page(page, live_server.url, org.qa_officer.email)

    page.get_by_role("link", name="Allocation", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation")
    assert_accessible(page)
    page.get_by_role("link", name=f"Allocate {period:%B %Y}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Propose the allocation").click()
    expect(page.get_by_text("is proposed")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(f"Move case {north_case.external_id}")).click()
    assert_accessible(page)
    current = north_case.allocations.get().auditor
    # Tia manages the case's team: refused, with the reason.
    page.get_by_label("Give the case to").select_option(value=str(org.team_manager.pk))
    page.get_by_role("button", name="Move the case").click()
    expect(page.get_by_role("alert")).to_contain_text("belongs to North Family Support")
    assert_accessible(page)
    other = org.senior_manager if current == org.auditor else org.auditor
    page.get_by_label("Give the case to").select_option(value=str(other.pk))
    page.get_by_role("button", name="Move the case").click()
    expect(page.get_by_text(f"is now with {other.full_name}")).to_be_visible()

    page.get_by_role("button", name="Confirm and send the allocation").click()
    expect(page.locator(".govuk-panel")).to_contain_text(f"Allocation for {period:%B %Y} confirmed")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("See completion")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit completion")
    assert_accessible(page)


def test_an_auditor_asks_for_a_break_and_is_refused_over_the_limit(org, policy, live_server, page):
    policy.max_break_percent = 20
    policy.save()
    sign_in_through_page(page, live_server.url, org.auditor.email)
    page.get_by_role("link", name="Breaks").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Breaks from auditing")
    assert_accessible(page)
    # Seven in the pool: 20% is one place a month.
    page.get_by_label("Which month do you need off auditing?").select_option(index=2)
    page.get_by_label("Reason (optional)").fill("Annual leave")
    page.get_by_role("button", name="Ask for the break").click()
    expect(page.get_by_text("is granted")).to_be_visible()
    assert_accessible(page)

    switch_to(page, live_server.url, org.team_manager)
    page.goto(f"{live_server.url}/accounts/breaks/")
    page.get_by_label("Which month do you need off auditing?").select_option(index=2)
    page.get_by_role("button", name="Ask for the break").click()
    expect(page.get_by_role("alert")).to_contain_text("At most 20% of the audit pool")
    assert_accessible(page)

    switch_to(page, live_server.url, org.qa_officer)
    page.goto(f"{live_server.url}/accounts/breaks/requests/")
    expect(page.get_by_text("Limit reached")).to_be_visible()
    expect(page.get_by_role("cell", name="Ari Auditor")).to_be_visible()
    assert_accessible(page)


def test_an_auditor_asks_for_an_exemption_and_the_assistant_director_agrees(
    org, policy, live_server, page
):
    mine = allocation(
        auditor=org.auditor,
        case=case_in(org.north_team, worker=org.social_worker),
        period=timezone.localdate().replace(day=1),
        deadline=timezone.localdate().replace(day=28),
    )
    sign_in_through_page(page, live_server.url, org.auditor.email)
    page.get_by_role("link", name="Your audits").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=mine.case.external_id).click()
    assert_accessible(page)
    page.get_by_role("link", name="Ask for an exemption from this audit").click()
    page.get_by_role("button", name="Ask for an exemption").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you cannot complete")
    assert_accessible(page)
    page.get_by_label("Why can you not complete this audit?").fill("Three weeks' leave")
    page.get_by_role("button", name="Ask for an exemption").click()
    expect(page.get_by_text("has gone to Sam Senior")).to_be_visible()
    assert_accessible(page)

    switch_to(page, live_server.url, org.senior_manager)
    page.get_by_role("link", name=re.compile("exemption request")).click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Ari Auditor")).click()
    assert_accessible(page)
    page.get_by_label("Agree: the case is given to another auditor now").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Exemption agreed")).to_be_visible()
    assert_accessible(page)


def test_qa_staff_see_the_years_plan_and_allocate_a_thematic_sample(org, preset, live_server, page):
    """P&Q 2-3 (the year's plan on the allocation page) and Bury 4.2, Leeds 4.5 (a thematic
    sample allocated with its own deadline), each page checked with axe-core."""
    import datetime as dt

    from accounts.services import year_plan_assign
    from tests.audits.test_thematic_allocation import _thematic

    preset("pq")
    today = timezone.localdate()
    year_plan_assign(today=today)
    User.objects.exclude(pk__in=[org.auditor.pk]).update(in_audit_pool=False)
    _thematic([case_in(org.north_team, worker=org.social_worker)])
    sign_in_through_page(page, live_server.url, org.qa_officer.email)
    page.get_by_role("link", name="Allocation", exact=True).first.click()
    expect(page.get_by_role("heading", name=f"The plan for {today.year}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Children with a disability")).click()
    assert_accessible(page)
    page.get_by_label("When are the thematic audits due?").fill(
        (today + dt.timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name="Propose the allocation").click()
    expect(page.get_by_text(org.auditor.full_name)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and tell the auditors").click()
    expect(page.get_by_text("The thematic allocation is confirmed")).to_be_visible()
    assert_accessible(page)
