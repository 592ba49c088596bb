"""Allocation at scale: a 300-case sample given to 120 pool members over a 15,000-case frame.

Figures to reach (issue 4), on PostgreSQL:
- proposing the month's allocation takes under 2 s;
- the allocation table for 300 cases renders with the same number of queries as for 30.

Run: DATABASE_URL=postgres://… python -m benchmarks.allocation
"""

from __future__ import annotations

import datetime as dt
import random
import time

from benchmarks._db import setup_django, throwaway_database

PERIOD = dt.date(2026, 11, 1)
SMALL_PERIOD = dt.date(2026, 12, 1)
AREAS = 5
TEAMS_PER_AREA = 8
WORKERS_PER_TEAM = 5
IROS = 25
FRAME = 15_000
SAMPLE = 300


def build(seed: int = 4) -> dict:
    """A Leeds-like authority: 120 pool members whose quotas add up to 300 audits."""
    from accounts.models import Role, ServiceArea, Team, User
    from accounts.services import persona_groups_ensure, policy_load_preset, user_sync_groups
    from sampling.models import Case, CaseType, Sample, SampleCase

    policy = policy_load_preset(preset="leeds")
    policy.quotas = {**policy.quotas, Role.IRO.value: 2}
    policy.save()
    persona_groups_ensure()
    rng = random.Random(seed)
    people: list[User] = []

    def person(role, **fields) -> User:
        n = len(people)
        user = User(
            email=f"bench{n}@example.test",
            full_name=f"Bench Person {n}",
            role=role,
            password="!",
            **fields,
        )
        people.append(user)
        return user

    teams, workers = [], []
    for a in range(AREAS):
        area = ServiceArea.objects.create(name=f"Area {a}")
        head = person(Role.HEAD_OF_SERVICE, service_area=area, in_audit_pool=True)
        head.save()
        managers = [
            person(Role.SERVICE_MANAGER, service_area=area, line_manager=head, in_audit_pool=True)
            for _ in range(2)
        ]
        User.objects.bulk_create(managers)
        for t in range(TEAMS_PER_AREA):
            team = Team.objects.create(name=f"Team {a}.{t}", service_area=area)
            tm = person(
                Role.TEAM_MANAGER, team=team, line_manager=managers[t % 2], in_audit_pool=True
            )
            tm.save()
            team.manager = tm
            team.save(update_fields=["manager"])
            staff = [
                person(Role.ADVANCED_PRACTITIONER, team=team, line_manager=tm, in_audit_pool=True)
            ]
            staff += [
                person(Role.SOCIAL_WORKER, team=team, line_manager=tm)
                for _ in range(WORKERS_PER_TEAM)
            ]
            User.objects.bulk_create(staff)
            teams.append(team)
            workers += [(team, w) for w in staff[1:]]
    reviewing = Team.objects.create(name="Reviewing", service_area=ServiceArea.objects.first())
    User.objects.bulk_create(
        [person(Role.IRO, team=reviewing, in_audit_pool=True) for _ in range(IROS)]
    )
    qa = User.objects.create_user(
        "bench-qa@example.test", "bench", full_name="QA", role=Role.QA_OFFICER
    )
    user_sync_groups(user=qa)

    cases = []
    for n in range(FRAME):
        team, worker = workers[rng.randrange(len(workers))]
        cases.append(
            Case(
                external_id=f"F{n:06d}",
                case_type=rng.choice(list(CaseType.values)),
                team=team,
                allocated_worker=worker,
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    case_ids = list(Case.objects.values_list("id", flat=True))
    samples = {}
    for period, size in ((PERIOD, SAMPLE), (SMALL_PERIOD, SAMPLE // 10)):
        sample = Sample.objects.create(period=period, status="confirmed", seed=seed, size=size)
        SampleCase.objects.bulk_create(
            [SampleCase(sample=sample, case_id=c) for c in rng.sample(case_ids, size)]
        )
        samples[period] = sample
    pool = User.objects.filter(in_audit_pool=True).count()
    return {"qa": qa, "pool": pool}


def table_queries(client, period: dt.date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/audits/allocation/{period:%Y-%m}/")
    assert response.status_code == 200, response.status_code
    return len(queries)


def main() -> None:
    setup_django()
    with throwaway_database():
        from django.test import Client
        from django.test.utils import setup_test_environment

        from audits.services import allocation_confirm, allocation_propose

        setup_test_environment()
        started = time.perf_counter()
        made = build()
        print(
            f"built {made['pool']} pool members and {FRAME:,} cases in "
            f"{time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        run = allocation_propose(period=PERIOD, today=PERIOD)
        took = time.perf_counter() - started
        placed = run.allocations.count()
        print(
            f"propose {SAMPLE} cases to {made['pool']} pool members: {took:.2f} s "
            f"({placed} allocations, {len(run.unallocated)} not placed) "
            f"{'OK' if took < 2 else 'SLOWER THAN 2 s'}"
        )
        started = time.perf_counter()
        again = allocation_propose(period=PERIOD, today=PERIOD)
        assert again.pk == run.pk
        print(f"second run returns what exists: {time.perf_counter() - started:.3f} s")
        allocation_propose(period=SMALL_PERIOD, today=SMALL_PERIOD)

        client = Client()
        client.force_login(made["qa"])
        small, large = table_queries(client, SMALL_PERIOD), table_queries(client, PERIOD)
        print(
            f"allocation table queries: {SAMPLE // 10} cases {small}, {SAMPLE} cases {large} "
            f"{'OK' if small == large else 'NOT FIXED'}"
        )
        started = time.perf_counter()
        allocation_confirm(run=run, by=made["qa"], today=PERIOD)
        print(
            f"confirm and write notices for {placed} allocations: "
            f"{time.perf_counter() - started:.2f} s"
        )


if __name__ == "__main__":
    main()
