"""The year's plan of rest months under a yearly cap (P&Q 2-3; issue 17 item 1)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import working_days
from accounts.models import BreakRequest, BreakStatus, Role
from accounts.selectors import available_pool, year_plan
from accounts.services import break_request, year_plan_assign
from audits.models import Allocation, AllocationRun, AllocationStatus, RunStatus
from audits.services import allocation_confirm
from sampling.models import Sample, SampleKind
from sampling.services import sample_confirm
from tests.accounts.factories import UserFactory

from .factories import build_authority, cases_for

YEAR = 2027


def _granted():
    return BreakRequest.objects.filter(status=BreakStatus.GRANTED, month__year=YEAR)


@pytest.fixture
def pq_pool(db, preset):
    """Twelve pool members (so 20% is two a month) in four teams under the P&Q preset."""
    preset("pq")
    teams, members, workers = build_authority(areas=2, teams_per_area=2)
    return teams, members, workers


def test_pq_the_year_plan_gives_every_member_two_rest_months_with_at_most_20_percent_a_month(
    pq_pool,
):
    """P&Q 2: "a maximum of ten audits ... each year. This means that for each auditor
    there are two months when they will not be allocated an audit"; P&Q 3: "A maximum of
    20% of auditors will be allowed to take a break from auditing each month". Planned on
    New Year's Day, every member rests two months, no month has more than two of twelve
    resting, and every month's pool is the same size. Running it again assigns nothing."""
    _teams, members, _workers = pq_pool
    made = year_plan_assign(today=dt.date(YEAR, 1, 1))
    assert len(made) == 2 * len(members)
    assert year_plan_assign(today=dt.date(YEAR, 1, 1)) == []
    per_member = Counter(_granted().values_list("user_id", flat=True))
    assert set(per_member.values()) == {2}
    per_month = Counter(_granted().values_list("month", flat=True))
    assert max(per_month.values()) <= 2
    sizes = {sum(q for _u, q in available_pool(period=dt.date(YEAR, m, 1))) for m in range(1, 13)}
    assert sizes == {10}


def test_pq_a_members_own_break_request_comes_before_the_plan(pq_pool):
    """P&Q 2: auditors "let ... the Performance and Quality Service know that they need an
    audit break before the end of the previous month": a member's own request stands and
    the plan works round it; asked for after the plan, it takes the place of one of the
    rest months the plan gave them."""
    _teams, members, _workers = pq_pool
    first, second = members[0], members[1]
    break_request(user=first, month=dt.date(YEAR, 1, 1), today=dt.date(YEAR - 1, 12, 1))
    year_plan_assign(today=dt.date(YEAR, 1, 1))
    mine = _granted().filter(user=first)
    assert mine.count() == 2 and mine.filter(month=dt.date(YEAR, 1, 1), assigned=False).exists()
    planned = sorted(_granted().filter(user=second).values_list("month", flat=True))
    wanted = next(dt.date(YEAR, m, 1) for m in range(3, 13) if dt.date(YEAR, m, 1) not in planned)
    break_request(user=second, month=wanted, today=dt.date(YEAR, 2, 1))
    months = sorted(_granted().filter(user=second).values_list("month", flat=True))
    assert wanted in months and len(months) == 2
    assert not _granted().filter(user=second, month=wanted, assigned=True).exists()


def test_pq_the_allocation_page_shows_the_years_plan(
    pq_pool, client_for, on_day, django_assert_max_num_queries
):
    """P&Q 2-3: QA staff see the year's plan, month by month, on the allocation page, in a
    fixed number of queries whatever the size of the pool."""
    on_day(dt.date(YEAR, 1, 1))
    year_plan_assign(today=dt.date(YEAR, 1, 1))
    qa = UserFactory(email="qa.plan@example.test", role=Role.QA_OFFICER)
    client = client_for(qa)
    # The plan, and the months waiting for their allocation beside it (issue 18).
    with django_assert_max_num_queries(13):
        page = client.get(reverse("audits:allocation-index")).content.decode()
    assert f"The plan for {YEAR}" in page
    assert page.count("(2 of 12)") == 12
    plan = year_plan(year=YEAR)
    assert [m.audits for m in plan] == [10] * 12


def _sweeps(day: dt.date, on_day) -> None:
    on_day(day)
    call_command("run_sweeps", "--today", day.isoformat(), stdout=io.StringIO())


def test_pq_run_sweeps_across_a_whole_year_allocates_every_month(pq_pool, on_day):
    """P&Q 1-3: a list of children is allocated by the first working day of every month;
    ten audits a year for each auditor, two months' break, at most 20% on break. Run the
    sweeps through a year as QA staff confirm each month's sample and allocation: every
    month is allocated, with samples of similar size, and no one does more than ten."""
    teams, members, workers = pq_pool
    cases_for(teams, workers, 160)
    qa = UserFactory(email="qa.year@example.test", role=Role.QA_OFFICER)
    _sweeps(dt.date(YEAR - 1, 12, 31), on_day)
    sizes = []
    for m in range(1, 13):
        first = dt.date(YEAR, m, 1)
        day = working_days.first_working_day(YEAR, m)
        if day != first:
            _sweeps(first, on_day)
        _sweeps(day, on_day)
        sample = Sample.objects.get(kind=SampleKind.MONTHLY, period=first)
        sample_confirm(sample=sample, by=qa)
        _sweeps(day, on_day)
        run = AllocationRun.objects.get(period=first)
        allocation_confirm(run=run, by=qa, today=day)
        assert run.allocations.count() > 0, f"nothing allocated in {first:%B}"
        sizes.append(run.allocations.count())
    assert AllocationRun.objects.filter(status=RunStatus.CONFIRMED).count() == 12
    assert max(sizes) - min(sizes) <= 1, sizes
    per_member = Counter(
        Allocation.objects.filter(period__year=YEAR, status=AllocationStatus.ALLOCATED).values_list(
            "auditor_id", flat=True
        )
    )
    assert max(per_member.values()) <= 10
