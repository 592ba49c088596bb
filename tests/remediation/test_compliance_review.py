"""The four-month compliance review (Bury 10): each action of each audit the policy's
months after it reached the team manager, recorded fulfilled, completed and authorised,
with what is outstanding; sent by team; read back from its spreadsheet cell by cell."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from accounts.errors import RuleViolation
from accounts.models import Notice
from remediation.models import ComplianceItem, ComplianceReview, FollowUp, Outstanding
from remediation.services import (
    action_fulfil,
    actions_authorise,
    actions_create_for_audit,
    actions_sign_off,
    decision_record,
    follow_up_record,
    sweep_open_compliance_reviews,
    sweep_send_compliance_reviews,
)
from tests.audits.factories import case_in
from tests.remediation.factories import finished_audit

NORTH_DAY = dt.date(2026, 7, 6)
SOUTH_DAY = dt.date(2026, 7, 20)
NOVEMBER = dt.date(2026, 11, 1)


@pytest.fixture
def reviewed(org, bury):
    """North: three actions (authorised, fulfilled, open). South: one waiting for a
    Management Decision."""
    north_case = case_in(org.north_team, worker=org.social_worker, external_id="N-1")
    north = finished_audit(
        auditor=org.auditor,
        case=north_case,
        finished_on=NORTH_DAY,
        actions=[("Authorised one", None), ("Fulfilled one", None), ("Open one", None)],
    )
    a_done, a_fulfilled, a_open = actions_create_for_audit(audit=north, today=NORTH_DAY)
    day = dt.date(2026, 7, 10)
    action_fulfil(action=a_done, by=org.team_manager, fulfilled_on=day, today=day)
    action_fulfil(action=a_fulfilled, by=org.social_worker, fulfilled_on=day, today=day)
    actions_sign_off(actions=[a_done], by=org.team_manager, today=day)
    actions_authorise(actions=[a_done], by=org.service_manager, today=day)

    south_case = case_in(org.south_team, worker=org.outsider, external_id="S-1")
    south = finished_audit(
        auditor=org.team_manager,
        case=south_case,
        finished_on=SOUTH_DAY,
        actions=[("Decision one", None)],
    )
    [s_action] = actions_create_for_audit(audit=south, today=SOUTH_DAY)
    decision_record(
        action=s_action, by=org.south_team.manager, reason="Worker left", today=SOUTH_DAY
    )
    return {"north": north, "south": south, "actions": [a_done, a_fulfilled, a_open, s_action]}


def test_a_review_opens_four_months_after_each_audit_reached_the_team_manager(org, reviewed):
    """Bury 10.1: a review of all remedial actions on a four month delay, recording
    whether each was fulfilled, completed and authorised."""
    assert sweep_open_compliance_reviews(today=dt.date(2026, 11, 5)) == 0
    assert sweep_open_compliance_reviews(today=dt.date(2026, 11, 6)) == 3
    assert sweep_open_compliance_reviews(today=dt.date(2026, 11, 6)) == 0
    assert sweep_open_compliance_reviews(today=dt.date(2026, 11, 20)) == 1
    review = ComplianceReview.objects.get()
    assert review.month == NOVEMBER
    rows = {
        i.action.what: (i.fulfilled, i.completed, i.authorised, i.outstanding)
        for i in ComplianceItem.objects.select_related("action")
    }
    assert rows == {
        "Authorised one": (True, True, True, Outstanding.NONE),
        "Fulfilled one": (True, False, False, Outstanding.NOT_COMPLETED),
        "Open one": (False, False, False, Outstanding.NOT_FULFILLED),
        "Decision one": (False, False, False, Outstanding.DECISION_PENDING),
    }


def test_without_a_review_delay_in_the_policy_no_review_opens(org, reviewed, leeds):
    """SPEC §11: only Bury has a post-audit review."""
    assert sweep_open_compliance_reviews(today=dt.date(2027, 6, 1)) == 0


def test_the_review_is_sent_once_to_each_team_manager_copied_to_service_manager_and_lead(
    org, reviewed
):
    """Bury 10.2: broken down into teams, distributed to the Team Managers with a copy to
    the responsible Service Manager and Strategic Lead."""
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 20))
    assert sweep_send_compliance_reviews(today=dt.date(2026, 11, 30)) == 0  # month not over
    assert sweep_send_compliance_reviews(today=dt.date(2026, 12, 1)) == 1
    assert sweep_send_compliance_reviews(today=dt.date(2026, 12, 1)) == 0
    told = sorted(
        Notice.objects.filter(template="compliance-review-team").values_list(
            "recipient__email", "url"
        )
    )
    north, south = org.north_team.pk, org.south_team.pk
    assert told == sorted(
        [
            ("lead@example.test", f"/actions/compliance/2026-11/?team={north}"),
            ("sm@example.test", f"/actions/compliance/2026-11/?team={north}"),
            ("tm.south@example.test", f"/actions/compliance/2026-11/?team={south}"),
            ("tm@example.test", f"/actions/compliance/2026-11/?team={north}"),
        ]
    )
    assert (
        Notice.objects.filter(template="compliance-review-ready", recipient=org.qa_officer).count()
        == 1
    )


def test_a_late_action_joins_this_months_review_when_its_own_month_was_sent(org, reviewed):
    """A missed tick catches up (STYLE): into the next review, never lost."""
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 6))
    ComplianceReview.objects.update(sent_on=dt.date(2026, 12, 1))
    ComplianceItem.objects.filter(action__what="Decision one").delete()
    sweep_open_compliance_reviews(today=dt.date(2026, 12, 3))
    item = ComplianceItem.objects.get(action__what="Decision one")
    assert item.review.month == dt.date(2026, 12, 1)


def test_the_review_spreadsheet_reads_back_cell_by_cell(org, reviewed, client_for):
    """Bury 10.2: a spreadsheet of the state of remediation four months post-audit, broken
    down into teams: a summary sheet, then one sheet per team."""
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 20))
    response = client_for(org.qa_officer).get("/actions/compliance/2026-11/review.xlsx")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="compliance-review-2026-11.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "North Family Support", "South Children in Care"]

    summary = [list(r) for r in book["Summary"].iter_rows(values_only=True)]
    assert summary[0] == ["Compliance review of remedial actions, November 2026"] + [None] * 8
    assert summary[3] == [
        "Team",
        "Service area",
        "Audits",
        "Actions",
        "Fulfilled",
        "Completed",
        "Authorised",
        "Closed by Management Decision",
        "Outstanding",
    ]
    assert summary[4] == ["North Family Support", "North", 1, 3, 2, 1, 1, 0, 2]
    assert summary[5] == ["South Children in Care", "South", 1, 1, 0, 0, 0, 0, 1]
    assert summary[6] == ["All teams", None, 2, 4, 2, 1, 1, 0, 3]

    north = [list(r) for r in book["North Family Support"].iter_rows(values_only=True)]
    assert north[0] == [
        "Case ID",
        "Auditor",
        "Reached team manager",
        "Review due",
        "Action",
        "Worker",
        "Due on",
        "State at review",
        "Fulfilled",
        "Date done",
        "Completed",
        "Authorised",
        "Outstanding",
    ]
    assert len(north) == 4
    when = dt.datetime(2026, 7, 6)
    done = dt.datetime(2026, 7, 10)
    # Bury 9.3: 25 working days from 6 July 2026 is 10 August 2026.
    due = dt.datetime(2026, 8, 10)
    review_due = dt.datetime(2026, 11, 6)
    assert north[1] == [
        "N-1",
        "Ari Auditor",
        when,
        review_due,
        "Authorised one",
        "Sky Worker",
        due,
        "Authorised",
        "Yes",
        done,
        "Yes",
        "Yes",
        None,
    ]
    assert north[2] == [
        "N-1",
        "Ari Auditor",
        when,
        review_due,
        "Fulfilled one",
        "Sky Worker",
        due,
        "Fulfilled",
        "Yes",
        done,
        "No",
        "No",
        "Done, not signed off",
    ]
    assert north[3] == [
        "N-1",
        "Ari Auditor",
        when,
        review_due,
        "Open one",
        "Sky Worker",
        due,
        "Open",
        "No",
        None,
        "No",
        "No",
        "Not done",
    ]

    south = [list(r) for r in book["South Children in Care"].iter_rows(values_only=True)]
    assert south[1][0] == "S-1" and south[1][7] == "Management Decision waiting"
    assert south[1][12] == "Management Decision waiting"


def test_a_team_manager_downloads_only_their_own_teams_sheet(org, reviewed, client_for):
    """Bury 10.2: each team manager gets the list for their team."""
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 20))
    response = client_for(org.team_manager).get("/actions/compliance/2026-11/review.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "North Family Support"]
    other = client_for(org.team_manager).get(
        f"/actions/compliance/2026-11/review.xlsx?team={org.south_team.pk}"
    )
    assert other.status_code == 404
    assert client_for(org.social_worker).get("/actions/compliance/2026-11/").status_code == 403


def test_the_one_page_report_counts_outstanding_actions_by_kind_and_team(org, reviewed, client_for):
    """Bury 10.2: the number and nature of outstanding remedial actions, for SCMT and EMM;
    as a page and a PDF."""
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 20))
    client = client_for(org.senior_manager)
    page = client.get("/actions/compliance/2026-11/report/")
    assert page.status_code == 200
    report = page.context["report"]
    assert report["rows"] == [
        {"team": "North Family Support", "counts": [1, 1, 0, 0], "total": 2},
        {"team": "South Children in Care", "counts": [0, 0, 0, 1], "total": 1},
    ]
    assert report["totals"] == [1, 1, 0, 1] and report["total"] == 3
    pdf = client.get("/actions/compliance/2026-11/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_qa_staff_record_whether_improvements_held_in_a_review_of_reviews(
    org, reviewed, client_for
):
    """Bury 10.2: a further 'review of reviews' to determine whether improvements have
    been sustained."""
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 20))
    review = ComplianceReview.objects.get()
    north = reviewed["north"]
    follow_up_record(
        review=review, audit=north, by=org.qa_officer, held="partly", note="Plan kept, views not"
    )
    follow_up_record(review=review, audit=north, by=org.qa_officer, held="yes")
    assert FollowUp.objects.get().held == "yes"
    with pytest.raises(RuleViolation):
        follow_up_record(review=review, audit=north, by=org.team_manager, held="yes")
    response = client_for(org.qa_officer).post(
        "/actions/compliance/2026-11/follow-up/",
        {"audit": reviewed["south"].pk, "held": "no", "note": "Back to old habits"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.filter(audit=reviewed["south"], held="no").exists()
    assert (
        client_for(org.team_manager).get("/actions/compliance/2026-11/follow-up/").status_code
        == 403
    )
