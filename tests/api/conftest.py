"""An authority with graded audits over two months, their actions, and keys to read them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from api.models import KeyReader
from api.services import api_key_create
from audits import lifecycle
from audits.models import AllocationRun, Audit, FormVersion, SectionAnswer
from remediation.services import actions_create_for_audit
from sampling.models import SampleCase
from tests.audits.factories import CaseFactory, SampleFactory, allocation
from tests.audits.factories_form import load_form

TODAY = dt.date(2026, 12, 10)
OCTOBER = dt.date(2026, 10, 1)
NOVEMBER = dt.date(2026, 11, 1)
BRADFORD_SECTIONS = [
    "risk_and_need",
    "assessments",
    "plans_and_reviews",
    "child_voice",
    "family_engagement",
    "partnership",
    "management_oversight",
    "records",
    "impact",
]


@pytest.fixture(autouse=True)
def _api_on(settings):
    settings.API_ENABLED = True


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def month_sample(period: dt.date, strata: dict[str, int]):
    """A confirmed monthly sample whose frame had `strata` (name: N_h) open cases."""
    sample = SampleFactory(
        period=period,
        strata_table=[
            {"stratum": name, "frame": n, "eligible": n, "size": 0, "weight": None}
            for name, n in strata.items()
        ],
    )
    AllocationRun.objects.create(period=period, sample=sample, seed=1, status="confirmed")
    return sample


def graded_audit(
    org,
    *,
    period: dt.date,
    grade: str,
    stratum: str = "all",
    team=None,
    status: str = lifecycle.WITH_TEAM_MANAGER,
    actions: int = 0,
    auditor=None,
) -> Audit:
    """A finished Bradford audit of a new case in the month's sample, every section and the
    overall grade at `grade`."""
    version = FormVersion.objects.filter(
        template__key="bradford", status="published"
    ).first() or load_form("bradford")
    case = CaseFactory(team=team or org.north_team, allocated_worker=org.social_worker)
    run = AllocationRun.objects.get(period=period)
    SampleCase.objects.create(sample=run.sample, case=case, stratum=stratum, weight=1.0)
    alloc = allocation(
        auditor=auditor or org.auditor,
        case=case,
        period=period,
        allocated_on=period,
        deadline=period + dt.timedelta(days=27),
        started_at=aware(period + dt.timedelta(days=2)),
        completed_at=aware(period + dt.timedelta(days=20))
        if status in lifecycle.FINISHED
        else None,
    )
    audit = Audit.objects.create(
        allocation=alloc,
        form_version=version,
        status=status,
        period_to=period,
        overall_grade=grade,
        overall_reason="Evidence of the child Jamie Example's progress.",
        started_at=aware(period + dt.timedelta(days=2)),
        submitted_at=aware(period + dt.timedelta(days=19)),
        finished_at=aware(period + dt.timedelta(days=20)),
    )
    SectionAnswer.objects.bulk_create(
        [
            SectionAnswer(audit=audit, key=k, grade=grade, evidence="Jamie Example said so.")
            for k in BRADFORD_SECTIONS
        ]
    )
    for i in range(actions):
        audit.actions.create(
            what=f"Ask Jamie Example about school ({i + 1})",
            who="Social worker",
            due_on=period + dt.timedelta(days=40),
            created_by=alloc.auditor,
        )
    if actions:
        actions_create_for_audit(audit=audit, today=(period + dt.timedelta(days=20)))
    return audit


@pytest.fixture
def authority(org):
    """October: 4 audits in stratum A (N=100), 2 good; 4 in B (N=300), all good. November:
    3 audits, one still in progress; one October audit has two actions."""
    month_sample(OCTOBER, {"A": 100, "B": 300})
    month_sample(NOVEMBER, {"all": 500})
    audits = []
    for grade in ("good", "good", "requires_improvement", "inadequate"):
        audits.append(graded_audit(org, period=OCTOBER, grade=grade, stratum="A"))
    for _ in range(4):
        audits.append(graded_audit(org, period=OCTOBER, grade="good", stratum="B"))
    graded_audit(org, period=OCTOBER, grade="outstanding", stratum="B", actions=2)
    audits.append(graded_audit(org, period=NOVEMBER, grade="good", stratum="all"))
    audits.append(graded_audit(org, period=NOVEMBER, grade="inadequate", stratum="all"))
    audits.append(
        graded_audit(
            org, period=NOVEMBER, grade="good", stratum="all", status=lifecycle.IN_PROGRESS
        )
    )
    return audits


@pytest.fixture
def senior_key(db):
    record, key = api_key_create(name="Power BI pack", today=TODAY, expires_on=dt.date(2027, 6, 30))
    return record, key


@pytest.fixture
def qa_key(db):
    record, key = api_key_create(
        name="QA warehouse",
        today=TODAY,
        expires_on=dt.date(2027, 6, 30),
        reads_as=KeyReader.QA_STAFF,
    )
    return record, key
