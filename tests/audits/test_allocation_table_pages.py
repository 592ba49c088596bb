"""The allocation table reads the database a fixed number of times whatever the size of the
month (issue 16): the same queries for 10 allocations as for 1,000, 25 a page with GOV.UK
pagination, and the page's counts over the whole month."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import Allocation, AllocationStatus
from sampling.models import Case, SampleCase
from tests.reporting.test_page_queries import _copy, _queries

from .factories import allocation, case_in

NOV = dt.date(2026, 11, 1)
URL = "/audits/allocation/2026-11/"


def _more(first: Allocation, n: int) -> None:
    """n more allocations of the month like the first, each of its own case in the sample."""
    start = Case.objects.count()
    cases = Case.objects.bulk_create(
        [_copy(first.case, external_id=f"BULK{start + i:06d}") for i in range(n)]
    )
    SampleCase.objects.bulk_create([SampleCase(sample=first.sample, case=c) for c in cases])
    Allocation.objects.bulk_create([_copy(first, case_id=c.pk) for c in cases])


def _proposed(org, **case) -> Allocation:
    """The month's first proposed allocation: a north team case, to the org's auditor."""
    return allocation(
        auditor=org.auditor,
        case=case_in(org.north_team, worker=org.social_worker, **case),
        status=AllocationStatus.PROPOSED,
        period=NOV,
    )


def _moves(page: str) -> int:
    """The rows of the table: each live allocation has its Move link."""
    return page.count("/move/")


@pytest.mark.django_db
def test_the_allocation_table_costs_the_same_queries_for_10_and_1000_allocations(
    org, policy, client_for
):
    first = _proposed(org)
    _more(first, 9)
    client = client_for(org.qa_officer)
    client.get(URL)  # the session and the person's groups, read once
    small, page = _queries(client, URL)
    assert _moves(page) == 10
    assert "Pages of cases and their auditors" not in page  # ten fit on one page

    _more(first, 990)
    large, page = _queries(client, URL)
    assert large == small
    assert _moves(page) == 25
    assert "Pages of cases and their auditors" in page and 'rel="next"' in page
    # The month's allocations are counted, not the page's.
    assert 'Allocations</dt><dd class="govuk-summary-list__value">1000</dd>' in page
    last, page = _queries(client, f"{URL}?page=40")
    assert last == small
    assert _moves(page) == 25
    assert 'rel="prev"' in page and 'rel="next"' not in page


@pytest.mark.django_db
def test_the_table_is_in_case_order_across_its_pages(org, policy, client_for):
    """Each case once, in the order of its ID, whichever page it falls on."""
    first = _proposed(org, external_id="A000000")
    _more(first, 39)
    client = client_for(org.qa_officer)
    pages = [client.get(f"{URL}?page={n}").content.decode() for n in (1, 2)]
    shown = [
        line.split("<td")[1].split(">", 1)[1].split("<", 1)[0].strip()
        for page in pages
        for line in page.split('<tr class="govuk-table__row">')[1:]
        if "/move/" in line
    ]
    assert len(shown) == 40
    assert shown == sorted(shown) and len(set(shown)) == 40


@pytest.mark.django_db
def test_the_auditors_loads_are_shown_when_asked_for(org, policy, client_for):
    """The table of every available auditor's quota and allocations (111 rows at the demo's
    size) is read only when asked for: the page links to it, keeping the page of cases."""
    allocation(
        auditor=org.auditor,
        case=case_in(org.north_team, worker=org.social_worker),
        status=AllocationStatus.PROPOSED,
        period=NOV,
    )
    client = client_for(org.qa_officer)
    client.get(URL)
    plain, page = _queries(client, f"{URL}?page=1")
    assert 'href="?page=1&amp;auditors=all#auditors"' in page
    assert 'id="auditors"' not in page
    asked, page = _queries(client, f"{URL}?page=1&auditors=all")
    assert asked > plain  # the pool and its loads are read only now
    table = page.split('id="auditors"', 1)[1].split("</table>", 1)[0]
    assert org.auditor.full_name in table
    assert 'numeric">1</td></tr>' in table  # the auditor's one live allocation this month
    assert "See each available auditor" not in page


@pytest.mark.django_db
def test_the_kept_sql_reads_what_django_reads(org, policy):
    """The review page's run, its table's pages and the unplaced cases, read with SQL built
    once a process, are what Django's own queries read; an empty page reads nothing."""
    from audits.selectors import AllocationTable, review_run, run_for, unplaced_cases, unplaced_rows
    from audits.selectors.allocation import ALLOCATION_TABLE_COLUMNS

    first = _proposed(org)
    _more(first, 30)
    Case.objects.filter(pk=first.case_id).update(team=None)  # "No team": its name is None
    Allocation.objects.filter(pk__in=Allocation.objects.order_by("-pk").values("pk")[:3]).update(
        status=AllocationStatus.CANCELLED
    )
    django_run = run_for(period=NOV)
    run = review_run(period=NOV)
    assert run.pk == django_run.pk and str(run.sample) == str(django_run.sample)
    assert (run.period, run.status, run.unallocated) == (
        django_run.period,
        django_run.status,
        django_run.unallocated,
    )
    assert (run.total, run.live) == (31, 28)
    table = AllocationTable(run.pk, run.total)
    everything = list(
        Allocation.objects.filter(run=run.pk)
        .order_by("case__external_id", "status", "auditor__full_name", "pk")
        .values(*ALLOCATION_TABLE_COLUMNS)
    )
    assert table[0:25] + table[25:50] == everything
    assert table[31:31] == [] and AllocationTable(run.pk, 0)[0:25] == []
    assert [(c.pk, c.external_id, c.team_name) for c in unplaced_rows(run=run)] == [
        (c.pk, c.external_id, c.team.name if c.team_id else None) for c in unplaced_cases(run=run)
    ]
    assert len(unplaced_rows(run=run)) == 3
    assert review_run(period=dt.date(2026, 1, 1)) is None


@pytest.mark.django_db
def test_the_cases_nobody_holds_are_read_only_when_there_are_some(
    org, policy, client_for, django_assert_num_queries
):
    """The run's query counts the sample's cases nobody holds, and the page reads them only
    when there are some: one query fewer for a month where every case is held (issue 16)."""
    from audits.selectors import review_run, unplaced_rows

    first = _proposed(org)
    _more(first, 4)
    run = review_run(period=NOV)
    assert run.any_unplaced is False
    with django_assert_num_queries(0):
        assert unplaced_rows(run=run) == []
    client = client_for(org.qa_officer)
    client.get(URL)
    held, page = _queries(client, URL)
    assert "Cases nobody holds" not in page

    Allocation.objects.filter(pk=first.pk).update(status=AllocationStatus.CANCELLED)
    run = review_run(period=NOV)
    assert run.any_unplaced is True
    assert [c.external_id for c in unplaced_rows(run=run)] == [first.case.external_id]
    some, page = _queries(client, URL)
    assert some == held + 1
    assert "Cases nobody holds" in page and f"case {first.case.external_id}</span>" in page
