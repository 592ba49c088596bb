"""The QA panel of the home page reads its facts together (issue 16): the policy's preset,
this month's allocation and sample, the newest imported list and next month's breaks, each
as a single value rather than a row of every column, and shows what it showed before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import BreakRequest, BreakStatus, Policy
from audits.models import AllocationRun
from sampling.models import Sample, SampleKind, SampleStatus, Snapshot, SnapshotStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 10)


def _panel(page: str) -> str:
    start = page.index('id="qa-heading"')
    return page[start : page.index("</section>", start)]


def test_the_qa_panel_says_plainly_when_nothing_is_there_yet(org, client_for, on_day):
    on_day(TODAY)
    panel = _panel(client_for(org.qa_officer).get("/").content.decode())
    assert "no case list imported yet" in panel
    assert "Not drawn yet" in panel and "Not proposed yet" in panel
    assert f'href="{reverse("sampling:samples")}"' in panel


def test_the_qa_panel_shows_the_months_confirmed_sample_run_and_newest_list(
    org, client_for, on_day
):
    on_day(TODAY)
    period = TODAY.replace(day=1)
    for as_of, status in [
        (dt.date(2026, 10, 31), SnapshotStatus.IMPORTED),
        (dt.date(2026, 11, 7), SnapshotStatus.IMPORTED),
        (dt.date(2026, 11, 9), SnapshotStatus.REJECTED),  # not imported: not the newest
    ]:
        Snapshot.objects.create(as_of=as_of, status=status, file_name="a.csv", sha256="0")
    draft = Sample.objects.create(
        kind=SampleKind.MONTHLY, period=period, status=SampleStatus.DRAFT, seed=1, size=3
    )
    confirmed = Sample.objects.create(
        kind=SampleKind.MONTHLY, period=period, status=SampleStatus.CONFIRMED, seed=2, size=1234
    )
    AllocationRun.objects.create(period=period, sample=confirmed, seed=1, status="confirmed")
    panel = _panel(client_for(org.qa_officer).get("/").content.decode())
    assert Policy.objects.get(pk=1).get_preset_display() in panel
    assert "newest list as of 7 November 2026" in panel
    assert "Confirmed, 1,234 cases" in panel  # the confirmed sample, not the draft
    assert reverse("sampling:sample-detail", args=[confirmed.pk]) in panel
    assert reverse("sampling:sample-detail", args=[draft.pk]) not in panel
    assert 'This month\'s allocation</dt><dd class="govuk-summary-list__value">Confirmed' in (panel)


def test_the_qa_panel_shows_a_draft_sample_until_one_is_confirmed(org, client_for, on_day):
    on_day(TODAY)
    draft = Sample.objects.create(
        kind=SampleKind.MONTHLY,
        period=TODAY.replace(day=1),
        status=SampleStatus.DRAFT,
        seed=1,
        size=1,
    )
    panel = _panel(client_for(org.qa_officer).get("/").content.decode())
    assert "Draft, 1 case<" in panel
    assert reverse("sampling:sample-detail", args=[draft.pk]) in panel


def test_qa_staff_see_next_months_breaks_against_the_policys_limit(org, client_for, on_day):
    on_day(TODAY)
    Policy.objects.update_or_create(pk=1, defaults={"max_break_percent": 100})
    BreakRequest.objects.create(
        user=org.auditor, month=dt.date(2026, 12, 1), status=BreakStatus.GRANTED
    )
    BreakRequest.objects.create(
        user=org.qa_officer, month=dt.date(2026, 12, 1), status=BreakStatus.WITHDRAWN
    )
    page = client_for(org.qa_officer).get("/").content.decode()
    from accounts.selectors import pool_members

    pool = pool_members().count()
    assert f"Breaks in December 2026: 1 of {pool} allowed" in page


def test_the_qa_home_page_reads_its_panel_in_one_query(
    org, client_for, on_day, django_assert_max_num_queries
):
    """The session, the person, their personas and permissions, the notices, the panel's
    facts with every count, their own audits (QA staff audit too), the header: the QA
    panel's policy, allocation run, newest list and sample are columns of one query (the
    page ran 12 before)."""
    on_day(TODAY)
    client = client_for(org.qa_officer)
    client.get("/")  # the session's activity stamp, written once
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200
