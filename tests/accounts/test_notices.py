"""Notices: in the app and by email, once per person per event, however often the code
that sends them runs (SPEC §4 "Notify at allocation", §7 "at once", STYLE: sweeps)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from accounts.services import notice_send_email, notify, sweep_pending_notice_emails

pytestmark = pytest.mark.django_db

CONTEXT = {"changed_by": "Ada", "changed_on": dt.date(2026, 11, 2), "fields": ["quotas"]}


def send(org, key="event:1", people=None):
    return notify(
        recipients=people or [org.team_manager, org.social_worker],
        template="policy-changed",
        key=key,
        context=CONTEXT,
        url="/accounts/policy/",
    )


def test_a_notice_is_recorded_and_emailed_once_the_transaction_commits(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = send(org)
    assert len(created) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["sw@example.test", "tm@example.test"]
    message = mail.outbox[0]
    assert "http://127.0.0.1:8000/accounts/policy/" in message.body
    assert message.alternatives and "<html" in message.alternatives[0][0]
    assert Notice.objects.filter(emailed_at__isnull=False).count() == 2


def test_the_same_event_sent_twice_tells_each_person_once(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(org)
        again = send(org, people=[org.team_manager, org.social_worker, org.qa_officer])
    assert [n.recipient for n in again] == [org.qa_officer]
    assert len(mail.outbox) == 3
    assert Notice.objects.count() == 3


def test_an_inactive_person_is_not_told(org, django_capture_on_commit_callbacks):
    org.social_worker.is_active = False
    org.social_worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        created = send(org)
    assert [n.recipient for n in created] == [org.team_manager]


def test_sending_a_notice_email_twice_sends_one_email(org):
    [notice] = send(org, people=[org.team_manager])
    assert notice_send_email(notice_id=notice.id) is True
    assert notice_send_email(notice_id=notice.id) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_notice_at_once_send_one_email(org):
    """The claim is a conditional UPDATE: only one of two concurrent senders wins."""
    [notice] = send(org, people=[org.team_manager])
    # Outside a test transaction the task already ran on commit; start again unsent.
    Notice.objects.filter(id=notice.id).update(emailed_at=None, email_claimed_at=None)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(notice_send_email(notice_id=notice.id))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


def test_the_sweep_sends_emails_the_broker_lost_and_running_it_twice_sends_nothing_more(org):
    """A notice whose task never ran (the broker was down) is sent by the hourly sweep."""
    notices = send(org)  # on-commit callbacks are not run: the emails never left
    Notice.objects.filter(id__in=[n.id for n in notices]).update(
        created_at=timezone.now() - dt.timedelta(minutes=30)
    )
    today = timezone.localdate()
    assert sweep_pending_notice_emails(today=today) == 2
    assert sweep_pending_notice_emails(today=today) == 0
    assert len(mail.outbox) == 2


def test_the_sweep_leaves_a_notice_just_created_to_its_own_task(org):
    send(org)
    assert sweep_pending_notice_emails(today=timezone.localdate()) == 0
    assert mail.outbox == []


def test_a_person_sees_their_notices_and_going_on_from_one_marks_it_read(org, client_for):
    """Reading a notice (GET) changes nothing; going on to its page (POST) marks it read
    (issue 14: no change on GET)."""
    [notice] = send(org, people=[org.team_manager])
    client = client_for(org.team_manager)
    page = client.get(reverse("accounts:notices"))
    assert notice.subject in page.content.decode()
    shown = client.get(reverse("accounts:notice-open", args=[notice.pk]))
    assert shown.status_code == 200 and notice.subject in shown.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None
    response = client.post(reverse("accounts:notice-open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/policy/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_can_open_someone_elses_notice_by_changing_the_number(org, client_for):
    [notice] = send(org, people=[org.team_manager])
    client = client_for(org.outsider)
    assert client.get(reverse("accounts:notice-open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("accounts:notice-open", args=[notice.pk])).status_code == 404
    assert notice.subject not in client.get(reverse("accounts:notices")).content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None
