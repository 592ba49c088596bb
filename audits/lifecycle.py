"""The audit's life as data (SPEC §6): its statuses and the moves allowed between them.

allocated → in progress → shared for comment → submitted → QA check → with team manager →
closed, with the side roads the seeds describe:

- shared for comment → in progress: the auditor takes the draft back to change it after
  comments (P&Q 18, 21);
- shared for comment → in moderation → submitted: a challenge not resolved between them
  is decided by a senior manager not connected with the case, whose decision is final
  (P&Q 22), or by the heads of service Bradford 3 names, or after a review session by the
  head of service's mediation (Hillingdon 2.11-2.12);
- in moderation → in progress: the review session agreed a change, which the auditor
  makes before submitting (Hillingdon 2.11);
- QA check → returned for amendment → submitted: back within 3 working days (P&Q 20);
- submitted → with team manager: the audits QA staff do not sample go straight on
  (Bury 6.5);
- submitted → closed: the other audits of a paired case once consensus is recorded; they
  are kept for agreement statistics (Bury 8.1).

Pure: no Django. `audits.models.Audit` uses these names and this map, and the one
transition service refuses any move not in it.
"""

from __future__ import annotations

ALLOCATED = "allocated"
IN_PROGRESS = "in_progress"
SHARED = "shared"
IN_MODERATION = "in_moderation"
SUBMITTED = "submitted"
QA_CHECK = "qa_check"
RETURNED = "returned"
WITH_TEAM_MANAGER = "with_team_manager"
CLOSED = "closed"

CHOICES: tuple[tuple[str, str], ...] = (
    (ALLOCATED, "Allocated"),
    (IN_PROGRESS, "In progress"),
    (SHARED, "Shared for comment"),
    (IN_MODERATION, "In moderation"),
    (SUBMITTED, "Submitted"),
    (QA_CHECK, "QA check"),
    (RETURNED, "Returned for amendment"),
    (WITH_TEAM_MANAGER, "With team manager"),
    (CLOSED, "Closed"),
)

TRANSITIONS: dict[str, frozenset[str]] = {
    ALLOCATED: frozenset({IN_PROGRESS}),
    IN_PROGRESS: frozenset({SHARED, SUBMITTED}),
    SHARED: frozenset({IN_PROGRESS, IN_MODERATION, SUBMITTED}),
    IN_MODERATION: frozenset({SUBMITTED, IN_PROGRESS}),
    SUBMITTED: frozenset({QA_CHECK, WITH_TEAM_MANAGER, CLOSED}),
    QA_CHECK: frozenset({RETURNED, WITH_TEAM_MANAGER}),
    RETURNED: frozenset({SUBMITTED}),
    WITH_TEAM_MANAGER: frozenset({CLOSED}),
    CLOSED: frozenset(),
}

# The auditor may change the answers only in these.
EDITABLE = frozenset({IN_PROGRESS, SHARED, RETURNED})
# The case's social worker, team manager and IRO may read the audit from here on.
VISIBLE_TO_CASE = frozenset(
    {SHARED, IN_MODERATION, SUBMITTED, QA_CHECK, RETURNED, WITH_TEAM_MANAGER, CLOSED}
)
# Comments and challenges are taken only while the draft is shared (P&Q 18, 21).
OPEN_FOR_COMMENT = frozenset({SHARED})
# The grade is final: the inadequate pathway and the PDF read it from here on.
FINISHED = frozenset({WITH_TEAM_MANAGER, CLOSED})


def label(status: str) -> str:
    return dict(CHOICES)[status]


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
