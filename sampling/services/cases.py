"""The contract between sampling and the audits app about a case's audits.

Sampling never imports the audits app (data flows one way: accounts ← sampling ←
audits). Instead the audits app tells sampling when a case's audit starts and finishes,
through these two services, and sampling keeps what its rules need on the case:

- `Case.audit_open`: an audit of the case is in progress. Such cases are not sampled
  (SPEC §3), and if the case closes in the lists QA staff are told (Bury 9.6).
- `Case.last_audited_on`: the day its last audit finished. Cases audited within the
  policy's look-back are not sampled (Leeds 4.4: 12 months).

Call `case_mark_audit_started(case_id=…, today=…)` when the first allocation of the case
becomes an audit in progress, and `case_mark_audit_finished(case_id=…, today=…)` when the
last open audit of the case ends (for a paired audit, once the consensus is final). Either
takes `case=` instead of `case_id=`. An audit cancelled without being done calls
`case_mark_audit_finished(…, audited=False)`.

`case_hold_for_audit(case_id=…, today=…)` when an audit of the case begins and
`case_release_from_audit(case_id=…, today=…)` when its last audit closes keep
`Case.held_for_audit`: a list that drops a held case leaves it open with
`Case.close_pending_on`, and it closes when the audit does (Bury 9.6).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Case, CaseStatus


def _case(case: Case | None, case_id: int | None) -> Case:
    if case is not None:
        return case
    if case_id is None:
        raise TypeError("Give the case or its id.")
    return Case.objects.get(pk=case_id)


@transaction.atomic
def case_mark_audit_started(
    *, today: dt.date, case: Case | None = None, case_id: int | None = None
) -> None:
    """An audit of the case is in progress from `today`: it leaves the sampling pool."""
    case = _case(case, case_id)
    Case.objects.filter(pk=case.pk).update(audit_open=True, updated_at=timezone.now())
    case.audit_open = True


@transaction.atomic
def case_mark_audit_finished(
    *,
    today: dt.date,
    case: Case | None = None,
    case_id: int | None = None,
    audited: bool = True,
) -> None:
    """The case's last open audit ended on `today`. If it was done (not cancelled), the
    case is not sampled again until the look-back has passed (Leeds 4.4)."""
    case = _case(case, case_id)
    Case.objects.filter(pk=case.pk).update(audit_open=False, updated_at=timezone.now())
    case.audit_open = False
    _close_if_pending(case_id=case.pk, today=today)
    if audited:
        Case.objects.filter(pk=case.pk).filter(
            Q(last_audited_on__isnull=True) | Q(last_audited_on__lt=today)
        ).update(last_audited_on=today)
        if case.last_audited_on is None or case.last_audited_on < today:
            case.last_audited_on = today


@transaction.atomic
def case_hold_for_audit(*, case_id: int, today: dt.date) -> None:
    """An audit of the case has begun: the case stays open until the audit closes, even if
    a case list drops it meanwhile (Bury 9.6)."""
    Case.objects.filter(pk=case_id, held_for_audit=False).update(
        held_for_audit=True, updated_at=timezone.now()
    )


@transaction.atomic
def case_release_from_audit(*, case_id: int, today: dt.date) -> bool:
    """The last audit of the case has closed (its actions done, Bury 9.6, P&Q 23): a case
    the lists closed meanwhile closes now. Returns whether it closed."""
    Case.objects.filter(pk=case_id, held_for_audit=True).update(
        held_for_audit=False, updated_at=timezone.now()
    )
    return _close_if_pending(case_id=case_id, today=today)


def _close_if_pending(*, case_id: int, today: dt.date) -> bool:
    """Close a case held open for an audit once nothing holds it any more."""
    return bool(
        Case.objects.filter(
            pk=case_id,
            close_pending_on__isnull=False,
            audit_open=False,
            held_for_audit=False,
            status=CaseStatus.OPEN,
        ).update(
            status=CaseStatus.CLOSED,
            closed_on=today,
            close_pending_on=None,
            updated_at=timezone.now(),
        )
    )
