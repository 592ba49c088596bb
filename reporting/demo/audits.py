"""One demo audit played through the services: started, filled in, shared, submitted,
QA-checked or agreed with its pair, as its fate says."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accounts import working_days
from accounts.selectors import policy_get
from audits import grading, lifecycle
from audits.form_presets import sections_for
from audits.models import Allocation, Audit, ChildFamilyViews, ContactRole, SmartAction
from audits.services import (
    action_add,
    audit_share_for_comment,
    audit_start,
    audit_submit,
    comment_add,
    consensus_record,
    conversation_add,
    overall_save,
    qa_check_decide,
    qa_return,
    safeguarding_raise,
    section_save,
    views_save,
)

from .grades import qa_officer_grades
from .plan import (
    CURRENT,
    FINISHED,
    IN_PROGRESS,
    NOT_STARTED,
    QA_QUEUE_WANTED,
    SHARED,
    Month,
    Plan,
    Unit,
    at,
)
from .words import (
    ACTION_WHO,
    ACTIONS,
    COMMENTS,
    EVIDENCE,
    LEARNING,
    OVERALL_REASONS,
    STRENGTHS,
    VIEWS,
)

# One audit --------------------------------------------------------------------------------


def play_audit(month: Month, plan: Plan, unit: Unit) -> None:
    if unit.fate == NOT_STARTED:
        return
    start = unit.allocations[0].allocated_on or month.period
    if unit.fate == SHARED:
        audit = _start(month, unit.allocations[0], start)
        _fill(month, audit, unit.grade)
        audit_share_for_comment(audit=audit, by=audit.auditor)
        return
    if unit.fate == IN_PROGRESS:
        # One auditor of a pair may have submitted already; the last is still at it.
        for allocation in unit.allocations[:-1]:
            _finish_one(month, plan, allocation, unit, start)
        audit = _start(month, unit.allocations[-1], start)
        _fill(month, audit, unit.grade, partly=True)
        return
    finished = [_finish_one(month, plan, a, unit, start) for a in unit.allocations]
    audit, day = finished[0]
    if len(finished) > 1:
        lead = audit
        day = month.day(max(d for _, d in finished), 1, 3)
        group = unit.allocations[0].pair_group
        consensus = consensus_record(
            pair_group=group,
            by=plan.qa,
            grades={a.key: a.grade for a in lead.answers.all()},
            overall_grade=unit.grade,
            notes="Agreed at the pair's consensus meeting; grades differed on one section.",
            today=day,
            # Bury 8.1: the lead's actions are kept, the partner's overlap and are dropped.
            actions={
                pk: "keep" if audit_id == lead.pk else "drop"
                for pk, audit_id in SmartAction.objects.filter(
                    audit__allocation__pair_group=group
                ).values_list("pk", "audit_id")
            },
        )
        audit = Audit.objects.get(pk=consensus.lead_audit_id)
    month.made["finished"] += 1
    _qa_check(month, plan, audit, day)


def _start(month: Month, allocation: Allocation, allocated: dt.date) -> Audit:
    audit = audit_start(
        allocation=allocation, by=allocation.auditor, now=at(month.day(allocated, 1, 4))
    )
    month.made["audits"] += 1
    return audit


def _finish_one(
    month: Month, plan: Plan, allocation: Allocation, unit: Unit, allocated: dt.date
) -> tuple[Audit, dt.date]:
    """One auditor fills in and submits their audit; returns it and the day it went in.
    Most go in during the last fortnight before the deadline."""
    audit = _start(month, allocation, allocated)
    submitted = month.day(allocated, 8, 19)
    share = month.kind != CURRENT and month.rng.random() < 0.03
    _fill(month, audit, unit.grade, submitted=submitted, min_actions=unit.min_actions)
    auditor = allocation.auditor
    if grading.is_inadequate(month.definition, unit.grade) and month.rng.random() < 0.5:
        safeguarding_raise(
            audit=audit,
            by=auditor,
            concern="No visit for nine weeks while the plan says fortnightly; the risks "
            "named at referral have not been reviewed.",
            action_taken="Spoke to the team manager, who arranged a visit this week.",
        )
    worker = audit.case.allocated_worker
    if share and worker is not None and worker.is_active:
        audit_share_for_comment(audit=audit, by=auditor)
        comment_add(audit=audit, by=worker, body=month.rng.choice(COMMENTS))
    if policy_get().worker_input_before_submit:
        # P&Q 8, 18: the worker's input is recorded and the draft shared before submitting.
        conversation_add(
            audit=audit, by=auditor, role=ContactRole.SOCIAL_WORKER, on=submitted, answered=True
        )
        if audit.status != lifecycle.SHARED:
            audit_share_for_comment(audit=audit, by=auditor)
    audit_submit(audit=audit, by=auditor, today=submitted)
    return Audit.objects.get(pk=audit.pk), submitted


def _band(definition: dict[str, Any], scale: str, value: str) -> str:
    values = grading.values(definition, scale)
    rank = values.index(value)
    if rank == 0:
        return "best"
    if rank == len(values) - 1:
        return "worst"
    return "middle"


def _section_grade(
    month: Month, definition: dict[str, Any], section: dict[str, Any], overall: str
) -> str:
    """A section grade near the overall grade: the same, or one either side, so the overall
    grade is never more than one above the lowest (Bradford App. 1)."""
    overall_values = grading.values(definition, definition["overall"]["scale"])
    values = grading.values(definition, section["scale"])
    position = overall_values.index(overall) / max(1, len(overall_values) - 1)
    rank = round(position * (len(values) - 1))
    rank += month.rng.choice((-1, 0, 0, 0, 1))
    return values[max(0, min(len(values) - 1, rank))]


def _fill(
    month: Month,
    audit: Audit,
    grade: str,
    *,
    partly: bool = False,
    submitted: dt.date | None = None,
    min_actions: int = 0,
) -> None:
    """The auditor fills in the form: sections with grades and evidence, the child's and
    family's views, the overall grade with reasons, and SMART actions."""
    audit = Audit.objects.select_related("allocation__case", "form_version").get(pk=audit.pk)
    definition = audit.definition
    auditor = audit.auditor
    sections = sections_for(definition, audit.case.case_type)
    if partly:
        sections = sections[: max(1, len(sections) // 2)]
    for section in sections:
        value = _section_grade(month, definition, section, grade)
        band = _band(definition, section["scale"], value)
        evidence = " ".join(month.rng.sample(EVIDENCE[band], 2))
        section_save(
            audit=audit,
            key=section["key"],
            grade=value,
            evidence=evidence,
            revision=0,
            by=auditor,
            complete=True,
        )
    if partly:
        return
    contacted = month.rng.choices(
        [
            ChildFamilyViews.Contacted.CHILD_AND_PARENT,
            ChildFamilyViews.Contacted.CHILD,
            ChildFamilyViews.Contacted.NOT_CONTACTED,
        ],
        [70, 15, 15],
    )[0]
    views_save(
        audit=audit,
        revision=0,
        by=auditor,
        contacted=contacted,
        consent=ChildFamilyViews.Consent.YES
        if contacted != ChildFamilyViews.Contacted.NOT_CONTACTED
        else "",
        views=month.rng.choice(VIEWS)
        if contacted != ChildFamilyViews.Contacted.NOT_CONTACTED
        else "",
        not_contacted_reason="The family declined a call during the audit week."
        if contacted == ChildFamilyViews.Contacted.NOT_CONTACTED
        else "",
        # Hillingdon 2.3: a parent's consent is sought before speaking to a child.
        parent_consent_before_child=True
        if contacted
        in (ChildFamilyViews.Contacted.CHILD, ChildFamilyViews.Contacted.CHILD_AND_PARENT)
        else None,
    )
    overall_scale = definition["overall"]["scale"]
    band = _band(definition, overall_scale, grade)
    overall_save(
        audit=audit,
        revision=audit.revision,
        by=auditor,
        overall_grade=grade,
        overall_reason=OVERALL_REASONS[band],
        outcomes_met={"best": "met", "middle": "on_track", "worst": "not_met"}[band],
        good_elements=month.rng.choice(STRENGTHS) if band == "middle" else "",
        strengths=month.rng.choice(STRENGTHS),
        learning=month.rng.choice(LEARNING),
    )
    count = {"best": month.rng.choice((0, 0, 1)), "middle": month.rng.choice((1, 2, 2, 3))}.get(
        band, 3
    )
    # The auditor asks for the policy's time (Bury 9.3: 25 working days), sooner when the
    # record is inadequate; the earlier date is the one that stands.
    asked = working_days.add(
        submitted or month.today, 15 if band == "worst" else 30, month.closures
    )
    for what in month.rng.sample(ACTIONS, max(count, min_actions)):
        action_add(
            audit=audit, by=auditor, what=what, who=month.rng.choice(ACTION_WHO), due_on=asked
        )


def _qa_check(month: Month, plan: Plan, audit: Audit, submitted: dt.date) -> None:
    """In the earlier months QA staff have checked what was drawn: most accepted, the odd
    one returned for amendment and accepted when it came back (P&Q 20)."""
    if month.kind == CURRENT or audit.status != lifecycle.QA_CHECK:
        return
    day = month.day(submitted, 1, 3)
    if month.rng.random() < 0.15:
        qa_return(
            audit=audit,
            by=plan.qa,
            reason="The evidence for the review section does not support its grade.",
            today=day,
        )
        audit = Audit.objects.get(pk=audit.pk)
        overall_save(
            audit=audit,
            revision=audit.revision,
            by=audit.auditor,
            learning="Evidence reworded after the QA check.",
        )
        day = month.day(day, 1, 2)
        audit_submit(audit=audit, by=audit.auditor, today=day)
        day = month.day(day, 1, 2)
    audit = Audit.objects.get(pk=audit.pk)
    grades = qa_officer_grades(audit)  # kept for the agreement figures
    qa_check_decide(audit=audit, by=plan.qa, accept=True, grades=grades, today=day)


def fill_qa_queue(month: Month, plan: Plan, units: list[Unit]) -> None:
    """This month: make sure QA staff have audits waiting for their check. The draw is
    random (Bury 6.5), so finish a few more audits until enough have been drawn."""
    waiting = Audit.objects.filter(allocation__period=month.period, status=lifecycle.QA_CHECK)
    spare = [
        u
        for u in units
        if u.fate == NOT_STARTED
        and not any(a.auditor_id == plan.auditor.pk for a in u.allocations)
        and len(u.allocations) == 1
    ]
    for unit in spare[:20]:
        if waiting.count() >= QA_QUEUE_WANTED:
            return
        unit.fate = FINISHED
        play_audit(month, plan, unit)
