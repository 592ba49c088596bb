"""Three months of synthetic history for the demo authority, made through the services.

`build_history(today=…)` plays the audit year forward from two months before `today`: each
month QA staff draw and confirm the sample and confirm the allocation, auditors fill in and
submit their audits, QA staff check the share the policy draws, team managers record
supervision, and the remedial actions go through fulfilled, signed off and authorised, with
a Management Decision or two. Nothing is written that a service would refuse: every change
goes through the service a person would use, on the day it would have happened (the
`today` the services take). Timestamps the services stamp themselves (`submitted_at`,
notices) say when the demo was built.

The two earlier months are mostly finished; the current month is under way. Some cases are
chosen so each demo sign-in has something to see and do (see `_Plan`), always within the
rules: the demo auditor, for instance, is never given a case of their own team.

Deterministic for a seed, and built once: a month that already has audits is left as it is,
so running `seed_demo` again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts import working_days
from accounts.demo import DEMO_DOMAIN
from accounts.models import Notice, Team, User
from accounts.selectors import policy_get
from audits import grading, lifecycle
from audits.audit_selectors import current_form_version
from audits.form_presets import sections_for
from audits.models import (
    Allocation,
    AllocationStatus,
    Audit,
    ChildFamilyViews,
    InadequatePathway,
    SmartAction,
)
from audits.services import (
    action_add,
    allocation_confirm,
    allocation_propose,
    audit_close,
    audit_share_for_comment,
    audit_start,
    audit_submit,
    comment_add,
    consensus_record,
    overall_save,
    pathway_meeting_record,
    qa_check_decide,
    qa_return,
    safeguarding_raise,
    section_save,
    supervision_record,
    views_save,
)
from remediation import access
from remediation.models import ActionStatus, RemedialAction
from remediation.services import (
    action_fulfil,
    actions_authorise,
    actions_sign_off,
    decision_decide,
    decision_record,
)
from sampling.models import Case, Sample
from sampling.selectors import monthly_sample
from sampling.services import sample_confirm, sample_draw_monthly, sampling_day

from .demo_grades import qa_officer_grades

OLD, RECENT, CURRENT = "old", "recent", "current"
NOT_STARTED, IN_PROGRESS, SHARED, FINISHED = "not_started", "in_progress", "shared", "finished"

# What becomes of a month's audits: (finished, in progress), the rest not started.
FATES = {OLD: (0.92, 0.05), RECENT: (0.86, 0.09), CURRENT: (0.22, 0.33)}
# Where a month's remedial actions have got to by `today`, as weights.
ACTION_STATES = {
    OLD: {
        ActionStatus.AUTHORISED: 74,
        ActionStatus.COMPLETED: 12,
        ActionStatus.FULFILLED: 5,
        ActionStatus.OPEN: 5,
    },
    RECENT: {
        ActionStatus.AUTHORISED: 8,
        ActionStatus.COMPLETED: 14,
        ActionStatus.FULFILLED: 26,
        ActionStatus.OPEN: 52,
    },
}
HISTORY_COUNTS = ("months", "allocations", "audits", "finished", "actions", "decisions")
QA_QUEUE_WANTED = 2  # audits of the current month waiting for their QA check
MIN_INADEQUATE = 2  # finished inadequate audits in each earlier month
SAMPLE_TRIES = 12  # seeds tried for a sample that holds what the demo needs

EVIDENCE = {
    "best": (
        "Plan reviewed on time; chronology up to date; the child's views recorded at the "
        "last visit.",
        "Clear analysis of risk and strengths; the family's own words are on the record.",
        "Visits on time and purposeful; every agreed action on the plan was followed up.",
        "Case summary, genogram and chronology are complete and easy to follow.",
    ),
    "middle": (
        "Plan in place but two actions have no date; the chronology stops in the spring.",
        "Visits mostly on time; the purpose of each visit is not always recorded.",
        "Assessment is sound but does not say how the plan will be measured.",
        "Supervision notes are brief and do not show reflection on the plan.",
    ),
    "worst": (
        "No current assessment; the last review was missed and not rearranged.",
        "Drift since the summer: no visit for nine weeks and no recorded management oversight.",
        "Risks named at referral are not followed up anywhere on the record.",
        "Key documents are missing and the chronology has not been started.",
    ),
}
OVERALL_REASONS = {
    "best": "Consistently strong practice; the child's needs drive the plan.",
    "middle": "The child is safe but planning and recording need tightening.",
    "worst": "Serious drift and gaps in the record leave risk unclear.",
}
STRENGTHS = (
    "Warm, respectful direct work with the child, well recorded.",
    "Good multi-agency links: school and health are part of the plan.",
    "The worker knows the family well and it shows in the visit notes.",
)
LEARNING = (
    "Chronologies need updating monthly across the team.",
    "Plans should say who does what by when, in words the family understand.",
    "Management oversight should be recorded after each supervision.",
)
VIEWS = (
    "Said she likes her new school and wants to see her nan more often.",
    "Told the worker he feels listened to but wants fewer meetings.",
    "Mum said the worker is easy to talk to and the plan makes sense to her.",
)
ACTIONS = (
    "Update the chronology to cover the last six months and check it against the plan.",
    "Hold the overdue review and record the child's views before it.",
    "Rewrite the plan so each action says who does it and by when.",
    "Record the purpose and outcome of each visit on the day it happens.",
    "Complete the missing assessment and discuss it in supervision.",
    "Add the school and health contacts to the plan and invite them to the next meeting.",
)
ACTION_WHO = ("Allocated social worker", "Team manager and allocated social worker")
COMMENTS = (
    "Thank you: I agree with the actions and have already booked the review.",
    "The chronology was updated last week; could you look at it again before finalising?",
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _months_back(period: dt.date, n: int) -> dt.date:
    index = period.year * 12 + period.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class _Unit:
    """One sampled case and its auditor (two or three for a paired audit)."""

    allocations: list[Allocation]
    fate: str = NOT_STARTED
    grade: str = ""  # the overall grade, for an audit that is finished
    min_actions: int = 0

    @property
    def case(self) -> Case:
        return self.allocations[0].case


@dataclass
class _Plan:
    """Who the demo sign-ins are, and what each must find."""

    qa: User
    auditor: User
    team_manager: User
    service_manager: User
    social_worker: User
    home_team: Team  # the demo team manager's and social worker's team

    @classmethod
    def load(cls) -> _Plan:
        """The demo sign-ins that accounts.demo made (README: Demo sign-ins)."""
        names = ("qa", "auditor", "teammanager", "servicemanager", "socialworker")
        people = {
            user.email.split("@")[0]: user
            for user in User.objects.filter(
                email__in=[f"{name}@{DEMO_DOMAIN}" for name in names]
            ).select_related("team")
        }
        return cls(
            qa=people["qa"],
            auditor=people["auditor"],
            team_manager=people["teammanager"],
            service_manager=people["servicemanager"],
            social_worker=people["socialworker"],
            home_team=people["teammanager"].team,
        )

    def holds_worker_case(self, sample: Sample) -> bool:
        return sample.sample_cases.filter(case__allocated_worker=self.social_worker).exists()


@dataclass
class _Month:
    period: dt.date
    kind: str
    today: dt.date
    rng: random.Random
    closures: list[dt.date]
    definition: dict[str, Any]
    made: Counter = field(default_factory=Counter)

    def day(self, start: dt.date, low: int, high: int) -> dt.date:
        """A working day `low`..`high` working days after `start`, never after today."""
        return min(working_days.add(start, self.rng.randint(low, high), self.closures), self.today)


def build_history(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Play the current month and the two before it forward through the services (see
    the module's docstring). Returns what was made; a month that has audits already is
    left alone, so a second run makes nothing."""
    plan = _Plan.load()
    current = today.replace(day=1)
    made: Counter = Counter()
    closures = list(policy_get().closures)
    version = current_form_version()
    if version is None:
        return dict.fromkeys(HISTORY_COUNTS, 0)
    for back, kind in ((2, OLD), (1, RECENT), (0, CURRENT)):
        period = _months_back(current, back)
        month = _Month(
            period=period,
            kind=kind,
            today=today,
            rng=random.Random(f"{seed}:{period:%Y-%m}"),
            closures=closures,
            definition=version.definition,
        )
        with transaction.atomic():
            _build_month(month, plan)
        made.update(month.made)
    # The history's notices count as sent long ago: no one is emailed about the past when
    # the worker starts (their queued tasks find nothing left to send).
    Notice.objects.filter(emailed_at__isnull=True, recipient__email__endswith=DEMO_DOMAIN).update(
        emailed_at=timezone.now()
    )
    return {key: made[key] for key in HISTORY_COUNTS}


