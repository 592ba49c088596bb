from __future__ import annotations

import smtplib

from celery import shared_task

from .email_routes import TransientDeliveryError


@shared_task(
    name="accounts.send_notice_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError, TransientDeliveryError),
    retry_backoff=True,
    max_retries=5,
)
def send_notice_email(notice_id: int) -> bool:
    from .services import notice_send_email

    return notice_send_email(notice_id=notice_id)
