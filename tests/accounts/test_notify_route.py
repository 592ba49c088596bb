"""GOV.UK Notify as the email route (issue 15): chosen by settings, through the same task
and once-only claim as SMTP, tested with Notify's HTTP calls intercepted (no network)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import responses
from django.core import mail
from django.utils import timezone

from accounts.models import Notice
from accounts.services import notice_send_email, notify, sweep_pending_notice_emails

pytestmark = pytest.mark.django_db

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
NOTIFY = "https://api.notifications.service.gov.uk/v2/notifications/email"
CONTEXT = {"changed_by": "Ada", "changed_on": dt.date(2026, 11, 2), "fields": ["quotas"]}


@pytest.fixture
def notify_on(settings):
    settings.NOTIFY_API_KEY = f"casefile_test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"


def _accepted():
    return {
        "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
        "reference": None,
        "content": {"subject": "s", "body": "b", "from_email": "audit@example.test"},
        "uri": NOTIFY,
        "template": {"id": TEMPLATE_ID, "version": 1, "uri": NOTIFY},
    }


def _tell(org, person=None, key="event:1"):
    return notify(
        recipients=[person or org.team_manager],
        template="policy-changed",
        key=key,
        context=CONTEXT,
        url="/accounts/policy/",
    )


@responses.activate
def test_with_notify_set_each_notice_goes_through_notify_with_its_subject_and_body(
    org, notify_on, django_capture_on_commit_callbacks
):
    responses.post(NOTIFY, json=_accepted(), status=201)
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = _tell(org)
    assert len(responses.calls) == 1
    sent = json.loads(responses.calls[0].request.body)
    assert sent["email_address"] == "tm@example.test"
    assert sent["template_id"] == TEMPLATE_ID
    assert sent["personalisation"] == {"subject": notice.subject, "body": notice.body}
    assert sent["reference"] == f"casefile-notice-{notice.pk}"
    # Notify's own authorisation: a JWT signed with the key's secret, never the key itself.
    auth = responses.calls[0].request.headers["Authorization"]
    assert auth.startswith("Bearer ") and SECRET not in auth
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.emailed_at is not None and notice.email_failed_at is None


@responses.activate
def test_a_notice_sent_twice_through_notify_calls_notify_once(org, notify_on):
    responses.post(NOTIFY, json=_accepted(), status=201)
    [notice] = _tell(org)
    assert notice_send_email(notice_id=notice.id) is True
    assert notice_send_email(notice_id=notice.id) is False
    assert len(responses.calls) == 1


@responses.activate
def test_a_notify_permanent_failure_is_recorded_on_the_notice_and_never_retried(org, notify_on):
    """A 400 from Notify (here: an address it will not send to) cannot succeed later: the
    notice records it and the catch-up sweep leaves it alone."""
    responses.post(
        NOTIFY,
        json={
            "status_code": 400,
            "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient"}],
        },
        status=400,
    )
    [notice] = _tell(org)
    assert notice_send_email(notice_id=notice.id) is False
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.email_failed_at is not None
    assert notice.email_error.startswith("GOV.UK Notify 400")
    assert "Can't send to this recipient" in notice.email_error
    Notice.objects.filter(id=notice.id).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert sweep_pending_notice_emails(today=dt.date(2026, 11, 2)) == 0
    assert len(responses.calls) == 1


@responses.activate
def test_a_wrong_notify_key_is_a_permanent_failure(org, notify_on):
    responses.post(
        NOTIFY,
        json={"status_code": 403, "errors": [{"error": "AuthError", "message": "Invalid token"}]},
        status=403,
    )
    [notice] = _tell(org)
    notice_send_email(notice_id=notice.id)
    notice.refresh_from_db()
    assert notice.email_error.startswith("GOV.UK Notify 403")


@pytest.mark.parametrize("status", [429, 500, 503])
@responses.activate
def test_a_notify_temporary_error_leaves_the_notice_pending_for_the_sweep(org, notify_on, status):
    responses.post(NOTIFY, json={"status_code": status, "errors": []}, status=status)
    [notice] = _tell(org)
    with pytest.raises(Exception, match=f"GOV.UK Notify {status}"):
        notice_send_email(notice_id=notice.id)
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.email_failed_at is None
    assert notice.email_claimed_at is None  # the claim is freed for the next try
    # Notify is back: the hourly sweep sends it, once.
    responses.replace(responses.POST, NOTIFY, json=_accepted(), status=201)
    Notice.objects.filter(id=notice.id).update(created_at=timezone.now() - dt.timedelta(hours=1))
    today = dt.date(2026, 11, 2)
    assert sweep_pending_notice_emails(today=today) == 1
    assert sweep_pending_notice_emails(today=today) == 0
    notice.refresh_from_db()
    assert notice.emailed_at is not None


@responses.activate
def test_notify_out_of_reach_leaves_the_notice_pending(org, notify_on):
    import requests

    responses.post(NOTIFY, body=requests.ConnectionError("connection refused"))
    [notice] = _tell(org)
    # The client reports a connection it could not make as a 503.
    with pytest.raises(Exception, match="GOV.UK Notify 503"):
        notice_send_email(notice_id=notice.id)
    notice.refresh_from_db()
    assert notice.emailed_at is None and notice.email_failed_at is None


@responses.activate
def test_the_celery_task_retries_a_notify_outage_and_the_notice_stays_pending(
    org, notify_on, django_capture_on_commit_callbacks
):
    """The same task as SMTP: enqueued on commit; a temporary error is retried by the task
    and, if still failing, left for the sweep rather than lost."""
    responses.post(NOTIFY, json={"status_code": 500, "errors": []}, status=500)
    with django_capture_on_commit_callbacks(execute=True):
        _tell(org)
    notice = Notice.objects.get()
    assert len(responses.calls) > 1  # retried
    assert notice.emailed_at is None and notice.email_failed_at is None


def test_without_notify_settings_email_still_goes_by_smtp(org, settings):
    settings.NOTIFY_API_KEY = ""
    with responses.RequestsMock() as intercepted:
        [notice] = _tell(org)
        assert notice_send_email(notice_id=notice.id) is True
        assert len(intercepted.calls) == 0
    assert [m.to for m in mail.outbox] == [["tm@example.test"]]
