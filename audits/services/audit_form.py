"""The audit form: start, fill in, share for comment, take back and submit.

Each service is keyword-only and runs in one transaction. The status changes only through
`audit_transition` (see `transition.py`); where a submitted audit goes next is `routing.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import working_days
from accounts.errors import RuleViolation
from accounts.models import Role, User
from accounts.selectors import policy_get
from accounts.services import notify
from sampling.models import CaseType

from .. import grading, lifecycle
from ..errors import EditConflict, SubmissionInvalid
from ..form_presets import sections_for
from ..models import (
    Allocation,
    AllocationStatus,
    Audit,
    AuditEvent,
    ChallengeState,
    ChildFamilyViews,
    ContactEscalation,
    ContactRole,
    Conversation,
    QACheck,
    QAOutcome,
    SectionAnswer,
    SectionStatus,
    SmartAction,
    ThemeTag,
)
from ..selectors import (
    case_group_manager,
    case_team_manager,
    current_form_version,
    is_qa,
    section_of,
)
from .allocation import allocation_mark_started
from .paired import pair_after_submit
from .routing import audit_route
from .transition import audit_transition, audit_url


@transaction.atomic
def audit_start(*, allocation: Allocation, by: User, now: dt.datetime | None = None) -> Audit:
    """The auditor opens their allocated case: the audit is made on the current published
    form version, which it keeps for good, and moves to in progress. Starting twice
    returns the audit that exists. The period reviewed follows the form (Hillingdon 3,
    P&Q 15, Bradford 3: 6 months; Leeds 3.2.4: 12; Bury: the whole record)."""
    now = now or timezone.now()
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    existing = Audit.objects.filter(allocation=allocation).first()
    if existing is not None:
        return existing
    if allocation.auditor_id != by.pk:
        raise RuleViolation("Only the allocated auditor can start this audit.")
    if allocation.status != AllocationStatus.ALLOCATED:
        raise RuleViolation("This allocation is not live, so its audit cannot start.")
    version = current_form_version()
    if version is None:
        raise RuleViolation("No audit form has been published yet. Ask QA staff.")
    today = timezone.localdate(now)
    months = version.definition.get("period_months", policy_get().period_reviewed_months)
    audit = Audit.objects.create(
        allocation=allocation,
        form_version=version,
        period_to=today,
        period_from=working_days.add_months(today, -months) if months else None,
        started_at=now,
    )
    ChildFamilyViews.objects.create(audit=audit)
    AuditEvent.objects.create(audit=audit, to_status=lifecycle.ALLOCATED, by=by, why="Made")
    audit_transition(audit=audit, to=lifecycle.IN_PROGRESS, by=by, why="Started")
    allocation_mark_started(allocation=allocation, at=now)
    return audit


def _require_still_theirs(audit: Audit) -> None:
    """An audit whose allocation was exempted or moved is no longer its first auditor's
    (P&Q 4-5, Bury 7.2): they can neither change nor submit it."""
    if audit.allocation.status != AllocationStatus.ALLOCATED:
        raise RuleViolation(
            "This audit is no longer yours: it was exempted or moved to another auditor."
        )


def _require_editable(audit: Audit, by: User) -> None:
    if audit.allocation.auditor_id != by.pk:
        raise RuleViolation("Only the auditor can change this audit.")
    _require_still_theirs(audit)
    if not audit.is_editable:
        raise RuleViolation(
            f"This audit is {lifecycle.label(audit.status).lower()}; it can no longer be changed."
        )


def section_save(
    *,
    audit: Audit,
    key: str,
    grade: str,
    evidence: str,
    revision: int,
    by: User,
    complete: bool = False,
) -> int:
    """Save one section as the auditor types, or when they press save; returns the
    section's new revision.

    `revision` is the revision the auditor's copy was loaded at. The update is conditional
    on it, so a save from a stale tab changes nothing and raises `EditConflict` with what
    is saved now: two tabs never overwrite each other silently.

    The autosave runs this at every pause in typing (issue 16): a saved section, still
    editable by this auditor, is one conditional UPDATE, a transaction of its own, whose
    condition holds the auditor's checks (the audit editable, its allocation live and
    theirs, the revision the one they loaded), read in the same statement that writes. The
    section and its grades come from `audit` as the caller read it (a form version never
    changes). Anything else (a first save, a refusal, a conflict) takes `_section_save`,
    which reads the audit again and says why.
    """
    section = section_of(audit, key)
    if not grade or grade in grading.values(audit.definition, section["scale"]):
        values = _section_values(grade=grade, evidence=evidence, by=by, complete=complete)
        still_theirs = Audit.objects.filter(
            pk=audit.pk,
            status__in=lifecycle.EDITABLE,
            allocation__status=AllocationStatus.ALLOCATED,
            allocation__auditor_id=by.pk,
        )
        # `IN`, not `EXISTS`: PostgreSQL planned the UPDATE with an EXISTS in about 1 ms,
        # with `IN` in a fifth of that.
        saved = SectionAnswer.objects.filter(
            audit_id=audit.pk, key=key, revision=revision, audit_id__in=still_theirs.values("pk")
        ).update(**values, revision=F("revision") + 1)
        if saved:
            return revision + 1
    return _section_save(
        audit=audit,
        key=key,
        grade=grade,
        evidence=evidence,
        revision=revision,
        by=by,
        complete=complete,
    )


def _section_values(*, grade: str, evidence: str, by: User, complete: bool) -> dict[str, Any]:
    if complete:
        status = SectionStatus.COMPLETED
    elif grade or evidence.strip():
        status = SectionStatus.IN_PROGRESS
    else:
        status = SectionStatus.NOT_STARTED
    return {
        "grade": grade,
        "evidence": evidence,
        "status": status,
        "updated_at": timezone.now(),
        "updated_by": by,
    }


@transaction.atomic
def _section_save(
    *,
    audit: Audit,
    key: str,
    grade: str,
    evidence: str,
    revision: int,
    by: User,
    complete: bool,
) -> int:
    audit = Audit.objects.select_related("allocation__case", "form_version").get(pk=audit.pk)
    _require_editable(audit, by)
    section = section_of(audit, key)
    allowed = grading.values(audit.definition, section["scale"])
    if grade and grade not in allowed:
        raise RuleViolation("Choose one of the grades shown.")
    answer, _ = SectionAnswer.objects.get_or_create(audit=audit, key=key)
    changed = SectionAnswer.objects.filter(pk=answer.pk, revision=revision).update(
        **_section_values(grade=grade, evidence=evidence, by=by, complete=complete),
        revision=F("revision") + 1,
    )
    answer.refresh_from_db()
    if not changed:
        raise EditConflict(
            revision=answer.revision,
            current={"grade": answer.grade, "evidence": answer.evidence},
        )
    return answer.revision


VIEWS_FIELDS = (
    "contacted",
    "consent",
    "parent_consent_before_child",
    "views",
    "not_contacted_reason",
)


@transaction.atomic
def views_save(*, audit: Audit, revision: int, by: User, **fields: Any) -> ChildFamilyViews:
    """Save the child and family views (Hillingdon 2.3-2.8), with the same revision check
    as a section."""
    audit = Audit.objects.select_related("allocation").get(pk=audit.pk)
    _require_editable(audit, by)
    values = {k: v for k, v in fields.items() if k in VIEWS_FIELDS}
    views, _ = ChildFamilyViews.objects.get_or_create(audit=audit)
    changed = ChildFamilyViews.objects.filter(pk=views.pk, revision=revision).update(
        **values, revision=F("revision") + 1, updated_at=timezone.now()
    )
    views.refresh_from_db()
    if not changed:
        raise EditConflict(
            revision=views.revision, current={k: getattr(views, k) for k in VIEWS_FIELDS}
        )
    return views


OVERALL_FIELDS = (
    "overall_grade",
    "overall_reason",
    "outcomes_met",
    "good_elements",
    "strengths",
    "learning",
)


@transaction.atomic
def overall_save(
    *, audit: Audit, revision: int, by: User, themes: list[int] | None = None, **fields: Any
) -> Audit:
    """Save the overall grade, its reasons, strengths and learning with its themes, with
    the same revision check as a section."""
    audit = Audit.objects.select_related("allocation", "form_version").get(pk=audit.pk)
    _require_editable(audit, by)
    values = {k: v for k, v in fields.items() if k in OVERALL_FIELDS}
    grade = values.get("overall_grade")
    if grade and grade not in grading.values(
        audit.definition, audit.definition["overall"]["scale"]
    ):
        raise RuleViolation("Choose one of the grades shown.")
    changed = Audit.objects.filter(pk=audit.pk, revision=revision).update(
        **values, revision=F("revision") + 1
    )
    audit.refresh_from_db()
    if not changed:
        raise EditConflict(
            revision=audit.revision, current={k: getattr(audit, k) for k in OVERALL_FIELDS}
        )
    if themes is not None:
        audit.themes.set(ThemeTag.objects.filter(pk__in=themes, active=True))
    return audit


@transaction.atomic
def action_add(*, audit: Audit, by: User, what: str, who: str, due_on: dt.date) -> SmartAction:
    """A recommendation as a SMART action: what, who, by when (P&Q 17)."""
    _require_editable(audit, by)
    if not (what.strip() and who.strip()):
        raise RuleViolation("Say what is to be done and who is to do it.")
    return SmartAction.objects.create(
        audit=audit, what=what.strip(), who=who.strip(), due_on=due_on, created_by=by
    )


@transaction.atomic
def action_remove(*, action: SmartAction, by: User) -> None:
    _require_editable(action.audit, by)
    action.delete()


@transaction.atomic
def conversation_add(
    *, audit: Audit, by: User, role: str, on: dt.date, answered: bool, notes: str = ""
) -> Conversation:
    """Record a conversation with the worker, team manager or IRO, or an attempt that got
    no answer (P&Q 10-13)."""
    _require_editable(audit, by)
    return Conversation.objects.create(
        audit=audit, role=role, on=on, answered=answered, notes=notes, recorded_by=by
    )


def unanswered_attempts(*, audit: Audit, role: str) -> int:
    return Conversation.objects.filter(audit=audit, role=role, answered=False).count()


@transaction.atomic
def contact_escalate(*, audit: Audit, role: str, by: User) -> ContactEscalation:
    """After two unanswered attempts to meet the worker, team manager or IRO, the auditor
    escalates to the group manager (P&Q 12). Once per role."""
    _require_editable(audit, by)
    if unanswered_attempts(audit=audit, role=role) < 2:
        raise RuleViolation("Record two unanswered attempts before escalating.")
    existing = ContactEscalation.objects.filter(audit=audit, role=role).first()
    if existing:
        return existing
    group_manager = case_group_manager(audit.case)
    escalation = ContactEscalation.objects.create(audit=audit, role=role, to=group_manager, by=by)
    notify(
        recipients=[group_manager],
        template="contact-escalated",
        key=f"contact-escalated:{audit.pk}:{role}",
        context={"audit": audit, "case": audit.case, "role": ContactRole(role).label},
        url=audit_url(audit),
    )
    return escalation


def _case_readers(audit: Audit) -> list[User | None]:
    case = audit.case
    return [case.allocated_worker, case_team_manager(case), audit.iro]


@transaction.atomic
def audit_share_for_comment(*, audit: Audit, by: User) -> Audit:
    """The auditor shares the draft with the social worker, team manager and IRO, who may
    comment on it or challenge it before it is final (P&Q 7, 18, 21)."""
    if audit.allocation.auditor_id != by.pk:
        raise RuleViolation("Only the auditor can share this audit.")
    _require_still_theirs(audit)
    audit_transition(audit=audit, to=lifecycle.SHARED, by=by, why="Shared for comment")
    shared = AuditEvent.objects.filter(audit=audit, to_status=lifecycle.SHARED).count()
    notify(
        recipients=_case_readers(audit),
        template="audit-shared",
        key=f"audit-shared:{audit.pk}:{shared}",
        context={"audit": audit, "case": audit.case, "auditor": audit.auditor},
        url=audit_url(audit),
    )
    return audit


@transaction.atomic
def audit_set_iro(*, audit: Audit, iro: User | None, by: User) -> Audit:
    """Name the child's IRO or CP chair, whom the auditor consults (P&Q 9-10) and who may
    read the draft and challenge it (P&Q 18). The auditor names them while the audit is
    open, or QA staff at any time; an IRO named while the draft is shared is told at once."""
    audit.refresh_from_db()
    if not (
        is_qa(by)
        or (
            audit.allocation.auditor_id == by.pk
            and audit.status in (*lifecycle.EDITABLE, lifecycle.SHARED)
        )
    ):
        raise RuleViolation("Only the auditor, while the audit is open, or QA staff name the IRO.")
    if iro is not None and (not iro.is_active or iro.role != Role.IRO):
        raise RuleViolation(f"{iro} is not an IRO or CP chair.")
    if audit.iro_id == (iro.pk if iro else None):
        return audit
    Audit.objects.filter(pk=audit.pk).update(iro=iro)
    audit.iro = iro
    if iro is not None and audit.status == lifecycle.SHARED:
        shared = AuditEvent.objects.filter(audit=audit, to_status=lifecycle.SHARED).count()
        notify(
            recipients=[iro],
            template="audit-shared",
            key=f"audit-shared:{audit.pk}:{shared}",
            context={"audit": audit, "case": audit.case, "auditor": audit.auditor},
            url=audit_url(audit),
        )
    return audit


@transaction.atomic
def audit_take_back(*, audit: Audit, by: User) -> Audit:
    """The auditor takes a shared draft back to change it after comments."""
    if audit.allocation.auditor_id != by.pk:
        raise RuleViolation("Only the auditor can take this audit back.")
    _require_still_theirs(audit)
    return audit_transition(
        audit=audit, to=lifecycle.IN_PROGRESS, by=by, why="Taken back to change after comments"
    )


def answers_for(audit: Audit) -> grading.Answers:
    answers = {a.key: a for a in audit.answers.all()}
    return grading.Answers(
        case_type=audit.case.case_type,
        sections={k: a.grade for k, a in answers.items()},
        evidence={k: a.evidence for k, a in answers.items()},
        overall=audit.overall_grade,
        outcomes=audit.outcomes_met,
        good_elements=audit.good_elements,
    )


def submission_errors(audit: Audit) -> dict[str, str]:
    """What stops the audit being submitted: missing grades and evidence, then the form's
    grade rules (Bradford App. 1, Hillingdon 3, P&Q 16), then the views (Hillingdon 2.8)."""
    errors = grading.check(audit.definition, answers_for(audit))
    if policy_get().worker_input_before_submit:
        errors.update(worker_input_errors(audit))
    if "child_family_views" in audit.definition.get("blocks", ()):
        views = ChildFamilyViews.objects.filter(audit=audit).first()
        if views is None or not views.contacted:
            errors.setdefault("views", "Say whether the child or family were contacted")
        elif views.contacted == ChildFamilyViews.Contacted.NOT_CONTACTED:
            if not views.not_contacted_reason.strip():
                errors.setdefault("views", "Say why the child and family were not contacted")
        elif not views.views.strip():
            errors.setdefault("views", "Record the child's or family's views in their words")
        elif (
            audit.case.case_type in CONSENT_FIRST_CASE_TYPES
            and views.contacted in SPOKE_TO_CHILD
            and views.parent_consent_before_child is None
        ):
            # Hillingdon 2.3: on a CIN or CP plan a parent's consent is sought before the
            # auditor speaks to the child; the audit records whether it was.
            errors.setdefault(
                "views",
                "Say whether a parent's consent was sought before you spoke to the child",
            )
    return errors


def worker_input_errors(audit: Audit) -> dict[str, str]:
    """Under a policy that asks for it (P&Q 8, 18): the draft was shared for comment with
    the worker, team manager and IRO, and a conversation with the allocated worker is
    recorded, or the reason it could not happen."""
    errors = {}
    if not AuditEvent.objects.filter(audit=audit, to_status=lifecycle.SHARED).exists():
        errors["shared"] = "Share the draft for comment with the worker, team manager and IRO"
    spoke = Conversation.objects.filter(
        audit=audit, role=ContactRole.SOCIAL_WORKER, answered=True
    ).exists()
    if not spoke and not audit.worker_input_missing_reason.strip():
        errors["worker_input"] = (
            "Record your conversation with the allocated worker, or why it could not happen"
        )
    return errors


@transaction.atomic
def worker_input_missing_record(*, audit: Audit, by: User, reason: str) -> Audit:
    """The auditor records why the allocated worker could not give their input (P&Q 8:
    "unless this is impossible due to absence from work")."""
    _require_editable(audit, by)
    if not reason.strip():
        raise RuleViolation("Say why the worker could not give their input.")
    Audit.objects.filter(pk=audit.pk).update(worker_input_missing_reason=reason.strip())
    audit.worker_input_missing_reason = reason.strip()
    return audit


CONSENT_FIRST_CASE_TYPES = {CaseType.CIN, CaseType.CP}


SPOKE_TO_CHILD = {ChildFamilyViews.Contacted.CHILD, ChildFamilyViews.Contacted.CHILD_AND_PARENT}


@transaction.atomic
def audit_submit(*, audit: Audit, by: User, today: dt.date) -> Audit:
    """The auditor finalises the audit. Refused with every problem named while a section,
    the overall grade or a grade rule is not met. A paired audit waits for its partners;
    otherwise the audit goes on at once (see `audit_route`)."""
    audit = Audit.objects.select_related("allocation__case", "form_version").get(pk=audit.pk)
    if audit.allocation.auditor_id != by.pk:
        raise RuleViolation("Only the auditor can submit this audit.")
    _require_still_theirs(audit)
    if audit.comments.filter(is_challenge=True, state=ChallengeState.OPEN).exists():
        # P&Q 21: a challenge is settled with the auditor before the audit is finalised;
        # one they cannot settle goes to moderation (22), never past it.
        raise RuleViolation(
            "A challenge to this audit is still open. Answer it, agreed or sent to "
            "moderation, before you submit."
        )
    errors = submission_errors(audit)
    if errors:
        raise SubmissionInvalid(errors)
    resubmission = audit.status == lifecycle.RETURNED
    audit_transition(
        audit=audit,
        to=lifecycle.SUBMITTED,
        by=by,
        why="Amended and sent back" if resubmission else "Submitted",
    )
    Audit.objects.filter(pk=audit.pk).update(submitted_at=timezone.now())
    if resubmission:
        QACheck.objects.filter(
            audit=audit, outcome=QAOutcome.RETURNED, resubmitted_at__isnull=True
        ).update(resubmitted_at=timezone.now())
    if grading.is_inadequate(audit.definition, audit.overall_grade):
        # Hillingdon 2.10: the worker and team manager hear of an inadequate grade in
        # writing as a matter of urgency, not once QA staff or a paired auditor are done.
        # The pathway's own notice uses the same key, so they hear it once.
        case = audit.case
        notify(
            recipients=[case.allocated_worker, case_team_manager(case)],
            template="audit-inadequate",
            key=f"inadequate:{audit.pk}",
            context={"audit": audit, "case": case, "auditor": audit.auditor},
            url=audit_url(audit),
            urgent=True,
        )
    if audit.is_paired and not resubmission:
        pair_after_submit(audit=audit)
        return audit
    return audit_route(audit=audit, by=by, today=today)


def section_statuses(audit: Audit) -> dict[str, str]:
    answers = {a.key: a.status for a in audit.answers.all()}
    return {
        s["key"]: answers.get(s["key"], SectionStatus.NOT_STARTED)
        for s in sections_for(audit.definition, audit.case.case_type)
    }
