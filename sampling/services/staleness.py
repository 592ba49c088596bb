"""Whether the frame's lists are too old to draw from, said once and only when it matters
(issue 18)."""

from __future__ import annotations

import datetime as dt

from ..models import Snapshot

STALE_DAYS = 14


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def stale_note(*, snapshots: list[Snapshot], frame_day: dt.date, today: dt.date) -> str | None:
    """One note, only when the frame's lists are a real risk: the oldest of the newest
    lists was already more than STALE_DAYS old on the day of the draw (the sampling day,
    if drawn later), so a newer weekly list (Bury 6.1) is missing. It says how old that
    list will be (or was) on the sampling day. Lists imported this week for a draw made
    ahead of the month are no risk: nothing newer exists yet."""
    if not snapshots:
        return None
    oldest = min(snapshots, key=lambda s: (s.as_of, s.annex_list))
    drawn = min(today, frame_day)
    if (drawn - oldest.as_of).days <= STALE_DAYS:
        return None
    age = (frame_day - oldest.as_of).days
    tense = "will be" if today < frame_day else "was"
    return (
        f"{oldest} {tense} {age} days old on the sampling day, {_day(frame_day)}; lists "
        f"come every week, so a newer one is missing. Import the newest lists and draw again."
    )
