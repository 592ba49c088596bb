"""Confirmed monthly samples with finished, graded audits, written straight to the tables
for the estimate and agreement tests (the services that make them have their own tests)."""

from __future__ import annotations

import datetime as dt
import uuid

from audits import lifecycle
from audits.models import (
    Allocation,
    AllocationRun,
    AllocationStatus,
    Audit,
    Consensus,
    FormVersion,
    SectionAnswer,
)
from audits.services import form_preset_load
from sampling.models import Case, CaseType, Sample, SampleCase, SampleKind, SampleStatus
from tests.accounts.factories import UserFactory

SECTIONS = (
    "risk_and_need",
    "assessments",
    "plans_and_reviews",
    "child_voice",
    "family_engagement",
    "partnership",
    "management_oversight",
    "records",
    "impact",
)


def bradford() -> FormVersion:
    return form_preset_load(key="bradford", make_current=True)


def auditor(n: int):
    return UserFactory(
        email=f"estimates-auditor{n}@example.test",
        full_name=f"Auditor {n}",
        role="advanced_practitioner",
        in_audit_pool=True,
    )


def month(
    *,
    period: dt.date,
    strata: dict[str, tuple[int, list[str | None]]],
    form: FormVersion,
    by,
    sections: dict[str, list[str | None]] | None = None,
    status: str = SampleStatus.CONFIRMED,
) -> Sample:
    """A month's sample: for each stratum its frame size N_h and the overall grade of each
    drawn case (None: drawn, not audited). Sections take the overall grade unless
    `sections[stratum]` gives another grade for the first section, case by case (None:
    that section not graded)."""
    sample = Sample.objects.create(
        kind=SampleKind.MONTHLY,
        period=period,
        status=status,
        seed=1,
        size=sum(len(grades) for _, grades in strata.values()),
        strata_table=[
            {"stratum": name, "frame": frame, "eligible": frame, "size": len(grades)}
            for name, (frame, grades) in strata.items()
        ],
    )
    run = AllocationRun.objects.create(period=period, sample=sample, seed=1, status="confirmed")
    for name, (frame, grades) in strata.items():
        for i, grade in enumerate(grades):
            case = Case.objects.create(
                external_id=f"{period:%Y%m}-{name}-{i}", case_type=CaseType.CIN
            )
            SampleCase.objects.create(
                sample=sample, case=case, stratum=name, weight=frame / len(grades)
            )
            allocation = Allocation.objects.create(
                run=run,
                sample=sample,
                case=case,
                auditor=by,
                period=period,
                status=AllocationStatus.ALLOCATED,
                eligibility_reason="test",
            )
            if grade is None:
                continue
            first = (sections or {}).get(name, [grade] * len(grades))[i]
            finished_audit(allocation, form=form, overall=grade, first_section=first)
    return sample


def finished_audit(
    allocation: Allocation,
    *,
    form: FormVersion,
    overall: str,
    first_section: str | None = None,
    status: str = lifecycle.WITH_TEAM_MANAGER,
    submitted: bool = True,
) -> Audit:
    audit = Audit.objects.create(
        allocation=allocation,
        form_version=form,
        status=status,
        period_to=allocation.period,
        overall_grade=overall,
        submitted_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC) if submitted else None,
        finished_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
    )
    answers = []
    for key in SECTIONS:
        grade = overall if key != SECTIONS[0] else first_section
        if grade:
            answers.append(SectionAnswer(audit=audit, key=key, grade=grade, status="completed"))
    SectionAnswer.objects.bulk_create(answers)
    return audit


def paired_case(
    *,
    sample: Sample,
    stratum: str,
    form: FormVersion,
    grades: list[tuple[object, str]],
    agreed: str | None,
    name: str = "pair",
) -> list[Audit]:
    """A paired case: each auditor's own audit (submitted), and the consensus on the first
    when `agreed` is given (the lead goes on, the others close)."""
    case = Case.objects.create(external_id=f"{sample.period:%Y%m}-{name}", case_type=CaseType.CIN)
    SampleCase.objects.create(sample=sample, case=case, stratum=stratum, weight=1.0)
    group = uuid.uuid4()
    run = AllocationRun.objects.get(period=sample.period)
    audits = []
    for i, (who, grade) in enumerate(grades):
        allocation = Allocation.objects.create(
            run=run,
            sample=sample,
            case=case,
            auditor=who,
            period=sample.period,
            status=AllocationStatus.ALLOCATED,
            eligibility_reason="test",
            pair_group=group,
        )
        status = lifecycle.SUBMITTED
        if agreed:
            status = lifecycle.WITH_TEAM_MANAGER if i == 0 else lifecycle.CLOSED
        audits.append(finished_audit(allocation, form=form, overall=grade, status=status))
    if agreed:
        Consensus.objects.create(
            pair_group=group,
            lead_audit=audits[0],
            grades=dict.fromkeys(SECTIONS, agreed),
            overall_grade=agreed,
            recorded_by=grades[0][0],
        )
    return audits