# The month --------------------------------------------------------------------------------


def _build_month(month: _Month, plan: _Plan) -> None:
    if Audit.objects.filter(allocation__period=month.period).exists():
        return  # built before
    first_day = min(sampling_day(period=month.period), month.today)
    wanted = None if month.kind == OLD else plan.holds_worker_case
    sample = _sample(month, plan, first_day, wanted)
    sample_confirm(sample=sample, by=plan.qa)
    run = allocation_propose(period=month.period, today=first_day, by=plan.qa)
    allocation_confirm(run=run, by=plan.qa, today=first_day)
    units = _units(run.allocations.filter(status=AllocationStatus.ALLOCATED))
    if not units:
        return
    month.made["months"] += 1
    month.made["allocations"] += sum(len(u.allocations) for u in units)
    _choose_fates(month, plan, units)
    for unit in units:
        _play(month, plan, unit)
    if month.kind == CURRENT:
        _fill_qa_queue(month, plan, units)
        return
    _supervise(month, plan)
    _progress_actions(month, plan)


def _sample(
    month: _Month, plan: _Plan, day: dt.date, wanted: Callable[[Sample], bool] | None
) -> Sample:
    """The month's sample: the one it has, or a new draw. Each seed is tried in a savepoint
    and the first sample holding what the demo needs is kept (QA staff may draw again with
    another seed; here the tries that are not kept leave no trace)."""
    existing = monthly_sample(period=month.period)
    if existing is not None:
        return existing
    for attempt in range(SAMPLE_TRIES):
        seed = month.rng.randrange(10**9)
        last = attempt == SAMPLE_TRIES - 1
        try:
            with transaction.atomic():
                sample = sample_draw_monthly(period=month.period, today=day, by=plan.qa, seed=seed)
                if wanted is None or last or wanted(sample):
                    return sample
                raise _TryAnotherSeed
        except _TryAnotherSeed:
            continue
    raise AssertionError("unreachable")  # the last try is always kept


