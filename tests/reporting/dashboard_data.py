"""A small authority's November 2026, written straight to the tables, with every dashboard
figure worked out by hand in `EXPECTED` (the services that make these rows have their own
tests). Today is 10 December 2026.

North (stratum "North", frame 600) and South (stratum "South", frame 400), one team each.

Completion, November (deadline 30 November unless said):
  N1 done 20 Nov (on time) · N2 done 3 Dec (late) · N3 submitted, not finished ·
  N4 exempted · S1 not started (overdue) · S2 started, deadline 31 Dec (in progress) ·
  S3 not started, deadline 31 Dec (not started)
  plus October: the auditor's audit done late → with S1, two months not on time.

Quality, November's confirmed monthly sample (Bradford's four grades):
  North, 10 cases: 9 single audits graded O, G, G, G, G, RI, RI, RI, I and one paired case
  (auditors G and RI, consensus G) → O1 G5 RI3 I1, Good or better 6 of 10;
  South, 10 cases: 10 single audits graded G, G, RI×6 (one moderated to G), I, I
  → G3 RI5 I2, Good or better 3 of 10.
  Estimate = 600/1000 × 6/10 + 400/1000 × 3/10 = 0.48; raw 9/20 = 45%.
  North's cases: the first five CIN, the rest CP; South's all CLA.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from audits import lifecycle
from audits.models import (
    Allocation,
    AllocationRun,
    AllocationStatus,
    Audit,
    Consensus,
    InadequatePathway,
    Moderation,
    QACheck,
    SafeguardingConcern,
    SectionAnswer,
    SmartAction,
    ThemeTag,
)
from audits.services import form_preset_load
from remediation.models import ActionStatus, RemedialAction
from sampling.models import Case, CaseType, Sample, SampleCase, SampleKind, SampleStatus
from tests.accounts.factories import UserFactory

TODAY = dt.date(2026, 12, 10)
NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)
FIRST, SECOND = "risk_and_need", "assessments"


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@dataclass
class Built:
    form: object
    sample: Sample
    north_cases: list[Case] = field(default_factory=list)
    south_cases: list[Case] = field(default_factory=list)
    audits: list[Audit] = field(default_factory=list)
    completion_auditor: object = None
    others: dict = field(default_factory=dict)


def _case(name: str, team, case_type=CaseType.CIN) -> Case:
    return Case.objects.create(external_id=name, case_type=case_type, team=team)


def _audit(allocation, form, grade, *, status=lifecycle.WITH_TEAM_MANAGER, second="good"):
    audit = Audit.objects.create(
        allocation=allocation,
        form_version=form,
        status=status,
        period_to=allocation.period,
        overall_grade=grade,
        submitted_at=at(dt.date(2026, 11, 18)),
        finished_at=at(dt.date(2026, 11, 20)) if status in lifecycle.FINISHED else None,
    )
    SectionAnswer.objects.bulk_create(
        [
            SectionAnswer(audit=audit, key=FIRST, grade=grade, status="completed"),
            SectionAnswer(audit=audit, key=SECOND, grade=second, status="completed"),
        ]
    )
    return audit


def build(org) -> Built:
    form = form_preset_load(key="bradford", make_current=True)
    graders = [
        UserFactory(
            email=f"dash-auditor{i}@example.test",
            full_name=f"Dash Auditor {i}",
            role="advanced_practitioner",
            in_audit_pool=True,
        )
        for i in range(3)
    ]
    sample = Sample.objects.create(
        kind=SampleKind.MONTHLY,
        period=NOV,
        status=SampleStatus.CONFIRMED,
        seed=1,
        size=20,
        strata_table=[
            {"stratum": "North", "frame": 600, "eligible": 600, "size": 10},
            {"stratum": "South", "frame": 400, "eligible": 400, "size": 10},
        ],
    )
    run = AllocationRun.objects.create(period=NOV, sample=sample, seed=1, status="confirmed")
    built = Built(form=form, sample=sample)

    def allocate(case, who, *, period=NOV, status=AllocationStatus.ALLOCATED, **kw):
        kw.setdefault("deadline", dt.date(2026, 11, 30))
        return Allocation.objects.create(
            run=run if period == NOV else kw.pop("run"),
            sample=sample if period == NOV else kw.pop("sample"),
            case=case,
            auditor=who,
            period=period,
            status=status,
            eligibility_reason="test",
            allocated_on=period,
            **kw,
        )

    # Quality: North.
    north_grades = ["outstanding", "good", "good", "good", "good"] + ["requires_improvement"] * 3
    north_grades += ["inadequate"]
    for i, grade in enumerate(north_grades):
        case = _case(f"N-{i}", org.north_team, CaseType.CIN if i < 5 else CaseType.CP)
        SampleCase.objects.create(sample=sample, case=case, stratum="North", weight=60)
        allocation = allocate(
            case, graders[i % 3], completed_at=at(dt.date(2026, 11, 20)), started_at=at(NOV)
        )
        built.audits.append(_audit(allocation, form, grade))
        built.north_cases.append(case)
    pair_case = _case("N-pair", org.north_team, CaseType.CP)
    SampleCase.objects.create(sample=sample, case=pair_case, stratum="North", weight=60)
    group = uuid.uuid4()
    lead = _audit(
        allocate(
            pair_case,
            graders[0],
            pair_group=group,
            completed_at=at(dt.date(2026, 11, 20)),
            started_at=at(NOV),
        ),
        form,
        "good",
    )
    other = _audit(
        allocate(
            pair_case,
            graders[1],
            pair_group=group,
            completed_at=at(dt.date(2026, 11, 20)),
            started_at=at(NOV),
        ),
        form,
        "requires_improvement",
        status=lifecycle.CLOSED,
    )
    Consensus.objects.create(
        pair_group=group,
        lead_audit=lead,
        grades={FIRST: "good", SECOND: "requires_improvement"},
        overall_grade="good",
        recorded_by=graders[0],
    )
    built.north_cases.append(pair_case)
    built.others["pair"] = (lead, other)
    # Quality: South.
    south_grades = ["good", "good"] + ["requires_improvement"] * 6 + ["inadequate"] * 2
    for i, grade in enumerate(south_grades):
        case = _case(f"S-{i}", org.south_team, CaseType.CLA)
        SampleCase.objects.create(sample=sample, case=case, stratum="South", weight=40)
        allocation = allocate(
            case, graders[i % 3], completed_at=at(dt.date(2026, 11, 20)), started_at=at(NOV)
        )
        audit = _audit(allocation, form, grade)
        built.audits.append(audit)
        built.south_cases.append(case)
        if i == 2:  # moderated from requires improvement to good
            Moderation.objects.create(
                audit=audit,
                requested_by=graders[0],
                reason="challenge",
                moderator=org.senior_manager,
                overall_grade="good",
                decided_at=at(dt.date(2026, 11, 19)),
            )
    built.others["graders"] = graders
    return built


def completion(org) -> dict:
    """Seven allocations of November's cases outside the sample (so quality is untouched)
    and one of October, for the completion figures. Returns the allocations by name."""
    who = org.auditor
    sample = Sample.objects.create(kind=SampleKind.THEMATIC, period=NOV, seed=2, size=0)
    out = {}
    oct_sample = Sample.objects.create(kind=SampleKind.THEMATIC, period=OCT, seed=3, size=0)
    oct_run = AllocationRun.objects.create(period=OCT, sample=oct_sample, seed=3)
    nov_run = AllocationRun.objects.get(period=NOV)

    def allocate(name, team, *, period=NOV, run=None, smp=None, **kw):
        kw.setdefault("deadline", dt.date(2026, 11, 30) if period == NOV else dt.date(2026, 10, 30))
        kw.setdefault("status", AllocationStatus.ALLOCATED)
        case = _case(name, team)
        out[name] = Allocation.objects.create(
            run=run or nov_run,
            sample=smp or sample,
            case=case,
            auditor=who,
            period=period,
            eligibility_reason="test",
            allocated_on=period,
            **kw,
        )
        return out[name]

    allocate("C-N1", org.north_team, completed_at=at(dt.date(2026, 11, 20)), started_at=at(NOV))
    allocate("C-N2", org.north_team, completed_at=at(dt.date(2026, 12, 3)), started_at=at(NOV))
    n3 = allocate("C-N3", org.north_team, started_at=at(NOV))
    Audit.objects.create(
        allocation=n3,
        form_version=built_form(),
        status=lifecycle.QA_CHECK,
        period_to=NOV,
        submitted_at=at(dt.date(2026, 11, 28)),
    )
    allocate("C-N4", org.north_team, status=AllocationStatus.EXEMPTED)
    allocate("C-S1", org.south_team)
    allocate("C-S2", org.south_team, started_at=at(NOV), deadline=dt.date(2026, 12, 31))
    allocate("C-S3", org.south_team, deadline=dt.date(2026, 12, 31))
    allocate(
        "C-OCT",
        org.south_team,
        period=OCT,
        run=oct_run,
        smp=oct_sample,
        completed_at=at(dt.date(2026, 11, 5)),
    )
    return out


def built_form():
    return form_preset_load(key="bradford", make_current=True)


def actions(org, built: Built) -> list[RemedialAction]:
    """Six actions raised in November in North, one in each state; the open one overdue.

    open: due 1 Dec (overdue) · fulfilled: done 10 Nov, due 20 Nov (on time, 5 days taken,
    15 allowed) · completed: done 30 Nov, due 20 Nov (late, 25 taken, 15 allowed) ·
    authorised: done 15 Nov, due 20 Nov (on time, 10 taken, 15 allowed) · decision pending ·
    closed by decision. South: one open action, not overdue (due 1 Feb 2027).
    """
    audit = built.audits[0]
    rows = []
    specs = [
        ("open", None, dt.date(2026, 12, 1), org.north_team),
        ("fulfilled", dt.date(2026, 11, 10), dt.date(2026, 11, 20), org.north_team),
        ("completed", dt.date(2026, 11, 30), dt.date(2026, 11, 20), org.north_team),
        ("authorised", dt.date(2026, 11, 15), dt.date(2026, 11, 20), org.north_team),
        ("decision_pending", None, dt.date(2026, 12, 20), org.north_team),
        ("closed_by_decision", None, dt.date(2026, 12, 20), org.north_team),
        ("open", None, dt.date(2027, 2, 1), org.south_team),
    ]
    for i, (status, done, due, team) in enumerate(specs):
        smart = SmartAction.objects.create(
            audit=audit, what=f"Action {i}", who="TM", due_on=due, created_by=org.auditor
        )
        case = built.north_cases[0] if team == org.north_team else built.south_cases[0]
        rows.append(
            RemedialAction.objects.create(
                smart_action=smart,
                audit=audit,
                case=case,
                team=team,
                owner=team.manager,
                what=f"Action {i}",
                created_on=dt.date(2026, 11, 5),
                received_on=dt.date(2026, 11, 5),
                due_on=due,
                status=ActionStatus(status),
                fulfilled_on=done,
            )
        )
    return rows


def learning_and_safeguarding(org, built: Built) -> None:
    """Themes: "Voice of the child" on three North audits, "Chronology" on one South audit;
    strengths on two audits, learning on three. Two safeguarding concerns in November
    (North), one in October (South). Pathways: North graded 5 Nov (open 35 days, re-audit due
    5 Jan: within 31 days); South graded 1 Sep (open 100 days, re-audit due 1 Nov, not
    allocated: overdue); North resolved 25 Nov. QA checks of November audits: one accepted
    (North), one returned (South)."""
    voice, _ = ThemeTag.objects.get_or_create(name="Voice of the child")
    chronology, _ = ThemeTag.objects.get_or_create(name="Chronology")
    north = [a for a in built.audits if a.allocation.case.team_id == org.north_team.pk]
    south = [a for a in built.audits if a.allocation.case.team_id == org.south_team.pk]
    for audit in north[:3]:
        audit.themes.add(voice)
    south[0].themes.add(chronology)
    Audit.objects.filter(pk__in=[north[0].pk, south[0].pk]).update(strengths="Warm, clear notes.")
    Audit.objects.filter(pk__in=[north[0].pk, north[1].pk, south[1].pk]).update(
        learning="Chronologies need updating monthly."
    )
    for audit, day in ((north[0], 12), (north[1], 13)):
        SafeguardingConcern.objects.create(
            audit=audit, raised_by=org.auditor, raised_at=at(dt.date(2026, 11, day)), concern="x"
        )
    SafeguardingConcern.objects.create(
        audit=south[0], raised_by=org.auditor, raised_at=at(dt.date(2026, 10, 20)), concern="y"
    )
    InadequatePathway.objects.create(
        case=north[8].allocation.case,
        audit=north[8],
        graded_on=dt.date(2026, 11, 5),
        review_due=dt.date(2026, 12, 3),
        reaudit_due=dt.date(2027, 1, 5),
    )
    InadequatePathway.objects.create(
        case=south[8].allocation.case,
        audit=south[8],
        graded_on=dt.date(2026, 9, 1),
        review_due=dt.date(2026, 9, 29),
        reaudit_due=dt.date(2026, 11, 1),
    )
    InadequatePathway.objects.create(
        case=north[5].allocation.case,
        audit=north[5],
        graded_on=dt.date(2026, 10, 1),
        review_due=dt.date(2026, 10, 29),
        reaudit_due=dt.date(2026, 12, 1),
        status="resolved",
        resolved_on=dt.date(2026, 11, 25),
    )
    QACheck.objects.create(audit=north[1], by=org.qa_officer, outcome="accepted")
    QACheck.objects.create(audit=south[1], by=org.qa_officer, outcome="returned", reason="z")


def everything(org) -> Built:
    built = build(org)
    built.others["completion"] = completion(org)
    built.others["actions"] = actions(org, built)
    learning_and_safeguarding(org, built)
    return built
