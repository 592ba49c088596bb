"""How a notice's email leaves: Django's mail (SMTP, console) or GOV.UK Notify.

The route is chosen by settings alone: with `NOTIFY_API_KEY` and `NOTIFY_EMAIL_TEMPLATE_ID`
set, every notice goes through Notify, its subject and body sent as the template's
personalisation; otherwise Django's mail API sends it as before. Either way the caller,
`notice_send_email`, claims the notice first, so a notice is sent once.

A route raises `PermanentDeliveryError` when sending again cannot help (Notify refused
the request: a bad address, a team-only key, a wrong template), and any other exception
when it might (Notify's rate limit or an outage, a dropped connection): the notice is then
left pending for the task's retry and the hourly catch-up sweep.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .models import Notice


class PermanentDeliveryError(Exception):
    """Sending this notice again would fail the same way."""


class TransientDeliveryError(Exception):
    """Sending failed for now; a later try may succeed."""


def notify_enabled() -> bool:
    return bool(settings.NOTIFY_API_KEY and settings.NOTIFY_EMAIL_TEMPLATE_ID)


def deliver(notice: Notice) -> None:
    if notify_enabled():
        _deliver_by_notify(notice)
    else:
        _deliver_by_mail(notice)


def _deliver_by_mail(notice: Notice) -> None:
    message = EmailMultiAlternatives(
        subject=notice.subject,
        body=notice.body,
        to=[notice.recipient.email],
        headers={"X-Casefile-Notice": notice.key},
    )
    if notice.body_html:
        message.attach_alternative(notice.body_html, "text/html")
    message.send()


# Notify answers 400 (the request is wrong: address, template, personalisation) and 403
# (the key is wrong or may not send to this address) for requests that will never
# succeed; 429 and 5xx are worth another try.
PERMANENT_STATUSES = frozenset({400, 403, 404})


def _deliver_by_notify(notice: Notice) -> None:
    from notifications_python_client.errors import APIError
    from notifications_python_client.notifications import NotificationsAPIClient
    from requests import RequestException

    client = NotificationsAPIClient(
        settings.NOTIFY_API_KEY,
        base_url=settings.NOTIFY_BASE_URL,
        timeout=settings.NOTIFY_TIMEOUT,
    )
    try:
        client.send_email_notification(
            email_address=notice.recipient.email,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation={"subject": notice.subject, "body": notice.body},
            # A reference with no personal data: Notify shows it in its own logs.
            reference=f"casefile-notice-{notice.pk}",
            email_reply_to_id=settings.NOTIFY_EMAIL_REPLY_TO_ID or None,
        )
    except APIError as error:
        text = f"GOV.UK Notify {error.status_code}: {error.message}"
        if error.status_code in PERMANENT_STATUSES:
            raise PermanentDeliveryError(text) from error
        raise TransientDeliveryError(text) from error
    except RequestException as error:
        raise TransientDeliveryError(f"GOV.UK Notify unreachable: {error}") from error
