"""Thematic samples are allocated and audited like the monthly one, with their own
deadline (Bury 4.2, 8.1; Leeds 4.5; issue 17 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.errors import RuleViolation
from accounts.models import User
from audits import lifecycle
from audits.models import AllocationStatus, RunKind
from audits.services import (
    allocation_confirm,
    allocation_propose,
    allocation_propose_thematic,
    audit_start,
)
from sampling.models import SampleKind

from .factories import SampleFactory, case_in, confirmed_sample
from .factories_form import load_form

NOV = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 11, 2)


def _thematic(cases):
    sample = SampleFactory(
        kind=SampleKind.THEMATIC, period=NOV, name="Children with a disability", seed=3
    )
    from sampling.models import SampleCase

    SampleCase.objects.bulk_create(
        [SampleCase(sample=sample, case=c, stratum="all", weight=1.0) for c in cases]
    )
    return sample


def test_bury_a_thematic_sample_is_allocated_and_audited_with_its_own_deadline(org, preset):
    """Bury 4.2: "'thematic' auditing, in which case records of a particular type are
    examined"; 8.1: "at the end of each thematic audit exercise"; Leeds 4.5: a theme drawn
    as a sample. Allocated after the month's, by the same rules and apart from the
    month's quotas; confirmed, its audits are due by the exercise's own deadline and
    the auditor starts one like any other."""
    preset("bury")
    load_form("bury")
    User.objects.exclude(pk__in=[org.auditor.pk]).update(in_audit_pool=False)
    confirmed_sample(period=NOV, cases=[case_in(org.north_team)])
    monthly = allocation_propose(period=NOV, today=TODAY)
    allocation_confirm(run=monthly, by=org.qa_officer, today=TODAY)
    assert monthly.allocations.count() == 1
    sample = _thematic([case_in(org.north_team, worker=org.social_worker)])
    deadline = dt.date(2027, 1, 29)
    run = allocation_propose_thematic(sample=sample, deadline=deadline, today=TODAY)
    assert run.kind == RunKind.THEMATIC and not run.unallocated
    assert allocation_propose_thematic(sample=sample, deadline=deadline, today=TODAY) == run
    allocation_confirm(run=run, by=org.qa_officer, today=TODAY)
    (thematic,) = run.allocations.all()
    assert thematic.auditor == org.auditor and thematic.status == AllocationStatus.ALLOCATED
    assert thematic.deadline == deadline
    audit = audit_start(allocation=thematic, by=org.auditor)
    assert audit.status == lifecycle.IN_PROGRESS


def test_a_thematic_allocation_needs_a_confirmed_thematic_sample_and_a_later_deadline(org, preset):
    """Bury 4.2, Leeds 4.5: only a confirmed thematic sample, due after today."""
    preset("bury")
    monthly = confirmed_sample(period=NOV, cases=[case_in(org.north_team)])
    with pytest.raises(RuleViolation, match="thematic sample"):
        allocation_propose_thematic(sample=monthly, deadline=dt.date(2027, 1, 1), today=TODAY)
    sample = _thematic([case_in(org.north_team)])
    with pytest.raises(RuleViolation, match="after today"):
        allocation_propose_thematic(sample=sample, deadline=TODAY, today=TODAY)


def test_qa_staff_allocate_a_thematic_sample_from_its_page_and_others_are_refused(
    org, preset, client_for, on_day
):
    """Bury 4.2, Leeds 4.5: QA staff allocate the thematic sample with its deadline and
    confirm it from its page; an auditor is refused the page."""
    from django.urls import reverse

    on_day(TODAY)
    preset("bury")
    User.objects.exclude(pk__in=[org.auditor.pk]).update(in_audit_pool=False)
    sample = _thematic([case_in(org.north_team, worker=org.social_worker)])
    url = reverse("audits:thematic", args=[sample.pk])
    assert client_for(org.auditor).get(url).status_code == 403
    qa = client_for(org.qa_officer)
    index = qa.get(reverse("audits:allocation-index")).content.decode()
    assert "Children with a disability" in index and "not allocated yet" in index
    bad = qa.post(url, {"action": "propose", "deadline": "not a date"})
    assert bad.status_code == 400 and "Enter a real date" in bad.content.decode()
    assert qa.post(url, {"action": "propose", "deadline": "2027-01-29"}).status_code == 302
    page = qa.get(url).content.decode()
    assert "Ari Auditor" in page and "29 January 2027" in page
    assert qa.post(url, {"action": "confirm"}).status_code == 302
    run = sample.allocation_runs.get()
    assert run.status == "confirmed"
    assert run.allocations.get().deadline == dt.date(2027, 1, 29)
