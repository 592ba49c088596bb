"""Signals the accounts app sends.

`notice_emails_due(sender=Notice, notice_ids=[...])` is sent once the transaction that made
the notices has committed; `accounts.tasks` hears it and enqueues one email task a notice.
The services send it rather than import the tasks, which call the services.
"""

from django.dispatch import Signal

notice_emails_due = Signal()