class _TryAnotherSeed(Exception):
    pass


def _units(allocations: QuerySet[Allocation]) -> list[_Unit]:
    by_key: dict[Any, _Unit] = {}
    for allocation in allocations.select_related(
        "case__team__manager", "case__allocated_worker", "auditor"
    ).order_by("case__external_id", "auditor__email"):
        key = allocation.pair_group or allocation.pk
        by_key.setdefault(key, _Unit(allocations=[])).allocations.append(allocation)
    return list(by_key.values())


def _choose_fates(month: _Month, plan: _Plan, units: list[_Unit]) -> None:
    finished, in_progress = FATES[month.kind]
    for unit in units:
        draw = month.rng.random()
        unit.fate = (
            FINISHED
            if draw < finished
            else IN_PROGRESS
            if draw < finished + in_progress
            else NOT_STARTED
        )
        unit.grade = _grade(month, unit)
    worker_units = [u for u in units if u.case.allocated_worker_id == plan.social_worker.pk]
    for unit in units:
        # The demo team manager's team: finished audits with actions to see through.
        if month.kind != CURRENT and unit.case.team_id == plan.home_team.pk:
            unit.fate = FINISHED
            unit.grade = _grade(month, unit, band="middle")
            unit.min_actions = 2
        # The demo auditor: last month's audit still in progress (overdue, but still to be
        # done: P&Q 30), this month's not started.
        if any(a.auditor_id == plan.auditor.pk for a in unit.allocations):
            unit.fate = {OLD: FINISHED, RECENT: IN_PROGRESS, CURRENT: NOT_STARTED}[month.kind]
            # The demo auditor's own allocation is the one left unfinished in a pair.
            unit.allocations.sort(key=lambda a: a.auditor_id == plan.auditor.pk)
    if month.kind == CURRENT and worker_units:
        worker_units[0].fate = SHARED  # the demo social worker's case, for comment
    if month.kind != CURRENT:
        # A few inadequate audits each month, to show the inadequate pathway (P&Q 25).
        inadequate = [
            level["value"]
            for level in month.definition["scales"][month.definition["overall"]["scale"]]
            if level.get("inadequate")
        ]
        ordinary = [
            u
            for u in units
            if u.fate == FINISHED
            and not u.min_actions
            and u.case.allocated_worker_id != plan.social_worker.pk
        ]
        others = [u for u in ordinary if u.grade not in inadequate]
        wanted = max(0, MIN_INADEQUATE - (len(ordinary) - len(others))) if inadequate else 0
        for unit in month.rng.sample(others, min(len(others), wanted)):
            unit.grade = inadequate[0]


