"""Where a submitted audit goes: drawn for a QA check or straight to the team manager
(Bury 5.2, 6.5), accepted or returned for amendment (P&Q 20), supervision, and closing."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts import working_days
from accounts.errors import RuleViolation
from accounts.models import FinishedAuditRecipient, Policy, User
from accounts.selectors import escalation_chain, policy_get
from accounts.services import notify

from .. import lifecycle
from ..models import Audit, AuditEvent, QACheck, QAOutcome
from ..selectors import case_service_managers, case_team_manager, final_grade, qa_staff
from ..signals import audit_reached_team_manager
from .allocation import allocation_mark_completed
from .inadequate import pathway_after_finish
from .transition import audit_transition, audit_url


def qa_is_drawn(*, audit: Audit, percent: int) -> tuple[float, bool]:
    """The random draw that sends a share of submitted audits to QA staff (Bury 5.2,
    6.5). Seeded on the audit, so the same audit always draws the same number and anyone
    can check it."""
    draw = random.Random(f"qa-check:{audit.pk}").random()
    return draw, draw * 100 < percent


def audit_route(*, audit: Audit, by: User | None, today: dt.date) -> Audit:
    """A submitted audit goes to QA staff if drawn for a check, else straight to the
    team manager (Bury 6.5). An audit returned for amendment goes back to QA staff."""
    if audit.qa_selected is None:
        draw, chosen = qa_is_drawn(audit=audit, percent=policy_get().qa_check_percent)
        Audit.objects.filter(pk=audit.pk).update(qa_draw=draw, qa_selected=chosen)
        audit.qa_draw, audit.qa_selected = draw, chosen
    if audit.qa_selected:
        audit_transition(audit=audit, to=lifecycle.QA_CHECK, by=by, why="Drawn for a QA check")
        rounds = AuditEvent.objects.filter(audit=audit, to_status=lifecycle.QA_CHECK).count()
        notify(
            recipients=qa_staff(),
            template="audit-qa-check",
            key=f"audit-qa-check:{audit.pk}:{rounds}",
            context={"audit": audit, "case": audit.case, "auditor": audit.auditor},
            url=audit_url(audit),
        )
        return audit
    return audit_finish(audit=audit, by=by, today=today, why="Not drawn for a QA check")


def finished_audit_recipients(*, audit: Audit, policy: Policy) -> list[User | None]:
    """Who the policy says is sent a finished audit (Bradford App. 1: the team manager and
    worker, the service manager, the IRO or CP co-ordinator and the QA officer)."""
    case = audit.case
    who = set(policy.finished_audit_recipients)
    people: list[User | None] = []
    if FinishedAuditRecipient.TEAM_MANAGER in who:
        people.append(case_team_manager(case))
    if FinishedAuditRecipient.WORKER in who:
        people.append(case.allocated_worker)
    if FinishedAuditRecipient.SERVICE_MANAGER in who:
        people.extend(case_service_managers(case))
    if FinishedAuditRecipient.IRO in who:
        people.append(audit.iro)
    if FinishedAuditRecipient.QA_STAFF in who:
        people.extend(qa_staff())
    return people


def audit_finish(*, audit: Audit, by: User | None, today: dt.date, why: str) -> Audit:
    """The grade is confirmed: the audit and its actions land on the team manager's list
    (P&Q 23, Bury 6.5), the allocation is done, and an inadequate grade starts the
    inadequate pathway (P&Q 25, Hillingdon 2.10)."""
    audit_transition(audit=audit, to=lifecycle.WITH_TEAM_MANAGER, by=by, why=why)
    now = timezone.now()
    Audit.objects.filter(pk=audit.pk).update(finished_at=now)
    allocation_mark_completed(allocation=audit.allocation, at=now)
    audit_reached_team_manager.send(sender=Audit, audit=audit, today=today)
    case = audit.case
    notify(
        recipients=finished_audit_recipients(audit=audit, policy=policy_get()),
        template="audit-with-team-manager",
        key=f"audit-finished:{audit.pk}",
        context={"audit": audit, "case": case, "auditor": audit.auditor},
        url=audit_url(audit),
    )
    pathway_after_finish(audit=audit, grade=final_grade(audit), today=today)
    return audit


@transaction.atomic
def qa_accept(*, audit: Audit, by: User, today: dt.date) -> Audit:
    """QA staff accept a checked audit; it goes to the team manager."""
    if audit.status != lifecycle.QA_CHECK:
        raise RuleViolation("Only an audit waiting for its QA check can be accepted.")
    QACheck.objects.create(audit=audit, by=by, outcome=QAOutcome.ACCEPTED)
    return audit_finish(audit=audit, by=by, today=today, why="Accepted at QA check")


@transaction.atomic
def qa_return(*, audit: Audit, by: User, reason: str, today: dt.date) -> QACheck:
    """QA staff return an audit for amendment, with the reason; it is due back within the
    policy's working days (P&Q 20: 3)."""
    if not reason.strip():
        raise RuleViolation("Say what needs to be amended.")
    policy = policy_get()
    audit_transition(audit=audit, to=lifecycle.RETURNED, by=by, why=reason.strip())
    due = working_days.add(today, policy.amendment_working_days, policy.closures)
    check = QACheck.objects.create(
        audit=audit, by=by, outcome=QAOutcome.RETURNED, reason=reason.strip(), due_on=due
    )
    notify(
        recipients=[audit.auditor],
        template="audit-returned",
        key=f"audit-returned:{check.pk}",
        context={"audit": audit, "case": audit.case, "reason": check.reason, "due_on": due},
        url=audit_url(audit),
        urgent=True,
    )
    return check


