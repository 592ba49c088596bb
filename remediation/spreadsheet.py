"""The compliance review as a workbook: a summary sheet, then one sheet per team (Bury
10.2). Written in openpyxl's write-only mode, so a month of a thousand actions takes a
fraction of a second and little memory."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import ComplianceItem, ComplianceReview, Outstanding
from .selectors import TeamSummary, summarise

SUMMARY_HEADER = (
    "Team",
    "Service area",
    "Audits",
    "Actions",
    "Fulfilled",
    "Completed",
    "Authorised",
    "Closed by Management Decision",
    "Outstanding",
)
TEAM_HEADER = (
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
)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = _BAD_TITLE.sub(" ", name).strip()[:31] or "Team"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _bold_row(sheet, values) -> list:
    row = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        row.append(cell)
    return row


def team_rows(items: list[ComplianceItem]):
    for item in items:
        action = item.action
        yield (
            action.case.external_id,
            item.audit.allocation.auditor.full_name,
            action.received_on,
            item.due_for_review_on,
            action.what,
            action.worker.full_name if action.worker_id else "",
            action.due_on,
            item.get_status_display(),
            _yes(item.fulfilled),
            item.fulfilled_on,
            _yes(item.completed),
            _yes(item.authorised),
            "" if item.outstanding == Outstanding.NONE else item.get_outstanding_display(),
        )


def compliance_workbook(*, review: ComplianceReview, items: list[ComplianceItem]) -> bytes:
    """The review's workbook for the items given (every team's, or one reader's teams)."""
    teams: list[TeamSummary] = summarise(items)
    book = Workbook(write_only=True)
    summary = book.create_sheet("Summary")
    summary.append([f"Compliance review of remedial actions, {review.month:%B %Y}"])
    summary.append(["Each action as it stood when its audit's review fell due."])
    summary.append([])
    summary.append(_bold_row(summary, SUMMARY_HEADER))
    for row in teams:
        summary.append(
            [
                row.team.name,
                row.team.service_area.name,
                row.audits,
                row.actions,
                row.fulfilled,
                row.completed,
                row.authorised,
                row.closed_by_decision,
                row.outstanding,
            ]
        )
    summary.append(
        [
            "All teams",
            "",
            sum(r.audits for r in teams),
            sum(r.actions for r in teams),
            sum(r.fulfilled for r in teams),
            sum(r.completed for r in teams),
            sum(r.authorised for r in teams),
            sum(r.closed_by_decision for r in teams),
            sum(r.outstanding for r in teams),
        ]
    )
    taken = {"summary"}
    for row in teams:
        sheet = book.create_sheet(sheet_title(row.team.name, taken))
        sheet.append(_bold_row(sheet, TEAM_HEADER))
        for values in team_rows(row.items):
            sheet.append(list(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
