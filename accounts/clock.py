"""The one place the application reads the clock.

Views, commands and tasks ask `clock.today()` for the council's date (Europe/London) and
pass it on as `today`; services never read the clock for a date themselves. Timestamps
of when something happened come from `clock.now()`. The test suite's `--today` option
travels both (and Django's own `timezone` helpers) to any day of the year.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The date in the authority's time zone."""
    return timezone.localdate()


def now() -> dt.datetime:
    """The current moment, timezone-aware."""
    return timezone.now()