@transaction.atomic
def supervision_record(*, audit: Audit, by: User, on: dt.date, note: str = "") -> Audit:
    """The team manager records the supervision in which the audit was discussed with the
    worker (Hillingdon 2.14, Bradford 2, Leeds 7.2, P&Q 24)."""
    if audit.status != lifecycle.WITH_TEAM_MANAGER:
        raise RuleViolation("Supervision is recorded once the audit is with the team manager.")
    if case_team_manager(audit.case) != by:
        raise RuleViolation("Only the case's team manager records the supervision.")
    Audit.objects.filter(pk=audit.pk).update(supervision_on=on, supervision_note=note)
    audit.supervision_on, audit.supervision_note = on, note
    return audit


@transaction.atomic
def audit_close(*, audit: Audit, by: User) -> Audit:
    """The team manager closes an audit that asked for no actions once its discussion in
    supervision is recorded. An audit with actions closes by itself when its last action is
    authorised or closed by an authorised Management Decision (P&Q 23)."""
    audit.refresh_from_db()
    if audit.actions.exists():
        raise RuleViolation(
            "This audit asked for actions: it closes when the last of them is authorised."
        )
    if audit.supervision_on is None:
        raise RuleViolation("Record the supervision in which the audit was discussed first.")
    if case_team_manager(audit.case) != by and not by.has_perm("accounts.quality_assure"):
        raise RuleViolation("Only the case's team manager or QA staff close the audit.")
    audit_transition(audit=audit, to=lifecycle.CLOSED, by=by, why="Discussed in supervision")
    Audit.objects.filter(pk=audit.pk).update(closed_at=timezone.now())
    return audit


def sweep_amendments_overdue(*, today: dt.date) -> int:
    """Tell the auditor and QA staff, once, when an audit returned for amendment is not
    back by its due day (P&Q 20). Claimed by a conditional update, so a second run or a
    second worker sends nothing more."""
    told = 0
    late = QACheck.objects.filter(
        outcome=QAOutcome.RETURNED,
        resubmitted_at__isnull=True,
        due_on__lt=today,
        overdue_notified_on__isnull=True,
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            if not QACheck.objects.filter(pk=pk, overdue_notified_on__isnull=True).update(
                overdue_notified_on=today
            ):
                continue
            check = QACheck.objects.select_related("audit__allocation__auditor").get(pk=pk)
            audit = check.audit
            chain = escalation_chain(user=audit.auditor, depth=1)
            notify(
                recipients=[audit.auditor, *chain, *qa_staff()],
                template="amendment-overdue",
                key=f"amendment-overdue:{pk}",
                context={"audit": audit, "case": audit.case, "due_on": check.due_on},
                url=audit_url(audit),
            )
            told += 1
    return told
