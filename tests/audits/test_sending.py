"""The allocation half of QA's month (issue 18): every month with a confirmed sample and
no confirmed allocation listed on the Allocation page; "Confirm and send" answering at
once and a page following the notices going out, naming everyone told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notice, User
from audits.models import AllocationRun, RunStatus
from audits.selectors import months_to_allocate, sending_progress
from audits.services import allocation_confirm_enqueue, allocation_propose

from .factories import case_in, confirmed_sample

JAN = dt.date(2027, 1, 1)


@pytest.fixture
def proposed(org, policy):
    """Two cases, North's and South's, both held by Sky, proposed to Ari and Sam."""
    User.objects.exclude(pk__in=[org.auditor.pk, org.senior_manager.pk]).update(in_audit_pool=False)
    north = case_in(org.north_team, worker=org.social_worker)
    south = case_in(org.south_team, worker=org.social_worker)
    confirmed_sample(period=JAN, cases=[north, south])
    return allocation_propose(period=JAN, today=dt.date(2026, 12, 1))


def test_every_month_with_a_confirmed_sample_and_no_confirmed_allocation_is_listed(
    org, client_for, policy
):
    """Issue 18: no dead end: January's confirmed sample is listed with its link, next to
    December's proposed allocation; November, confirmed, is not."""
    nov, dec = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
    case = case_in(org.north_team)
    for month in (nov, dec, JAN):
        confirmed_sample(period=month, cases=[case])
    nov_sample = months_to_allocate()[0]
    AllocationRun.objects.create(period=nov, sample=nov_sample, seed=1, status=RunStatus.CONFIRMED)
    AllocationRun.objects.create(
        period=dec, sample=months_to_allocate()[0], seed=1, status=RunStatus.PROPOSED
    )
    waiting = list(months_to_allocate())
    assert [(s.period, s.run_status) for s in waiting] == [(dec, "proposed"), (JAN, None)]
    page = client_for(org.qa_officer).get("/audits/allocation/").content.decode()
    assert 'href="/audits/allocation/2027-01/">Allocate January 2027' in page
    assert "Allocate December 2026" in page and "Allocate November 2026" not in page
    assert "Allocate this month" not in page


def test_the_allocation_page_says_where_samples_are_confirmed_when_none_waits(org, client_for):
    page = client_for(org.qa_officer).get("/audits/allocation/").content.decode()
    assert "No confirmed sample is waiting" in page and 'href="/sampling/samples/"' in page


def test_confirm_and_send_answers_at_once_and_the_page_names_everyone_told(
    org, proposed, client_for, django_capture_on_commit_callbacks
):
    """Issue 18; Bradford 2, Bury 6.4: the auditor, each case's allocated worker and team
    manager are told, and the banner names them all."""
    client = client_for(org.qa_officer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/audits/allocation/2027-01/", {"action": "confirm"})
    assert response["Location"] == "/audits/allocation/2027-01/sending/"
    proposed.refresh_from_db()
    assert proposed.status == RunStatus.PROPOSED  # nothing done in the request
    assert len(queued) == 1
    waiting = client.get(response["Location"]).content.decode()
    assert "Waiting for the worker to confirm the allocation" in waiting
    assert client.get("/audits/allocation/2027-01/sending.json").json()["finished"] is False
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()  # the worker's turn
    proposed.refresh_from_db()
    assert proposed.status == RunStatus.CONFIRMED
    assert sorted(m.to[0] for m in mail.outbox) == [
        "auditor@example.test",
        "senior@example.test",
        "sw@example.test",  # once for each case
        "sw@example.test",
        "tm.south@example.test",
        "tm@example.test",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Allocation for January 2027 confirmed" in page
    assert "Told: 2 auditors, 1 allocated worker and 2 team managers" in page
    assert client.get("/audits/allocation/2027-01/sending.json").json() == {
        "finished": True,
        "percent": 100,
        "text": "6 of 6 emails sent.",
    }


def test_the_sending_progress_counts_notices_as_they_are_emailed(
    org, proposed, django_capture_on_commit_callbacks
):
    before = sending_progress(run=proposed)
    assert (before.confirmed, before.expected, before.created) == (False, 6, 0)
    from audits.services import allocation_confirm

    allocation_confirm(run=proposed, by=org.qa_officer, today=dt.date(2026, 12, 1))
    proposed.refresh_from_db()
    half = sending_progress(run=proposed)  # emails leave after the commit
    assert (half.created, half.emailed, half.finished) == (6, 0, False)
    Notice.objects.filter(recipient=org.auditor).update(emailed_at=timezone.now())
    assert sending_progress(run=proposed).percent == 17


def test_queuing_the_confirmation_twice_sends_each_notice_once(
    org, proposed, django_capture_on_commit_callbacks
):
    """STYLE: the task may run twice; each email goes once."""
    with django_capture_on_commit_callbacks(execute=True):
        assert allocation_confirm_enqueue(run=proposed, by=org.qa_officer, today=JAN)
        assert allocation_confirm_enqueue(run=proposed, by=org.qa_officer, today=JAN)
    proposed.refresh_from_db()
    assert not allocation_confirm_enqueue(run=proposed, by=org.qa_officer, today=JAN)
    assert len(mail.outbox) == 6 and Notice.objects.count() == 6


@pytest.mark.parametrize("persona", ["auditor", "team_manager", "social_worker", "outsider"])
def test_only_qa_staff_follow_the_sending(org, proposed, client_for, persona):
    for url in ("/audits/allocation/2027-01/sending/", "/audits/allocation/2027-01/sending.json"):
        assert client_for(getattr(org, persona)).get(url).status_code == 403
        assert client_for(org.qa_officer).get(url).status_code == 200


def test_a_month_with_no_allocation_has_no_sending_page(org, client_for):
    assert client_for(org.qa_officer).get("/audits/allocation/2027-03/sending/").status_code == 404
