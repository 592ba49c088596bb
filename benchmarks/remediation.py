"""Remedial actions at scale (issue 6), on PostgreSQL:

- a team manager's worktray of 500 actions renders with the same number of queries as one
  of 50;
- the compliance review of a month with 300 audits and 1,000 actions renders with the same
  number of queries as a month of 30 audits, and its XLSX is written in under 2 s.

Run: DATABASE_URL=postgres://… python -m benchmarks.remediation
"""

from __future__ import annotations

import datetime as dt
import random
import time

from benchmarks._db import setup_django, throwaway_database

AREAS = 5
TEAMS_PER_AREA = 8
REVIEW_AUDITS = 300
REVIEW_ACTIONS = 1_000
SMALL_AUDITS = 30
WORKTRAY = 500
SMALL_WORKTRAY = 50
REACHED = dt.date(2026, 7, 6)  # reviewed in November 2026 (Bury: four months)
SMALL_REACHED = dt.date(2026, 8, 3)  # reviewed in December 2026
RECENT = dt.date(2026, 11, 2)


def build(seed: int = 6) -> dict:
    from accounts.models import Role, ServiceArea, Team, User
    from accounts.services import persona_groups_ensure, policy_load_preset, user_sync_groups
    from audits import lifecycle
    from audits.models import (
        Allocation,
        AllocationRun,
        Audit,
        FormTemplate,
        FormVersion,
        SmartAction,
    )
    from remediation.models import ActionStatus, RemedialAction
    from sampling.models import Case, CaseType, Sample

    policy = policy_load_preset(preset="bury")
    persona_groups_ensure()
    rng = random.Random(seed)
    auditor = User.objects.create_user(
        "bench-auditor@example.test", None, full_name="Auditor", role=Role.SERVICE_MANAGER
    )
    teams: list[Team] = []
    workers: dict[int, User] = {}
    managers: list[User] = []
    for a in range(AREAS):
        area = ServiceArea.objects.create(name=f"Area {a}")
        sm = User.objects.create_user(
            f"bench-sm{a}@example.test",
            None,
            full_name=f"Service Manager {a}",
            role=Role.SERVICE_MANAGER,
            service_area=area,
        )
        user_sync_groups(user=sm)
        for t in range(TEAMS_PER_AREA):
            team = Team.objects.create(name=f"Team {a}.{t}", service_area=area)
            tm = User.objects.create_user(
                f"bench-tm{a}{t}@example.test",
                None,
                full_name=f"Team Manager {a}.{t}",
                role=Role.TEAM_MANAGER,
                team=team,
                line_manager=sm,
            )
            user_sync_groups(user=tm)
            team.manager = tm
            team.save(update_fields=["manager"])
            workers[team.pk] = User.objects.create_user(
                f"bench-sw{a}{t}@example.test",
                None,
                full_name=f"Worker {a}.{t}",
                role=Role.SOCIAL_WORKER,
                team=team,
                line_manager=tm,
            )
            teams.append(team)
            managers.append(tm)
    qa = User.objects.create_user(
        "bench-qa@example.test", None, full_name="QA", role=Role.QA_OFFICER
    )
    user_sync_groups(user=qa)
    template = FormTemplate.objects.create(key="bench", title="Bench")
    version = FormVersion.objects.create(
        template=template, number=1, status="published", definition={}
    )
    sample = Sample.objects.create(period=REACHED.replace(day=1), status="confirmed", seed=seed)
    run = AllocationRun.objects.create(
        period=REACHED.replace(day=1), sample=sample, seed=seed, status="confirmed"
    )

    def audits_with_actions(n_audits: int, n_actions: int, team_pick, reached: dt.date, tag):
        from django.utils import timezone

        cases = Case.objects.bulk_create(
            [
                Case(
                    external_id=f"{tag}{i:05d}",
                    case_type=rng.choice(list(CaseType.values)),
                    team=(team := team_pick(i)),
                    allocated_worker=workers[team.pk],
                )
                for i in range(n_audits)
            ]
        )
        allocations = Allocation.objects.bulk_create(
            [
                Allocation(
                    run=run,
                    sample=sample,
                    case=case,
                    auditor=auditor,
                    period=run.period,
                    status="allocated",
                    eligibility_reason="bench",
                )
                for case in cases
            ]
        )
        at = timezone.make_aware(dt.datetime.combine(reached, dt.time(10)))
        audits = Audit.objects.bulk_create(
            [
                Audit(
                    allocation=a,
                    form_version=version,
                    status=lifecycle.WITH_TEAM_MANAGER,
                    period_to=reached,
                    finished_at=at,
                )
                for a in allocations
            ]
        )
        per_audit = [1] * n_audits
        for _ in range(n_actions - n_audits):
            per_audit[rng.randrange(n_audits)] += 1
        smart = []
        for audit, k in zip(audits, per_audit, strict=True):
            smart += [
                SmartAction(
                    audit=audit,
                    what=f"Bring the case record up to date, part {j + 1}",
                    who="Team manager",
                    due_on=reached + dt.timedelta(days=60),
                    created_by=auditor,
                )
                for j in range(k)
            ]
        smart = SmartAction.objects.bulk_create(smart, batch_size=2000)
        case_of = {a.pk: (a.allocation.case) for a in audits}
        statuses = list(ActionStatus)
        RemedialAction.objects.bulk_create(
            [
                RemedialAction(
                    smart_action=s,
                    audit_id=s.audit_id,
                    case=(case := case_of[s.audit_id]),
                    team_id=case.team_id,
                    owner_id=case.team.manager_id,
                    worker=workers[case.team_id],
                    what=s.what,
                    who=s.who,
                    created_on=reached,
                    received_on=reached,
                    due_on=reached + dt.timedelta(days=35),
                    status=rng.choice(statuses),
                )
                for s in smart
            ],
            batch_size=2000,
        )

    audits_with_actions(
        REVIEW_AUDITS, REVIEW_ACTIONS, lambda i: teams[i % len(teams)], REACHED, "R"
    )
    audits_with_actions(SMALL_AUDITS, SMALL_AUDITS * 3, lambda i: teams[i % 4], SMALL_REACHED, "S")
    # The worktray: a busy team of 500 actions and a quieter one of 50, received recently.
    audits_with_actions(WORKTRAY // 4, WORKTRAY, lambda i: teams[-1], RECENT, "W")
    audits_with_actions(SMALL_WORKTRAY // 5, SMALL_WORKTRAY, lambda i: teams[-2], RECENT, "V")
    return {"qa": qa, "busy": managers[-1], "quiet": managers[-2], "policy": policy}


def queries(client, url: str) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    took = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), took


def main() -> None:
    setup_django()
    with throwaway_database():
        from django.test import Client
        from django.test.utils import setup_test_environment

        from remediation.models import ComplianceItem, ComplianceReview
        from remediation.selectors import review_items
        from remediation.services import sweep_open_compliance_reviews
        from remediation.spreadsheet import compliance_workbook

        setup_test_environment()
        started = time.perf_counter()
        made = build()
        print(f"built the authority and its actions in {time.perf_counter() - started:.1f} s")

        client = Client()
        client.force_login(made["quiet"])
        small, _ = queries(client, "/actions/?show=all")
        client.force_login(made["busy"])
        large, took = queries(client, "/actions/?show=all")
        print(
            f"worktray queries: {SMALL_WORKTRAY} actions {small}, {WORKTRAY} actions {large} "
            f"({took:.2f} s) {'OK' if small == large else 'NOT FIXED'}"
        )

        started = time.perf_counter()
        opened = sweep_open_compliance_reviews(today=dt.date(2026, 12, 31))
        print(
            f"open the compliance reviews ({opened} actions): {time.perf_counter() - started:.2f} s"
        )
        again = sweep_open_compliance_reviews(today=dt.date(2026, 12, 31))
        assert again == 0, again
        november = ComplianceReview.objects.get(month=dt.date(2026, 11, 1))
        count = ComplianceItem.objects.filter(review=november).count()
        assert count == REVIEW_ACTIONS, count

        client.force_login(made["qa"])
        small, _ = queries(client, "/actions/compliance/2026-12/")
        large, took = queries(client, "/actions/compliance/2026-11/")
        print(
            f"compliance review page queries: {SMALL_AUDITS} audits {small}, "
            f"{REVIEW_AUDITS} audits and {REVIEW_ACTIONS:,} actions {large} ({took:.2f} s) "
            f"{'OK' if small == large else 'NOT FIXED'}"
        )
        items = review_items(review=november)
        started = time.perf_counter()
        data = compliance_workbook(review=november, items=items)
        took = time.perf_counter() - started
        print(
            f"write the XLSX of {len(items):,} actions in {len({i.team_id for i in items})} "
            f"team sheets: {took:.2f} s, {len(data) // 1024} KiB "
            f"{'OK' if took < 2 else 'SLOWER THAN 2 s'}"
        )
        n, took = queries(client, "/actions/compliance/2026-11/review.xlsx")
        print(f"download the XLSX (read and write): {took:.2f} s, {n} queries")
        small, _ = queries(client, "/actions/compliance/2026-12/report/")
        large, took = queries(client, "/actions/compliance/2026-11/report/")
        print(
            f"one-page report queries: {small} and {large} ({took:.2f} s) "
            f"{'OK' if small == large else 'NOT FIXED'}"
        )


if __name__ == "__main__":
    main()
