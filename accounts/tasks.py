from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.dispatch import receiver

from .email_routes import TransientDeliveryError
from .models import Notice
from .signals import notice_emails_due

logger = logging.getLogger(__name__)


@shared_task(
    name="accounts.send_notice_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, TransientDeliveryError),
    retry_backoff=True,
    max_retries=5,
)
def send_notice_email(notice_id: int) -> bool:
    from .services import notice_send_email

    return notice_send_email(notice_id=notice_id)


@receiver(notice_emails_due, sender=Notice)
def enqueue_notice_emails(sender, notice_ids: list[int], **kwargs) -> None:
    for notice_id in notice_ids:
        try:
            send_notice_email.delay(notice_id)
        except Exception:  # the broker is down: the hourly sweep sends it later
            logger.exception("could not enqueue email for notice %s", notice_id)
