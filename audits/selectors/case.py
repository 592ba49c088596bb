"""The case page's audits (issue 16): the columns it shows of each, read with SQL built
once a process."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from accounts.compiled import rows_for
from accounts.models import User
from sampling.models import Case

from .. import lifecycle
from ..models import Allocation, Audit, Moderation
from .audit import _may_view_unless_moderator

# The case page's audits: the columns it shows of each audit, its allocation and auditor.
_CASE_AUDIT_FIELDS = ("id", "status", "iro_id", "finished_at", "closed_at", "created_at")
_CASE_AUDIT_COLUMNS = (
    *_CASE_AUDIT_FIELDS,
    "allocation_id",
    "allocation__period",
    "allocation__auditor_id",
    "allocation__auditor__full_name",
)


def _case_audit_rows(case_id: int):
    return (
        Audit.objects.filter(allocation__case_id=case_id)
        .values_list(*_CASE_AUDIT_COLUMNS)
        .order_by("-created_at")
    )


def audits_of_case(*, case: Case, user: User) -> tuple[list[Audit], int]:
    """A case's audits the person may see (`may_view`), newest first, with only the
    columns the case page shows; and how many of all its audits are still open. One
    query (its SQL built once a process: `accounts.compiled.rows_for`), and one more (for
    all of them) if any is seen only by its moderator."""
    audits = []
    for *fields, allocation_id, period, auditor_id, auditor_name in rows_for(
        _case_audit_rows, case.pk
    ):
        # Put together as `select_related("allocation__auditor").only(...)` would.
        audit = Audit.from_db(DEFAULT_DB_ALIAS, _CASE_AUDIT_FIELDS, fields)
        allocation = Allocation.from_db(  # the names in the model's order, as from_db wants
            DEFAULT_DB_ALIAS,
            ("id", "case_id", "auditor_id", "period"),
            (allocation_id, case.pk, auditor_id, period),
        )
        allocation.auditor = (
            None
            if auditor_id is None
            else User.from_db(DEFAULT_DB_ALIAS, ("id", "full_name"), (auditor_id, auditor_name))
        )
        audit.allocation = allocation
        audits.append(audit)
    for audit in audits:
        audit.allocation.case = case  # the page's case, read once with its team and manager
    open_count = sum(audit.status != lifecycle.CLOSED for audit in audits)
    doubtful = {a.pk for a in audits if not _may_view_unless_moderator(user, a)}
    moderated = (
        set(
            Moderation.objects.filter(audit_id__in=doubtful, moderator=user).values_list(
                "audit_id", flat=True
            )
        )
        if doubtful
        else set()
    )
    return [a for a in audits if a.pk not in doubtful or a.pk in moderated], open_count
