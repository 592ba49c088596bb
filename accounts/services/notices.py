"""Notices: a message to a person, in the app and by email, at most once per event."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..email_routes import PermanentDeliveryError, deliver
from ..models import Notice, User
from ..selectors import authority_name
from ..signals import notice_emails_due

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
STALE_CLAIM = dt.timedelta(minutes=15)


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    subject = render_to_string(f"emails/{template}-subject.txt", context)
    subject = " ".join(subject.split())
    body = render_to_string(f"emails/{template}-body.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{template}-body.html", context)
    return subject, body, html


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User | None],
    template: str,
    key: str,
    context: dict[str, Any] | None = None,
    url: str = "",
    urgent: bool = False,
) -> list[Notice]:
    """Tell each recipient about one event, in the app and by email.

    `key` names the event; a recipient already told under that key is not told again, so a
    service or sweep that runs twice sends nothing the second time. Emails leave from a
    Celery task once the transaction commits. Returns the notices created now.
    """
    people = {r.pk: r for r in recipients if r is not None and r.is_active}
    if not people:
        return []
    authority = authority_name()
    already = set(
        Notice.objects.filter(key=key, recipient_id__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    created = []
    for person in people.values():
        if person.pk in already:
            continue
        ctx = {
            **(context or {}),
            "recipient": person,
            "url": f"{settings.SITE_URL}{url}" if url.startswith("/") else url,
            "authority_name": authority,
        }
        subject, body, html = _render(template, ctx)
        notice, made = Notice.objects.get_or_create(
            recipient=person,
            key=key,
            defaults={
                "template": template,
                "subject": subject,
                "body": body,
                "body_html": html,
                "url": url,
                "urgent": urgent,
            },
        )
        if made:
            created.append(notice)
    if created:
        ids = [n.id for n in created]
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    # accounts.tasks hears this and enqueues the emails (tasks call services, not back).
    notice_emails_due.send(sender=Notice, notice_ids=ids)


def notice_send_email(*, notice_id: int) -> bool:
    """Send one notice's email unless it has been sent or another worker is sending it.

    The claim is a conditional UPDATE, so two workers given the same notice send one email.
    The route (Django's mail or GOV.UK Notify) is chosen by settings. A permanent failure
    is recorded on the notice and not tried again; any other failure frees the claim and
    raises, so the task retries and the hourly sweep catches up. Returns whether this call
    sent it.
    """
    now = timezone.now()
    claimed = (
        Notice.objects.filter(id=notice_id, emailed_at__isnull=True, email_failed_at__isnull=True)
        .filter(_claim_free(now))
        .update(email_claimed_at=now)
    )
    if not claimed:
        return False
    notice = Notice.objects.select_related("recipient").get(id=notice_id)
    try:
        deliver(notice)
    except PermanentDeliveryError as failure:
        # Sending again cannot help: record why, and the sweep leaves it alone.
        Notice.objects.filter(id=notice_id).update(
            email_failed_at=timezone.now(), email_error=str(failure)[:500]
        )
        logger.warning("email for notice %s failed for good: %s", notice_id, failure)
        return False
    except Exception:
        Notice.objects.filter(id=notice_id).update(email_claimed_at=None)
        raise
    Notice.objects.filter(id=notice_id).update(emailed_at=timezone.now())
    return True


def _claim_free(now: dt.datetime):
    from django.db.models import Q

    return Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - STALE_CLAIM)


def sweep_pending_notice_emails(*, today: dt.date) -> int:
    """Send the emails of notices that never went (the broker was down, a worker died).

    Only notices created at least a few minutes ago, so the sweep does not race the task
    enqueued for a notice just created. Safe to run twice or on two workers at once.
    """
    cutoff = timezone.now() - dt.timedelta(minutes=5)
    pending = Notice.objects.filter(
        emailed_at__isnull=True, email_failed_at__isnull=True, created_at__lt=cutoff
    ).filter(_claim_free(timezone.now()))
    sent = 0
    for notice_id in pending.values_list("id", flat=True)[:500]:
        try:
            sent += notice_send_email(notice_id=notice_id)
        except Exception:
            logger.exception("email for notice %s failed; the next sweep tries again", notice_id)
    return sent


def notice_mark_read(*, notice: Notice) -> None:
    if notice.read_at is None:
        Notice.objects.filter(id=notice.id, read_at__isnull=True).update(read_at=timezone.now())
