"""QA staff give a case nobody holds to an auditor by hand, so every case of the confirmed
sample goes to an eligible auditor (SPEC §4; issue 4), even when the allocation could not
place it or an agreed exemption left it without one (P&Q 4-5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import Notice
from audits.models import Allocation, AllocationStatus
from audits.selectors import unplaced_cases
from audits.services import allocation_place

from .factories import allocation, case_in

TODAY = dt.date(2026, 11, 9)


@pytest.fixture
def run_with_a_gap(org, policy):
    """A confirmed month where one north case is held and another is held by nobody."""
    held = allocation(auditor=org.auditor, case=case_in(org.north_team, worker=org.social_worker))
    gap = case_in(org.north_team, worker=org.social_worker)
    from sampling.models import SampleCase

    SampleCase.objects.create(sample=held.run.sample, case=gap)
    return held.run, gap


def test_a_case_nobody_holds_is_listed_and_qa_staff_give_it_to_an_eligible_auditor(
    org, run_with_a_gap, client_for
):
    run, gap = run_with_a_gap
    assert unplaced_cases(run=run) == [gap]
    client = client_for(org.qa_officer)
    review = client.get(reverse("audits:review", args=["2026-11"])).content.decode()
    assert reverse("audits:place", args=["2026-11", gap.pk]) in review
    response = client.post(
        reverse("audits:place", args=["2026-11", gap.pk]),
        {"auditor": org.qa_officer.pk, "over_quota": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    placed = Allocation.objects.get(case=gap)
    assert placed.status == AllocationStatus.ALLOCATED
    assert placed.deadline is not None
    assert "by hand" in placed.history.get().why
    assert unplaced_cases(run=run) == []
    assert Notice.objects.filter(recipient=org.qa_officer, template="allocation-placed").exists()


def test_an_ineligible_auditor_is_refused_with_the_reason(org, run_with_a_gap):
    """Hillingdon 2.1, Bradford 2: not from a team they manage."""
    run, gap = run_with_a_gap
    with pytest.raises(RuleViolation):
        allocation_place(
            run=run,
            case_id=gap.pk,
            to_auditor=org.team_manager,
            by=org.qa_officer,
            today=TODAY,
            over_quota=True,
        )
    assert not Allocation.objects.filter(case=gap).exists()


def test_over_quota_only_when_qa_staff_say_so(org, run_with_a_gap):
    run, gap = run_with_a_gap
    # Ari already has their one case this month (quota 1).
    with pytest.raises(RuleViolation, match="quota"):
        allocation_place(
            run=run, case_id=gap.pk, to_auditor=org.auditor, by=org.qa_officer, today=TODAY
        )
    placed = allocation_place(
        run=run,
        case_id=gap.pk,
        to_auditor=org.auditor,
        by=org.qa_officer,
        today=TODAY,
        over_quota=True,
    )
    assert "over their quota" in placed.history.get().why


def test_a_case_someone_holds_is_moved_not_placed(org, run_with_a_gap):
    run, gap = run_with_a_gap
    held = run.sample.sample_cases.exclude(case=gap).get().case_id
    with pytest.raises(RuleViolation, match="move it instead"):
        allocation_place(
            run=run,
            case_id=held,
            to_auditor=org.qa_officer,
            by=org.qa_officer,
            today=TODAY,
            over_quota=True,
        )


@pytest.mark.parametrize("persona", ["auditor", "team_manager", "social_worker", "outsider"])
def test_only_qa_staff_place_a_case(org, run_with_a_gap, client_for, persona):
    _, gap = run_with_a_gap
    url = reverse("audits:place", args=["2026-11", gap.pk])
    client = client_for(getattr(org, persona))
    assert client.get(url).status_code == 403
    assert client.post(url, {"auditor": org.auditor.pk}).status_code == 403
    assert not Allocation.objects.filter(case=gap).exists()
