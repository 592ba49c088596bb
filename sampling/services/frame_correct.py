"""Correcting a day's list after it, or a newer one, is in.

A list imported for a day that already has one replaces it: the earlier snapshot is kept,
marked replaced, without its entries, and the corrected one takes its place. The cases the
correction touches (on one of the two lists but not the other, or closed by a row of the
corrected list) are then played forward through every later list of the kind, so their
closures and reopenings are what they would have been had the corrected list come first.
All of it happens in the caller's transaction: nothing is half-corrected.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from ..models import Case, CaseStatus, Snapshot, SnapshotCase, SnapshotStatus
from .frame_merge import (
    latest_other_lists,
    previous_snapshot,
    retype_cases_left_on_other_lists,
    write_snapshot,
)
from .frame_read import staged_closure_dates


def _members(snapshot_ids: list[int], case_ids: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {pk: set() for pk in snapshot_ids}
    for snapshot_id, case_id in SnapshotCase.objects.filter(
        snapshot_id__in=snapshot_ids, case_id__in=case_ids
    ).values_list("snapshot_id", "case_id"):
        found[snapshot_id].add(case_id)
    return found


class _OtherLists:
    """Whether a case is on another list's newest snapshot on or before a day."""

    def __init__(self, annex_list: str, case_ids: set[int]):
        snapshots = list(
            Snapshot.objects.filter(status=SnapshotStatus.IMPORTED)
            .exclude(annex_list=annex_list)
            .order_by("annex_list", "as_of")
            .values_list("id", "annex_list", "as_of")
        )
        members = _members([pk for pk, _, _ in snapshots], case_ids)
        self.by_list: dict[str, list[tuple[dt.date, set[int]]]] = {}
        for pk, code, as_of in snapshots:
            self.by_list.setdefault(code, []).append((as_of, members[pk]))

    def holds(self, case_id: int, day: dt.date) -> bool:
        for timeline in self.by_list.values():
            i = bisect_right([d for d, _ in timeline], day)
            if i and case_id in timeline[i - 1][1]:
                return True
        return False


def replace_and_replay(new: Snapshot, old: Snapshot, *, now: dt.datetime) -> list[str]:
    """Replace `old` (the list imported for the day) with `new`, and replay the later lists
    of the kind for the cases the correction touches. Returns the IDs of cases closed with
    an audit in progress (Bury 9.6)."""
    old_ids = set(SnapshotCase.objects.filter(snapshot=old).values_list("case_id", flat=True))
    SnapshotCase.objects.filter(snapshot=old).delete()
    Snapshot.objects.filter(pk=old.pk).update(status=SnapshotStatus.REPLACED, replaced_by=new)
    write_snapshot(new, now=now, correcting=True)
    new_ids = set(SnapshotCase.objects.filter(snapshot=new).values_list("case_id", flat=True))
    own_dates = staged_closure_dates(new)
    closing_rows = dict(
        Case.objects.filter(external_id__in=list(own_dates)).values_list("id", "external_id")
    )
    affected = (old_ids ^ new_ids) | set(closing_rows)
    later = list(
        Snapshot.objects.filter(
            annex_list=new.annex_list, status=SnapshotStatus.IMPORTED, as_of__gt=new.as_of
        ).order_by("as_of")
    )
    new.message = (
        f"This list corrects the one imported for {new.as_of:%d/%m/%Y} "
        f"({old.file_name}); {len(later)} later list{'s' if len(later) != 1 else ''} replayed."
    )
    if not affected:
        new.save(update_fields=["message"])
        return []
    before = previous_snapshot(new)
    timeline = [new, *later]
    members = _members([s.pk for s in timeline] + ([before.pk] if before else []), affected)
    others = _OtherLists(new.annex_list, affected)
    during_audit: list[str] = []
    closed = reopened = 0
    for case in Case.objects.filter(pk__in=affected):
        on_list = case.pk in members[before.pk] if before else False
        is_open = on_list or others.holds(case.pk, new.as_of)
        closed_on = case.closed_on if case.closed_on and case.closed_on < new.as_of else None
        reopened_on = (
            case.reopened_on if case.reopened_on and case.reopened_on < new.as_of else None
        )
        for snapshot in timeline:
            present = case.pk in members[snapshot.pk]
            if present and not is_open:
                if closed_on is not None:
                    reopened_on = snapshot.as_of
                    reopened += snapshot is new
                is_open = True
            elif (
                not present
                and on_list
                and is_open
                and snapshot.complete
                and not others.holds(case.pk, snapshot.as_of)
            ):
                is_open = False
                closed_on = own_dates.get(case.external_id) if snapshot is new else None
                closed_on = closed_on or snapshot.as_of
                closed += snapshot is new
                if case.audit_open:
                    during_audit.append(case.external_id)
            on_list = present
        if not is_open and closed_on is None:
            closed_on = new.as_of  # on the replaced list only: it was never really open
        status = CaseStatus.OPEN if is_open else CaseStatus.CLOSED
        pending = None
        if not is_open and (case.audit_open or case.held_for_audit):
            # Bury 9.6: held open for its audit; it closes when the audit does.
            status, pending, closed_on = CaseStatus.OPEN, closed_on, case.closed_on
        now_is = (status, closed_on, reopened_on, pending)
        if (case.status, case.closed_on, case.reopened_on, case.close_pending_on) != now_is:
            Case.objects.filter(pk=case.pk).update(
                status=status,
                closed_on=closed_on,
                reopened_on=reopened_on,
                close_pending_on=pending,
                updated_at=now,
            )
    # A child taken off the corrected list, but still on another, takes that list's type.
    latest = later[-1] if later else new
    left = Case.objects.filter(pk__in=affected - new_ids, source_list=new.annex_list)
    if latest is not new:
        left = left.exclude(snapshot_entries__snapshot=latest)
    retype_cases_left_on_other_lists(left, latest_other_lists(latest), now)
    new.closed, new.reopened = closed, reopened
    new.save(update_fields=["closed", "reopened", "message"])
    return sorted(set(during_audit))


__all__ = ["replace_and_replay"]
