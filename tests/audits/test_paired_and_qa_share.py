"""Paired audits hide each other's grades until all submit, then agree a consensus
(Bury 8.1); the QA check takes the policy's share of audits at random (Bury 5.2, 6.5)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import Role
from accounts.selectors import policy_get
from audits import lifecycle
from audits.models import Audit, Consensus
from audits.selectors import final_grade
from audits.services import audit_submit, consensus_record
from audits.services.routing import qa_is_drawn
from tests.accounts.factories import UserFactory
from tests.audits.factories import case_in

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(org):
    policy = policy_get()
    policy.qa_check_percent = 0
    policy.save()
    group = uuid.uuid4()
    case = case_in(org.north_team, worker=org.social_worker)
    second = UserFactory(
        email="second@example.test",
        full_name="Sec Ond",
        role=Role.ADVANCED_PRACTITIONER,
        team=org.south_team,
        in_audit_pool=True,
    )
    first = started_audit(org, case=case, pair_group=group)
    other = started_audit(org, case=case, auditor=second, pair_group=group)
    return group, first, other, second


def test_each_auditor_cannot_see_the_others_audit_or_grades_before_both_submit(
    org, client_for, pair
):
    group, first, other, second = pair
    fill_in(first, grade="good", overall="good")
    audit_submit(audit=first, by=org.auditor, today=TODAY)
    assert client_for(second).get(reverse("audit:task-list", args=[first.pk])).status_code == 404
    page = client_for(second).get(reverse("audit:consensus", args=[group])).content.decode()
    assert "stay hidden" in page
    assert "Good" not in page.split("<main", 1)[1]
    first.refresh_from_db()
    assert first.status == lifecycle.SUBMITTED  # waits for its partner


def test_once_both_submit_the_grades_show_side_by_side_and_a_consensus_is_recorded(
    org, client_for, pair
):
    group, first, other, second = pair
    fill_in(first, grade="good", overall="good")
    fill_in(other, grade="requires_improvement", overall="requires_improvement")
    audit_submit(audit=first, by=org.auditor, today=TODAY)
    audit_submit(audit=other, by=second, today=TODAY)
    assert org.qa_officer.notices.filter(template="consensus-ready").exists()
    page = client_for(second).get(reverse("audit:consensus", args=[group])).content.decode()
    assert "Good" in page and "Requires improvement" in page
    grades = {s["key"]: "good" for s in first.definition["sections"]}
    response = client_for(org.auditor).post(
        reverse("audit:consensus", args=[group]),
        {**{f"grade-{k}": v for k, v in grades.items()}, "overall": "good", "notes": "Agreed"},
    )
    assert response.status_code == 302
    consensus = Consensus.objects.get(pair_group=group)
    assert consensus.lead_audit == first
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.status == lifecycle.WITH_TEAM_MANAGER
    assert final_grade(first) == "good"
    assert other.status == lifecycle.CLOSED
    # Both originals are kept as the auditors left them, for agreement statistics.
    assert other.answers.filter(grade="requires_improvement").count() == 9
    assert other.overall_grade == "requires_improvement"


def test_consensus_is_refused_before_every_auditor_has_submitted(org, pair):
    group, first, other, second = pair
    fill_in(first)
    audit_submit(audit=first, by=org.auditor, today=TODAY)
    with pytest.raises(RuleViolation, match="must submit"):
        consensus_record(
            pair_group=group, by=org.auditor, grades={}, overall_grade="good", today=TODAY
        )


def test_an_outsider_cannot_open_the_consensus_page(org, client_for, pair):
    group, *_ = pair
    assert client_for(org.outsider).get(reverse("audit:consensus", args=[group])).status_code == 404


def test_the_qa_check_takes_about_the_policys_share_at_random():
    """Bury 5.2, 6.5: a random sample of finished audits is checked; 20% of 1,000 draws."""
    drawn = sum(qa_is_drawn(audit=Audit(pk=n), percent=20)[1] for n in range(1, 1001))
    assert 160 <= drawn <= 240
    assert qa_is_drawn(audit=Audit(pk=7), percent=20) == qa_is_drawn(audit=Audit(pk=7), percent=20)
    assert not any(qa_is_drawn(audit=Audit(pk=n), percent=0)[1] for n in range(1, 200))
    assert all(qa_is_drawn(audit=Audit(pk=n), percent=100)[1] for n in range(1, 200))


def test_the_draw_is_stored_on_the_audit_so_anyone_can_check_it(org):
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.qa_draw is not None
    assert audit.qa_selected == (audit.qa_draw * 100 < policy_get().qa_check_percent)