def _grade(month: _Month, unit: _Unit, band: str | None = None) -> str:
    """An overall grade: mostly Good and Requires improvement, a few of the best and a few
    inadequate (which starts the inadequate pathway)."""
    definition = month.definition
    levels = definition["scales"][definition["overall"]["scale"]]
    if band == "middle":
        return levels[len(levels) // 2]["value"]
    weights = []
    for index, level in enumerate(levels):
        if level.get("inadequate"):
            weights.append(4)
        elif index == 0:
            weights.append(6)
        else:
            weights.append(90 / max(1, len(levels) - 2))
    return month.rng.choices([level["value"] for level in levels], weights)[0]


# One audit --------------------------------------------------------------------------------


def _play(month: _Month, plan: _Plan, unit: _Unit) -> None:
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
        consensus = consensus_record(
            pair_group=unit.allocations[0].pair_group,
            by=plan.qa,
            grades={a.key: a.grade for a in lead.answers.all()},
            overall_grade=unit.grade,
            notes="Agreed at the pair's consensus meeting; grades differed on one section.",
            today=day,
        )
        audit = Audit.objects.get(pk=consensus.lead_audit_id)
    month.made["finished"] += 1
    _qa_check(month, plan, audit, day)


def _start(month: _Month, allocation: Allocation, allocated: dt.date) -> Audit:
    audit = audit_start(
        allocation=allocation, by=allocation.auditor, now=_at(month.day(allocated, 1, 4))
    )
    month.made["audits"] += 1
    return audit


def _finish_one(
    month: _Month, plan: _Plan, allocation: Allocation, unit: _Unit, allocated: dt.date
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
    month: _Month, definition: dict[str, Any], section: dict[str, Any], overall: str
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
    month: _Month,
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


def _qa_check(month: _Month, plan: _Plan, audit: Audit, submitted: dt.date) -> None:
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


def _fill_qa_queue(month: _Month, plan: _Plan, units: list[_Unit]) -> None:
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
        _play(month, plan, unit)


# After the audit --------------------------------------------------------------------------


def _supervise(month: _Month, plan: _Plan) -> None:
    """Team managers record the supervision each finished audit was discussed in, and close
    those that asked for no actions. Last month's are not all discussed yet, and the demo
    team manager still has theirs to do."""
    audits = (
        Audit.objects.filter(allocation__period=month.period, status=lifecycle.WITH_TEAM_MANAGER)
        .select_related("allocation__case__team__manager")
        .order_by("pk")
    )
    for audit in audits:
        case = audit.case
        manager = case.team.manager if case.team_id else None
        if manager is None:
            continue
        if month.kind == RECENT and (
            case.team_id == plan.home_team.pk or month.rng.random() < 0.45
        ):
            continue
        # The services stamp `finished_at` with the real clock; the day it reached the team
        # manager in the demo's story is a few weeks after allocation.
        day = month.day(audit.allocation.allocated_on or month.period, 15, 25)
        supervision_record(
            audit=audit, by=manager, on=day, note="Discussed with the worker in supervision."
        )
        if not SmartAction.objects.filter(audit=audit).exists():
            audit_close(audit=audit, by=manager)
    for pathway in InadequatePathway.objects.filter(audit__allocation__period=month.period):
        if month.kind == OLD:
            pathway_meeting_record(
                pathway=pathway, on=working_days.add(pathway.graded_on, 4, month.closures)
            )


def _progress_actions(month: _Month, plan: _Plan) -> None:
    """Move the month's remedial actions on to where they would be by now: fulfilled,
    signed off, authorised, or still open (and so overdue, for the older month); a
    Management Decision waits for the demo service manager, and an earlier one in another
    service area was authorised."""
    actions = list(
        RemedialAction.objects.filter(audit__allocation__period=month.period)
        .select_related("team__service_area", "team__manager", "case", "worker")
        .order_by("pk")
    )
    month.made["actions"] += len(actions)
    states = ACTION_STATES[month.kind]
    target = {}
    for action in actions:
        state = month.rng.choices(list(states), list(states.values()))[0]
        # Team managers see to what falls due first: most actions past their day are done.
        if (
            state in (ActionStatus.OPEN, ActionStatus.FULFILLED)
            and action.due_on < month.today
            and month.rng.random() < 0.75
        ):
            state = month.rng.choice((ActionStatus.COMPLETED, ActionStatus.AUTHORISED))
        target[action.pk] = state
    home_area = plan.home_team.service_area_id
    home = [a for a in actions if a.team_id == plan.home_team.pk]
    area = [a for a in actions if a.team.service_area_id == home_area and a not in home]
    elsewhere = [a for a in actions if a.team.service_area_id != home_area]
    decisions: list[tuple[RemedialAction, bool]] = []
    if month.kind == OLD:
        # For the demo service manager: a decision to make and signed-off actions to authorise.
        if area:
            decisions.append((area[0], False))
        for action in area[1:3]:
            target[action.pk] = ActionStatus.COMPLETED
        if elsewhere:
            decisions.append((elsewhere[0], True))
    else:
        # For the demo team manager: done actions to sign off; for the demo social worker,
        # actions on their cases still to do.
        for action in home[:1]:
            target[action.pk] = ActionStatus.FULFILLED
        theirs = [a for a in home if a.case.allocated_worker_id == plan.social_worker.pk]
        for action, state in zip(theirs, (ActionStatus.OPEN, ActionStatus.FULFILLED), strict=False):
            target[action.pk] = state
        for action in area[:2]:
            target[action.pk] = ActionStatus.COMPLETED
    for action, _ in decisions:
        target[action.pk] = ActionStatus.DECISION_PENDING

    done_by_team: dict[int, list[tuple[RemedialAction, dt.date]]] = defaultdict(list)
    for action in actions:
        if target[action.pk] not in (
            ActionStatus.FULFILLED,
            ActionStatus.COMPLETED,
            ActionStatus.AUTHORISED,
        ):
            continue
        fulfilled_on = month.day(action.created_on, 4, 18)
        worker = action.worker
        by = (
            worker
            if worker is not None and worker.is_active and access.may_fulfil(worker, action)
            else action.team.manager
        )
        action_fulfil(
            action=action,
            by=by,
            fulfilled_on=fulfilled_on,
            today=fulfilled_on,
            note="Done and recorded on the case file.",
        )
        if target[action.pk] != ActionStatus.FULFILLED:
            done_by_team[action.team_id].append((action, fulfilled_on))
    for batch in done_by_team.values():
        team = batch[0][0].team
        day = month.day(max(d for _, d in batch), 1, 3)
        signed = actions_sign_off(
            actions=[a for a, _ in batch], by=team.manager, today=day, note="Checked on file."
        )
        to_authorise = [a for a in signed if target[a.pk] == ActionStatus.AUTHORISED]
        if to_authorise:
            authoriser = _overseer(team, not_by=team.manager)
            if authoriser is not None:
                actions_authorise(
                    actions=to_authorise,
                    by=authoriser,
                    today=month.day(day, 1, 5),
                    note="Seen on the case file.",
                )
    for action, authorise in decisions:
        day = month.day(action.created_on, 10, 15)
        decision = decision_record(
            action=action,
            by=action.team.manager,
            reason="The information lies with a worker who has left; the family has moved "
            "out of the area and the review cannot now be held.",
            today=day,
        )
        month.made["decisions"] += 1
        if authorise:
            decider = _overseer(action.team, not_by=action.team.manager)
            if decider is not None:
                decision_decide(
                    decision=decision,
                    by=decider,
                    authorise=True,
                    today=month.day(day, 2, 5),
                    note="Agreed: the action cannot be achieved.",
                )


def _overseer(team: Team, *, not_by: User | None) -> User | None:
    """Who authorises for the team: its manager's line manager when they oversee it, else
    the first of its overseers (Bury 9.4, 10.1)."""
    people = [p for p in access.overseers_of(team) if not_by is None or p.pk != not_by.pk]
    line = team.manager.line_manager_id if team.manager_id else None
    for person in people:
        if person.pk == line:
            return person
    return people[0] if people else None
