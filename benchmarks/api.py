"""The API at scale (issue 15), on PostgreSQL: a year of monthly samples, 1,800 finished
audits with 16,200 section grades and 3,600 remedial actions. Prints the time and queries
of a 5,000-row page of each dataset as JSON and CSV, and checks the query count is the same
for one month as for the year.

Run: DATABASE_URL=postgres://… python -m benchmarks.api
"""

from __future__ import annotations

import datetime as dt
import random
import time

from benchmarks._db import setup_django, throwaway_database

MONTHS = 12
AUDITS_A_MONTH = 150
ACTIONS_AN_AUDIT = 2


def build(seed: int = 15) -> None:
    from django.utils import timezone

    from accounts.models import Role, ServiceArea, Team, User
    from accounts.services import persona_groups_ensure
    from audits import lifecycle
    from audits.form_presets import sections_for
    from audits.models import (
        Allocation,
        AllocationRun,
        Audit,
        FormVersion,
        SectionAnswer,
        SmartAction,
    )
    from audits.services import form_preset_load
    from remediation.models import RemedialAction
    from sampling.models import Case, CaseType, Sample, SampleCase

    persona_groups_ensure()
    rng = random.Random(seed)
    form_preset_load(key="bradford", make_current=True)
    version = FormVersion.objects.get(template__key="bradford", status="published")
    grades = [level["value"] for level in version.definition["scales"]["grade"]]
    auditors = [
        User.objects.create_user(
            f"bench-a{i}@example.test",
            None,
            full_name=f"Auditor {i}",
            role=Role.TEAM_MANAGER,
            in_audit_pool=True,
        )
        for i in range(40)
    ]
    teams = []
    for a in range(4):
        area = ServiceArea.objects.create(name=f"Area {a}")
        teams += [Team.objects.create(name=f"Team {a}.{t}", service_area=area) for t in range(5)]
    strata = [t.name for t in teams]
    for m in range(MONTHS):
        period = dt.date(2025 + (m + 11) // 12, (m + 11) % 12 + 1, 1)
        sample = Sample.objects.create(
            period=period,
            status="confirmed",
            seed=m,
            size=AUDITS_A_MONTH,
            strata_table=[
                {"stratum": s, "frame": 300, "eligible": 300, "size": 0, "weight": None}
                for s in strata
            ],
        )
        run = AllocationRun.objects.create(period=period, sample=sample, seed=m, status="confirmed")
        cases = Case.objects.bulk_create(
            [
                Case(
                    external_id=f"B{m:02d}{i:04d}",
                    case_type=CaseType.CIN,
                    team=teams[i % len(teams)],
                )
                for i in range(AUDITS_A_MONTH)
            ]
        )
        SampleCase.objects.bulk_create(
            [SampleCase(sample=sample, case=c, stratum=c.team.name, weight=15) for c in cases]
        )
        stamp = timezone.make_aware(dt.datetime.combine(period, dt.time(9)))
        allocations = Allocation.objects.bulk_create(
            [
                Allocation(
                    run=run,
                    sample=sample,
                    case=c,
                    auditor=rng.choice(auditors),
                    period=period,
                    status="allocated",
                    eligibility_reason="bench",
                    allocated_on=period,
                    deadline=period + dt.timedelta(days=27),
                    started_at=stamp,
                    completed_at=stamp,
                )
                for c in cases
            ]
        )
        audits = Audit.objects.bulk_create(
            [
                Audit(
                    allocation=a,
                    form_version=version,
                    status=lifecycle.WITH_TEAM_MANAGER,
                    period_to=period,
                    overall_grade=rng.choice(grades),
                    started_at=stamp,
                    submitted_at=stamp,
                    finished_at=stamp,
                )
                for a in allocations
            ]
        )
        keys = [s["key"] for s in sections_for(version.definition, CaseType.CIN)]
        SectionAnswer.objects.bulk_create(
            [SectionAnswer(audit=a, key=k, grade=rng.choice(grades)) for a in audits for k in keys]
        )
        smart = SmartAction.objects.bulk_create(
            [
                SmartAction(
                    audit=a,
                    what="Bench action",
                    who="Worker",
                    due_on=period + dt.timedelta(days=40),
                    created_by=auditors[0],
                )
                for a in audits
                for _ in range(ACTIONS_AN_AUDIT)
            ]
        )
        RemedialAction.objects.bulk_create(
            [
                RemedialAction(
                    smart_action=s,
                    audit=s.audit,
                    case=s.audit.allocation.case,
                    team=s.audit.allocation.case.team,
                    what=s.what,
                    created_on=period,
                    received_on=period,
                    due_on=period + dt.timedelta(days=40),
                )
                for s in smart
            ]
        )


def main() -> None:
    setup_django()
    with throwaway_database():
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from api.models import KeyReader
        from api.services import api_key_create

        settings.API_ENABLED = True
        settings.ALLOWED_HOSTS = ["testserver"]
        started = time.perf_counter()
        build()
        print(f"built a year: 1,800 audits, 3,600 actions in {time.perf_counter() - started:.1f} s")
        _, key = api_key_create(name="bench", today=dt.date.today(), reads_as=KeyReader.QA_STAFF)
        client = Client(HTTP_X_API_KEY=key)
        queries = {}
        for dataset in ("audits", "audit-sections", "actions", "completion", "estimates"):
            for fmt in ("json", "csv"):
                for span in ("2026-10", ""):
                    params = {"format": fmt, "page_size": 5000}
                    if span:
                        params["period"] = span
                    with CaptureQueriesContext(connection) as captured:
                        t0 = time.perf_counter()
                        response = client.get(f"/api/v1/{dataset}", params)
                        took = time.perf_counter() - t0
                    assert response.status_code == 200, response.content[:300]
                    queries[(dataset, fmt, bool(span))] = len(captured)
                    rows = response["X-Total-Count"] if fmt == "csv" else response.json()["count"]
                    print(
                        f"{dataset:15} {fmt:4} {'one month' if span else 'the year':9}: "
                        f"{rows:>5} rows in all, {len(response.content) / 1024:8.0f} KiB, "
                        f"{took:.2f} s, {len(captured)} queries"
                    )
            for fmt in ("json", "csv"):
                same = queries[(dataset, fmt, True)] == queries[(dataset, fmt, False)]
                assert same, f"{dataset} {fmt}: the query count grows with the data"
        print("the query count of each dataset is the same for one month and for the year")


if __name__ == "__main__":
    main()
