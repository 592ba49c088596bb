"""A safeguarding concern is sent at once, once, to the case's team manager, service
manager and strategic lead (Bury 9.1, P&Q 14, Bradford 3)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import Notice
from audits.services import safeguarding_raise

from .factories_form import started_audit

pytestmark = pytest.mark.django_db


def test_a_concern_emails_the_team_manager_service_manager_and_strategic_lead_at_once(
    org, django_capture_on_commit_callbacks
):
    """Sent while the audit is still in progress: it never waits for the audit to end."""
    audit = started_audit(org)
    with django_capture_on_commit_callbacks(execute=True):
        concern = safeguarding_raise(
            audit=audit,
            by=org.auditor,
            concern="Bruising noted at the last visit, not followed up.",
        )
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted(
        [org.team_manager.email, org.service_manager.email, org.strategic_lead.email]
    )
    assert all("Urgent" in m.subject for m in mail.outbox)
    assert all(n.urgent for n in Notice.objects.filter(key=f"safeguarding:{concern.pk}"))
    audit.refresh_from_db()
    assert audit.status == "in_progress"


def test_each_concern_is_sent_once_even_if_notified_again(org, django_capture_on_commit_callbacks):
    from accounts.services import notify

    audit = started_audit(org)
    with django_capture_on_commit_callbacks(execute=True):
        concern = safeguarding_raise(audit=audit, by=org.auditor, concern="Worry")
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[org.team_manager],
            template="safeguarding-concern",
            key=f"safeguarding:{concern.pk}",
            context={
                "audit": audit,
                "case": audit.case,
                "concern": concern,
                "raised_by": org.auditor,
            },
        )
    assert len(mail.outbox) == sent == 3


def test_the_page_to_raise_a_concern_is_linked_from_every_audit_page(org, client_for):
    audit = started_audit(org)
    client = client_for(org.auditor)
    link = reverse("audit:safeguarding", args=[audit.pk])
    for url in (
        reverse("audit:task-list", args=[audit.pk]),
        reverse("audit:section", args=[audit.pk, "records"]),
        reverse("audit:views", args=[audit.pk]),
        reverse("audit:overall", args=[audit.pk]),
        reverse("audit:actions", args=[audit.pk]),
        reverse("audit:conversations", args=[audit.pk]),
        reverse("audit:submit", args=[audit.pk]),
    ):
        assert link in client.get(url).content.decode(), url
    response = client.post(link, {"concern": "Child left alone overnight."})
    assert response.status_code == 302
    assert audit.concerns.count() == 1


def test_only_the_auditor_or_qa_staff_raise_a_concern_from_the_audit(org, client_for):
    audit = started_audit(org)
    with pytest.raises(RuleViolation):
        safeguarding_raise(audit=audit, by=org.outsider, concern="x")
    assert (
        client_for(org.outsider).get(reverse("audit:safeguarding", args=[audit.pk])).status_code
        == 404
    )
