"""The inadequate pathway (P&Q 25-26, Hillingdon 2.10).

An inadequate grade, once confirmed, sends an urgent notice to the worker and team
manager, calls a meeting of group manager, team manager and worker, sets a review after the
policy's weeks (4) and a re-audit within its months (2). The sweep reminds them of the
review and allocates the re-audit to an auditor who has not audited the case before.
Inadequate again starts the next cycle with the head of service; a re-audit that is not
inadequate ends the pathway.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.urls import reverse

from accounts import working_days
from accounts.errors import RuleViolation
from accounts.models import User
from accounts.selectors import available_pool, policy_get
from accounts.services import notify
from sampling.models import Sample, SampleCase, SampleKind, SampleStatus

from .. import grading
from ..eligibility import Rules, eligibility_reason, refusal
from ..models import (
    Allocation,
    AllocationHistory,
    AllocationStatus,
    Audit,
    InadequatePathway,
    PathwayStatus,
)
from ..selectors import (
    auditor_facts,
    audits_given_in_month,
    case_facts,
    case_group_manager,
    case_head_of_service,
    case_team_manager,
    may_record_pathway,
    month_start,
    qa_staff,
)


def _people(pathway: InadequatePathway) -> list[User | None]:
    case = pathway.case
    people = [case_group_manager(case), case_team_manager(case), case.allocated_worker]
    if pathway.head_of_service_involved:
        people.append(case_head_of_service(case))
    return people


def pathway_after_finish(*, audit: Audit, grade: str, today: dt.date) -> InadequatePathway | None:
    """Called when an audit's grade is confirmed. Ends the pathway this audit re-audited
    when it is no longer inadequate; starts a pathway (the next cycle, if a re-audit) when
    it is inadequate."""
    previous = pathway_of_reaudit(allocation=audit.allocation)
    inadequate = grading.is_inadequate(audit.definition, grade)
    if previous is not None and not inadequate:
        previous.status = PathwayStatus.RESOLVED
        previous.resolved_on = today
        previous.save(update_fields=["status", "resolved_on"])
        return None
    if not inadequate:
        return None
    policy = policy_get()
    if not policy.inadequate_pathway and previous is None:
        return None  # P&Q 25-26 only, unless the council turns it on
    if previous is not None:
        previous.status = PathwayStatus.REPEATED
        previous.save(update_fields=["status"])
    pathway, made = InadequatePathway.objects.get_or_create(
        audit=audit,
        defaults={
            "case": audit.case,
            "cycle": previous.cycle + 1 if previous else 1,
            "previous": previous,
            "graded_on": today,
            "review_due": today + dt.timedelta(weeks=policy.inadequate_review_weeks),
            "reaudit_due": working_days.add_months(today, policy.reaudit_window_months),
            "head_of_service_involved": previous is not None,
        },
    )
    if not made:
        return pathway
    case = audit.case
    url = reverse("audit:task-list", args=[audit.pk])
    notify(
        recipients=[case.allocated_worker, case_team_manager(case)],
        template="audit-inadequate",
        key=f"inadequate:{audit.pk}",
        context={"audit": audit, "case": case, "auditor": audit.auditor},
        url=url,
        urgent=True,
    )
    notify(
        recipients=_people(pathway),
        template="inadequate-meeting",
        key=f"inadequate-meeting:{pathway.pk}",
        context={"audit": audit, "case": case, "pathway": pathway},
        url=url,
        urgent=True,
    )
    return pathway


def pathway_of_reaudit(*, allocation: Allocation) -> InadequatePathway | None:
    """The open pathway this allocation re-audits. A re-audit that was moved, or given to
    another auditor after an agreed exemption, is a new allocation that replaces the
    pathway's; the pathway follows it (P&Q 25-26: the process continues until the case is
    no longer inadequate)."""
    chain = [allocation.pk]
    replaced = allocation.replaces_id
    while replaced is not None and len(chain) < 20:
        chain.append(replaced)
        replaced = (
            Allocation.objects.filter(pk=replaced).values_list("replaces_id", flat=True).first()
        )
    pathway = InadequatePathway.objects.filter(
        reaudit_allocation_id__in=chain, status=PathwayStatus.OPEN
    ).first()
    if pathway is not None and pathway.reaudit_allocation_id != allocation.pk:
        pathway.reaudit_allocation = allocation
        pathway.save(update_fields=["reaudit_allocation"])
    return pathway


def _choose_reauditor(*, pathway: InadequatePathway, period: dt.date) -> tuple[User | None, str]:
    """An eligible auditor who has never audited this case, fewest audits this month
    first; ties broken by a random order seeded on the pathway, so the choice repeats."""
    case = pathway.case
    had_it = set(Allocation.objects.filter(case=case).values_list("auditor_id", flat=True))
    rules = Rules.from_policy(policy_get())
    pool = [user for user, _ in available_pool(period=period) if user.pk not in had_it]
    facts = auditor_facts(pool)
    case_fact = case_facts(case_ids=[case.pk])[case.pk]
    given = audits_given_in_month(period=period)
    rng = random.Random(f"reaudit:{pathway.pk}")
    candidates = [
        (given.get(user.pk, 0), rng.random(), user)
        for user in pool
        if refusal(facts[user.pk], case_fact, rules) is None
    ]
    if not candidates:
        return None, ""
    user = min(candidates, key=lambda c: c[:2])[2]
    return user, eligibility_reason(facts[user.pk], case_fact, rules)


def _reaudit_sample(*, period: dt.date) -> Sample:
    """The month's sample of re-audits: a thematic sample, so the monthly sample stays as
    it was drawn."""
    sample, _ = Sample.objects.get_or_create(
        kind=SampleKind.THEMATIC,
        period=period,
        name=f"Re-audits after an inadequate grade, {period:%B %Y}",
        defaults={"status": SampleStatus.CONFIRMED, "seed": 0},
    )
    return sample


def _allocate_reaudit(*, pathway: InadequatePathway, today: dt.date) -> Allocation | None:
    period = month_start(today)
    auditor, reason = _choose_reauditor(pathway=pathway, period=period)
    if auditor is None:
        pathway.reaudit_problem = "No eligible auditor who has not audited the case is free."
        pathway.save(update_fields=["reaudit_problem"])
        notify(
            recipients=qa_staff(),
            template="reaudit-unallocated",
            key=f"reaudit-unallocated:{pathway.pk}:{period:%Y-%m}",
            context={"pathway": pathway, "case": pathway.case},
        )
        return None
    origin = pathway.audit.allocation
    sample = _reaudit_sample(period=period)
    SampleCase.objects.get_or_create(
        sample=sample, case=pathway.case, defaults={"stratum": "re-audit"}
    )
    allocation = Allocation.objects.create(
        run=origin.run,
        sample=sample,
        case=pathway.case,
        auditor=auditor,
        period=period,
        status=AllocationStatus.ALLOCATED,
        eligibility_reason=f"Re-audit after an inadequate grade (P&Q 25). {reason}",
        allocated_on=today,
        deadline=pathway.reaudit_due,
    )
    AllocationHistory.objects.create(
        allocation=allocation,
        from_status="",
        to_status=AllocationStatus.ALLOCATED,
        why=f"Re-audit {pathway.cycle} after an inadequate grade",
    )
    pathway.reaudit_allocation = allocation
    pathway.reaudit_allocated_on = today
    pathway.reaudit_problem = ""
    pathway.save(update_fields=["reaudit_allocation", "reaudit_allocated_on", "reaudit_problem"])
    notify(
        recipients=[auditor],
        template="reaudit-allocated",
        key=f"reaudit-allocated:{allocation.pk}",
        context={"case": pathway.case, "pathway": pathway, "allocation": allocation},
        url=reverse("audits:mine"),
    )
    return allocation


def sweep_inadequate_pathways(*, today: dt.date) -> dict[str, int]:
    """As of `today`: remind the group manager, team manager and worker (and the head of
    service from the second cycle) of each review that is due, once; and allocate each
    re-audit once its review is due, so the recommendations have had time, due by the end
    of the re-audit window (P&Q 25). Each pathway is claimed under a row lock and checked
    again, so a second run or a second worker does nothing more."""
    done = {"reviews": 0, "reaudits": 0}
    due = InadequatePathway.objects.filter(status=PathwayStatus.OPEN, review_due__lte=today)
    for pk in list(due.filter(review_reminded_on__isnull=True).values_list("pk", flat=True)):
        with transaction.atomic():
            if not InadequatePathway.objects.filter(pk=pk, review_reminded_on__isnull=True).update(
                review_reminded_on=today
            ):
                continue
            pathway = InadequatePathway.objects.select_related("case__team", "audit").get(pk=pk)
            notify(
                recipients=_people(pathway),
                template="inadequate-review",
                key=f"inadequate-review:{pk}",
                context={"case": pathway.case, "pathway": pathway},
                url=reverse("audit:task-list", args=[pathway.audit_id]),
            )
            done["reviews"] += 1
    for pk in list(due.filter(reaudit_allocation__isnull=True).values_list("pk", flat=True)):
        with transaction.atomic():
            pathway = (
                InadequatePathway.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, reaudit_allocation__isnull=True, status=PathwayStatus.OPEN)
                .first()
            )
            if pathway is None:
                continue
            if _allocate_reaudit(pathway=pathway, today=today):
                done["reaudits"] += 1
    return done


def _check_recording(
    *, pathway: InadequatePathway, by: User | None, on: dt.date, today: dt.date | None
) -> None:
    if by is not None and not may_record_pathway(user=by, pathway=pathway):
        raise RuleViolation("Only QA staff or the case's group manager record this.")
    if pathway.status != PathwayStatus.OPEN:
        raise RuleViolation("This pathway has ended.")
    if on < pathway.graded_on:
        raise RuleViolation(
            f"The date must be on or after the grade was confirmed, {pathway.graded_on:%-d %B %Y}."
        )
    if today is not None and on > today:
        raise RuleViolation("The date cannot be in the future.")


@transaction.atomic
def pathway_meeting_record(
    *,
    pathway: InadequatePathway,
    on: dt.date,
    by: User | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> InadequatePathway:
    """The group manager, team manager and worker have met to plan what must happen for
    the case to be no longer inadequate (P&Q 25); QA staff or the group manager record it.
    `by` None is the demo's history."""
    _check_recording(pathway=pathway, by=by, on=on, today=today)
    pathway.meeting_held_on = on
    pathway.meeting_note = note.strip()
    pathway.meeting_recorded_by = by
    pathway.save(update_fields=["meeting_held_on", "meeting_note", "meeting_recorded_by"])
    return pathway


@transaction.atomic
def pathway_review_record(
    *, pathway: InadequatePathway, by: User, on: dt.date, note: str, today: dt.date
) -> InadequatePathway:
    """The review meeting after four weeks checked the progress (P&Q 25); QA staff or the
    group manager record it, with what it found."""
    _check_recording(pathway=pathway, by=by, on=on, today=today)
    if not note.strip():
        raise RuleViolation("Say what the review found.")
    pathway.review_held_on = on
    pathway.review_note = note.strip()
    pathway.review_recorded_by = by
    pathway.save(update_fields=["review_held_on", "review_note", "review_recorded_by"])
    return pathway
