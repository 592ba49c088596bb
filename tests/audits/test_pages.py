"""The allocation pages: who may see each, the review table with its move and confirm,
exports, and fixed query counts whatever the size of the month."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from audits.models import AllocationRun, AllocationStatus, RunStatus
from audits.services import allocation_propose, exemption_request

from .factories import allocation, build_authority, case_in, cases_for, confirmed_sample

NOV = dt.date(2026, 11, 1)


@pytest.fixture
def month(db, policy):
    """This month's confirmed sample over a small authority, not yet allocated."""
    from django.utils import timezone

    period = timezone.localdate().replace(day=1)
    teams, members, workers = build_authority(prefix="P")
    return period, confirmed_sample(period=period, cases=cases_for(teams, workers, 12))


def test_qa_staff_propose_review_and_confirm_the_months_allocation(
    org, month, client_for, django_capture_on_commit_callbacks
):
    """SPEC §4: QA staff review the proposed allocation in a table and confirm it."""
    period, _ = month
    client = client_for(org.qa_officer)
    url = f"/audits/allocation/{period:%Y-%m}/"
    assert "Propose the allocation" in client.get(url).content.decode()
    assert client.post(url, {"action": "propose"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Confirm and send the allocation" in page
    assert "another team" in page  # why each auditor is eligible
    assert len(mail.outbox) == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm"})
    assert AllocationRun.objects.get().status == RunStatus.CONFIRMED
    assert mail.outbox


@pytest.mark.parametrize("persona", ["auditor", "team_manager", "senior_manager", "outsider"])
def test_only_qa_staff_open_the_allocation_pages(org, month, client_for, persona):
    """Allocation is the QA team's (P&Q 1; SPEC §1: QA staff confirm allocations)."""
    period, _ = month
    client = client_for(getattr(org, persona))
    for url in (
        "/audits/allocation/",
        f"/audits/allocation/{period:%Y-%m}/",
        f"/audits/allocation/{period:%Y-%m}/export.csv",
        f"/audits/completion/{period:%Y-%m}/",
        f"/audits/completion/{period:%Y-%m}/export.xlsx",
    ):
        assert client.get(url).status_code == 403, url


def _review_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/audits/allocation/{period:%Y-%m}/")
    assert response.status_code == 200
    return len(queries)


def test_the_allocation_table_runs_a_fixed_number_of_queries(org, policy, client_for):
    """Issue 4: the allocation table renders with a fixed number of queries."""
    teams, members, workers = build_authority(prefix="Q")
    client = client_for(org.qa_officer)
    small = dt.date(2026, 11, 1)
    large = dt.date(2026, 12, 1)
    confirmed_sample(period=small, cases=cases_for(teams, workers, 4))
    confirmed_sample(period=large, cases=cases_for(teams, workers, 20))
    allocation_propose(period=small, today=small)
    allocation_propose(period=large, today=large)
    assert _review_queries(client, small) == _review_queries(client, large)


def test_a_move_to_an_ineligible_auditor_is_refused_with_the_reason(org, policy, client_for):
    """SPEC §4: the page refuses an ineligible auditor and says why (Bradford 2)."""
    case = case_in(org.north_team, worker=org.social_worker)
    mine = allocation(auditor=org.auditor, case=case, status=AllocationStatus.PROPOSED)
    client = client_for(org.qa_officer)
    response = client.post(f"/audits/allocations/{mine.pk}/move/", {"auditor": org.team_manager.pk})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tia Manager belongs to North Family Support" in text
    assert "There is a problem" in text
    mine.refresh_from_db()
    assert mine.auditor == org.auditor


def test_a_move_to_an_eligible_auditor_changes_hands_with_a_history_row(org, policy, client_for):
    """SPEC §4: QA staff move a case to another auditor."""
    case = case_in(org.north_team, worker=org.social_worker)
    mine = allocation(auditor=org.auditor, case=case, status=AllocationStatus.PROPOSED)
    client = client_for(org.qa_officer)
    response = client.post(
        f"/audits/allocations/{mine.pk}/move/", {"auditor": org.senior_manager.pk, "why": "Load"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.auditor == org.senior_manager
    assert mine.history.last().why == "Load"


def test_a_move_over_quota_is_refused(org, policy, client_for):
    """Leeds 5, Bradford 2: nobody gets more than their monthly quota."""
    allocation(auditor=org.senior_manager, period=NOV)
    mine = allocation(
        auditor=org.auditor, case=case_in(org.north_team), status=AllocationStatus.PROPOSED
    )
    response = client_for(org.qa_officer).post(
        f"/audits/allocations/{mine.pk}/move/", {"auditor": org.senior_manager.pk}
    )
    assert response.status_code == 400
    assert "reached their quota of 1" in response.content.decode()


def test_an_auditor_sees_their_own_allocation_but_not_anothers_by_changing_the_id(
    org, policy, client_for
):
    """Auditors see only their own allocations."""
    mine = allocation(auditor=org.auditor, case=case_in(org.north_team))
    theirs = allocation(auditor=org.team_manager, case=case_in(org.south_team))
    client = client_for(org.auditor)
    assert client.get(f"/audits/allocations/{mine.pk}/").status_code == 200
    assert client.get(f"/audits/allocations/{theirs.pk}/").status_code == 404
    assert client.get(f"/audits/allocations/{theirs.pk}/exemption/").status_code == 404
    assert (
        client.post(f"/audits/allocations/{theirs.pk}/exemption/", {"reason": "x"}).status_code
        == 404
    )
    assert client_for(org.qa_officer).get(f"/audits/allocations/{theirs.pk}/").status_code == 200


def test_an_auditor_asks_for_an_exemption_through_the_page(org, policy, client_for):
    """P&Q 4-5: asked for with a reason."""
    mine = allocation(auditor=org.auditor, case=case_in(org.north_team))
    client = client_for(org.auditor)
    empty = client.post(f"/audits/allocations/{mine.pk}/exemption/", {"reason": ""})
    assert empty.status_code == 400
    assert "Enter why you cannot complete this audit" in empty.content.decode()
    response = client.post(f"/audits/allocations/{mine.pk}/exemption/", {"reason": "Leave"})
    assert response.status_code == 302
    assert mine.exemption_requests.get().approver == org.senior_manager


def test_only_the_approver_opens_and_decides_an_exemption(org, policy, client_for):
    """P&Q 4: only the named approver agrees; others cannot open the request."""
    mine = allocation(auditor=org.auditor, case=case_in(org.north_team))
    request = exemption_request(
        allocation=mine, by=org.auditor, reason="Leave", today=dt.date(2026, 11, 3)
    )
    url = f"/audits/exemptions/{request.pk}/"
    for persona in ("auditor", "qa_officer", "team_manager"):
        assert client_for(getattr(org, persona)).get(url).status_code == 403
    client = client_for(org.senior_manager)
    assert "Ari Auditor" in client.get("/audits/exemptions/").content.decode()
    assert (
        client_for(org.qa_officer).get("/audits/exemptions/").content.decode().count("Ari Auditor")
        == 0
    )
    client = client_for(org.senior_manager)
    assert client.post(url, {"decision": "refuse"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "refused"


def test_my_audits_lists_only_mine_in_a_fixed_number_of_queries(
    org, policy, client_for, django_assert_max_num_queries
):
    """An auditor's list of allocations; a list page runs a fixed number of queries."""
    allocation(auditor=org.auditor, case=case_in(org.north_team))
    allocation(auditor=org.team_manager, case=case_in(org.south_team))
    client = client_for(org.auditor)
    with CaptureQueriesContext(connection) as one:
        page = client.get("/audits/mine/").content.decode()
    assert page.count("/audits/allocations/") == 1
    for n in range(15):
        allocation(
            auditor=org.auditor, case=case_in(org.north_team), period=dt.date(2026, 1 + n % 10, 1)
        )
    with django_assert_max_num_queries(len(one)):
        client.get("/audits/mine/")
    assert client_for(org.social_worker).get("/audits/mine/").status_code == 403


def test_the_sample_export_lists_each_cases_auditors(org, policy, client_for):
    """Issue 4: the export gains a column with each case's auditors' emails."""
    case = case_in(org.north_team)
    mine = allocation(auditor=org.auditor, case=case, period=NOV)
    allocation(auditor=org.senior_manager, case=case, period=NOV)
    response = client_for(org.qa_officer).get("/audits/allocation/2026-11/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-1] == "Auditors"
    assert rows[1][0] == case.external_id
    assert rows[1][-1] == "auditor@example.test; senior@example.test"
    from audits.selectors import auditor_emails_by_case

    assert auditor_emails_by_case(sample=mine.sample) == {
        case.pk: ["auditor@example.test", "senior@example.test"]
    }


def test_completion_counts_allocated_in_progress_done_overdue_and_exempted(org, policy, client_for):
    """P&Q 28: QA staff monitor non-completion; SPEC §10 by auditor, team and service."""
    from django.utils import timezone

    today = timezone.localdate()
    period = today.replace(day=1)
    later = today + dt.timedelta(days=40)
    earlier = today - dt.timedelta(days=1)
    allocation(auditor=org.auditor, case=case_in(org.north_team), period=period, deadline=later)
    allocation(
        auditor=org.auditor,
        case=case_in(org.north_team),
        period=period,
        deadline=later,
        started_at=timezone.now(),
    )
    allocation(
        auditor=org.team_manager,
        case=case_in(org.south_team),
        period=period,
        deadline=later,
        completed_at=timezone.now(),
    )
    allocation(
        auditor=org.team_manager, case=case_in(org.south_team), period=period, deadline=earlier
    )
    allocation(
        auditor=org.senior_manager,
        case=case_in(org.south_team),
        period=period,
        status=AllocationStatus.EXEMPTED,
    )
    client = client_for(org.qa_officer)
    page = client.get(f"/audits/completion/{period:%Y-%m}/")
    report = page.context["report"]
    assert report.totals.counts == {
        "allocated": 1,
        "in_progress": 1,
        "done": 1,
        "overdue": 1,
        "exempted": 1,
    }
    by_team = {r.name: r.counts for r in report.by_team}
    assert by_team["North Family Support"]["in_progress"] == 1
    assert {r.name for r in report.by_area} == {"North", "South"}
    book = load_workbook(
        io.BytesIO(client.get(f"/audits/completion/{period:%Y-%m}/export.xlsx").content)
    )
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][5] == "Status"
    assert sorted(r[5] for r in values[1:]) == [
        "Allocated",
        "Done",
        "Exempted",
        "In progress",
        "Overdue",
    ]


def test_the_home_page_lists_the_auditors_open_audits(org, policy, client_for):
    """The auditor's panel shows what is theirs to do."""
    mine = allocation(auditor=org.auditor, case=case_in(org.north_team))
    page = client_for(org.auditor).get("/").content.decode()
    assert mine.case.external_id in page
    assert "You have no audits allocated to you" not in page


def test_the_sampling_export_command_gains_the_auditors_column(org, policy):
    """Issue 4: `export_sample --period` gains each case's auditors' emails."""
    exports = pytest.importorskip("sampling.exports")
    case = case_in(org.north_team)
    mine = allocation(auditor=org.auditor, case=case, period=NOV)
    rows = list(exports.rows(mine.sample))
    assert rows[0][-1] == "Auditors"
    assert rows[1][-1] == "auditor@example.test"
