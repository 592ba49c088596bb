"""Breaks from auditing (P&Q 2-3): asked for before the month before ends, within the
yearly allowance and the pool's share on break; seen by QA staff and heads of service."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from accounts.errors import RuleViolation
from accounts.models import BreakRequest, BreakStatus, Role
from accounts.selectors import available_pool, break_months, policy_get
from accounts.services import break_request, break_withdraw

from .factories import UserFactory

DEC = dt.date(2026, 12, 1)
TODAY = dt.date(2026, 11, 10)


@pytest.fixture
def pool(org):
    """The org's seven pool members plus three more: ten in all, so 20% is two."""
    extra = [
        UserFactory(email=f"extra{n}@example.test", role=Role.TEAM_MANAGER, in_audit_pool=True)
        for n in range(3)
    ]
    policy = policy_get()
    policy.max_break_percent = 20
    policy.yearly_break_months = 2
    policy.save()
    return extra


def test_a_break_asked_for_before_the_month_is_granted_and_the_head_of_service_told(
    org, pool, django_capture_on_commit_callbacks
):
    """P&Q 2: let the Head of Service and the P&Q Service know before the previous month
    ends."""
    with django_capture_on_commit_callbacks(execute=True):
        granted = break_request(user=org.team_manager, month=DEC, reason="Leave", today=TODAY)
    assert granted.status == BreakStatus.GRANTED
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.test", "qa@example.test"]


def test_a_break_for_a_month_that_has_begun_is_refused(org, pool):
    """P&Q 2: before the end of the previous month."""
    with pytest.raises(RuleViolation, match="before November 2026 begins"):
        break_request(user=org.auditor, month=dt.date(2026, 11, 1), today=TODAY)


def test_only_pool_members_take_breaks(org, pool):
    with pytest.raises(RuleViolation, match="Only members of the audit pool"):
        break_request(user=org.social_worker, month=DEC, today=TODAY)


def test_a_break_over_the_pools_share_on_break_is_refused_with_the_count(org, pool):
    """P&Q 3: a maximum of 20% of auditors on a break each month."""
    break_request(user=org.auditor, month=DEC, today=TODAY)
    break_request(user=org.team_manager, month=DEC, today=TODAY)
    with pytest.raises(RuleViolation) as refused:
        break_request(user=org.service_manager, month=DEC, today=TODAY)
    assert str(refused.value).startswith(
        "At most 20% of the audit pool may be on break in a month: 2 of 10 auditors, and 2 "
        "already are on break in December 2026 (P&Q 3)."
    )
    break_request(user=org.service_manager, month=dt.date(2027, 1, 1), today=TODAY)


def test_qa_staff_and_heads_of_service_are_told_when_the_limit_is_reached(
    org, pool, django_capture_on_commit_callbacks
):
    """P&Q 3: inform Heads of Service when the 20% limit is reached."""
    with django_capture_on_commit_callbacks(execute=True):
        break_request(user=org.auditor, month=DEC, today=TODAY)
        break_request(user=org.service_manager, month=DEC, today=TODAY)
    limit = [m for m in mail.outbox if "limit" in m.subject]
    assert sorted(m.to[0] for m in limit) == ["lead@example.test", "qa@example.test"]


def test_a_break_over_the_yearly_allowance_is_refused(org, pool):
    """P&Q 2: ten audits a year means two months without one."""
    break_request(user=org.auditor, month=dt.date(2027, 2, 1), today=TODAY)
    break_request(user=org.auditor, month=dt.date(2027, 5, 1), today=TODAY)
    with pytest.raises(RuleViolation) as refused:
        break_request(user=org.auditor, month=dt.date(2027, 8, 1), today=TODAY)
    assert "allows 2 months' break a year" in str(refused.value)
    assert "(February, May)" in str(refused.value)
    break_request(user=org.auditor, month=DEC, today=TODAY)  # 2026 is another year


def test_a_withdrawn_break_frees_its_place_and_the_auditor_is_allocated_again(org, pool):
    """P&Q 2-3: the break is the auditor's to give back before the month begins."""
    granted = break_request(user=org.auditor, month=DEC, today=TODAY)
    assert org.auditor not in [u for u, _ in available_pool(period=DEC)]
    break_withdraw(request=granted, by=org.auditor, today=TODAY)
    assert org.auditor in [u for u, _ in available_pool(period=DEC)]
    with pytest.raises(RuleViolation, match="already been withdrawn"):
        break_withdraw(request=granted, by=org.auditor, today=TODAY)


def test_someone_else_cannot_withdraw_an_auditors_break(org, pool):
    granted = break_request(user=org.auditor, month=DEC, today=TODAY)
    with pytest.raises(RuleViolation, match="Only the auditor or QA staff"):
        break_withdraw(request=granted, by=org.team_manager, today=TODAY)
    break_withdraw(request=granted, by=org.qa_officer, today=TODAY)


def test_a_head_of_service_sees_their_areas_breaks_and_the_count_against_the_limit(org, pool):
    """P&Q 2-3: QA staff monitor requests; heads of service are told."""
    break_request(user=org.team_manager, month=DEC, today=TODAY)  # North
    break_request(user=org.auditor, month=DEC, today=TODAY)  # South
    (dec,) = break_months(viewer=org.strategic_lead, months=[DEC])
    assert [r.user for r in dec.requests] == [org.team_manager]
    assert (dec.on_break, dec.limit, dec.pool_size, dec.at_limit) == (2, 2, 10, True)
    (dec,) = break_months(viewer=org.qa_officer, months=[DEC])
    assert len(dec.requests) == 2


@time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), tick=False)
def test_the_break_pages_show_and_refuse_by_persona(org, pool, client_for):
    """Each page says who may see it: pool members their own breaks; QA staff and heads
    of service the requests; others nothing."""
    client = client_for(org.auditor)
    response = client.post("/accounts/breaks/", {"month": "2026-12-01", "reason": "Leave"})
    assert response.status_code == 302
    assert BreakRequest.objects.filter(user=org.auditor).exists()
    assert client.get("/accounts/breaks/requests/").status_code == 403
    assert client_for(org.social_worker).get("/accounts/breaks/").status_code == 403
    assert client_for(org.strategic_lead).get("/accounts/breaks/requests/").status_code == 200
    page = client_for(org.qa_officer).get("/accounts/breaks/requests/")
    assert "Ari Auditor" in page.content.decode()


def test_a_refused_break_says_why_on_the_page(org, pool, client_for):
    """P&Q 3: refused with a clear reason."""
    break_request(user=org.team_manager, month=DEC, today=dt.date(2026, 11, 1))
    break_request(user=org.service_manager, month=DEC, today=dt.date(2026, 11, 1))
    client = client_for(org.auditor)
    from django.utils import timezone

    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    BreakRequest.objects.filter(month=DEC).update(month=month)
    response = client.post("/accounts/breaks/", {"month": month.isoformat()})
    assert response.status_code == 400
    assert "At most 20% of the audit pool" in response.content.decode()


def test_one_auditor_cannot_withdraw_anothers_break_through_the_url(org, pool, client_for):
    granted = break_request(user=org.team_manager, month=DEC, today=TODAY)
    response = client_for(org.auditor).post(f"/accounts/breaks/{granted.pk}/withdraw/")
    assert response.status_code == 404
