"""The six-monthly action plan (Leeds Appendix B): title, action to be taken, action taken
to date, responsible officer, date completed, approved by; kept by QA staff, exportable."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from accounts.errors import RuleViolation
from remediation.models import ActionPlanItem
from remediation.services import plan_item_save


def test_qa_staff_keep_the_plan_and_export_it_with_appendix_bs_columns(org, client_for):
    """Leeds Appendix B: the example action plan's six columns."""
    plan_item_save(
        by=org.qa_officer,
        half_year=dt.date(2026, 9, 14),
        title="Chronologies",
        action="Every CP case has a chronology updated monthly",
        taken_to_date="Template agreed",
        responsible_officer=org.service_manager,
        completed_on=dt.date(2026, 11, 2),
        approved_by=org.senior_manager,
    )
    item = ActionPlanItem.objects.get()
    assert item.half_year == dt.date(2026, 7, 1)
    client = client_for(org.qa_officer)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/actions/plan/export.csv?half=2026-07-01").content.decode())
        )
    )
    assert rows == [
        [
            "Title",
            "Action to be taken",
            "Action taken to date",
            "Responsible officer",
            "Date completed",
            "Action approved by",
        ],
        [
            "Chronologies",
            "Every CP case has a chronology updated monthly",
            "Template agreed",
            "Sid Service",
            "2026-11-02",
            "Sam Senior",
        ],
    ]
    book = load_workbook(
        io.BytesIO(client.get("/actions/plan/export.xlsx?half=2026-07-01").content)
    )
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[2]] == rows[1]
    assert client.get("/actions/plan/?half=2026-07-01").status_code == 200
    assert client_for(org.senior_manager).get("/actions/plan/").status_code == 200


def test_the_plan_is_not_for_team_managers_or_workers(org, client_for):
    for person in (org.team_manager, org.social_worker):
        assert client_for(person).get("/actions/plan/").status_code == 403
        assert client_for(person).get("/actions/plan/new/").status_code == 403
    with pytest.raises(RuleViolation):
        plan_item_save(
            by=org.team_manager,
            half_year=dt.date(2026, 1, 1),
            title="x",
            action="y",
            responsible_officer=org.team_manager,
        )


def test_a_row_is_approved_only_once_completed(org):
    """Leeds Appendix B: 'Action approved by' follows 'Date completed'."""
    with pytest.raises(RuleViolation):
        plan_item_save(
            by=org.qa_officer,
            half_year=dt.date(2026, 1, 1),
            title="x",
            action="y",
            responsible_officer=org.team_manager,
            approved_by=org.senior_manager,
        )


def test_qa_staff_add_a_row_through_the_page(org, client_for):
    response = client_for(org.qa_officer).post(
        "/actions/plan/new/?half=2027-01-01",
        {
            "title": "Supervision records",
            "action": "Record audit discussions in supervision",
            "taken_to_date": "",
            "responsible_officer": org.team_manager.pk,
            "completed_on_0": "",
            "completed_on_1": "",
            "completed_on_2": "",
            "approved_by": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ActionPlanItem.objects.get().half_year == dt.date(2027, 1, 1)
