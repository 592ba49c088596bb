"""The datasets the API serves (issue 15): reads only, a fixed number of queries a page.

No child's name is held anywhere in the system; these rows also leave out every free-text
field (evidence, action wording), where a name could have been typed. Staff names appear
only for readers whose persona would see them on the pages (QA staff: the completion page
names auditors, P&Q 28).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from audits import lifecycle
from audits.form_presets import sections_for
from audits.models import Allocation, AllocationStatus, Audit, SectionAnswer
from audits.selectors import PROGRESS_LABELS, final_grade
from remediation.models import RemedialAction

from .models import KeyReader

# Grades are reported once the auditor has submitted; drafts' grades are still moving.
GRADED = frozenset(
    {
        lifecycle.SUBMITTED,
        lifecycle.QA_CHECK,
        lifecycle.RETURNED,
        lifecycle.WITH_TEAM_MANAGER,
        lifecycle.CLOSED,
    }
)


@dataclass(frozen=True)
class Periods:
    """Audit months from `first` to `last` inclusive (either may be open)."""

    first: dt.date | None = None
    last: dt.date | None = None

    def filter(self, queryset: QuerySet, field: str) -> QuerySet:
        if self.first:
            queryset = queryset.filter(**{f"{field}__gte": self.first})
        if self.last:
            queryset = queryset.filter(**{f"{field}__lte": self.last})
        return queryset


def parse_month(text: str | None, name: str) -> dt.date | None:
    """`2026-11` as the first of the month; `ValueError` with a message naming the field."""
    if not text:
        return None
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise ValueError(f"{name} must be a month written YYYY-MM, like 2026-11.") from None


def periods(
    *, period: str | None = None, period_from: str | None = None, period_to: str | None = None
) -> Periods:
    if period:
        month = parse_month(period, "period")
        return Periods(month, month)
    first = parse_month(period_from, "period_from")
    last = parse_month(period_to, "period_to")
    if first and last and first > last:
        raise ValueError("period_from must not be after period_to.")
    return Periods(first, last)


def _month(day: dt.date | None) -> str | None:
    return day.strftime("%Y-%m") if day else None


def _day(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localdate(value)
    return value.isoformat()


def shows_names(reads_as: str) -> bool:
    return reads_as == KeyReader.QA_STAFF


@dataclass(frozen=True)
class Dataset:
    """A dataset: its rows' query, how a row is built, and its CSV columns."""

    name: str
    queryset: Callable[[Periods], QuerySet]
    row: Callable[[Any, str, dt.date], dict[str, Any]]
    columns: Callable[[str], list[str]]
    # Personas allowed to read it; any key reads the others.
    readers: frozenset[str] = frozenset(KeyReader.values)


# Audits ----------------------------------------------------------------------------------


def _audits(span: Periods) -> QuerySet[Audit]:
    return span.filter(
        Audit.objects.select_related(
            "allocation__case__team__service_area",
            "allocation__auditor",
            "form_version__template",
            "consensus",
        )
        .prefetch_related(
            "moderations",
            Prefetch("answers", queryset=SectionAnswer.objects.only("audit_id", "key", "grade")),
        )
        .order_by("allocation__period", "allocation__case__external_id", "id"),
        "allocation__period",
    )


def grade_label(definition: dict[str, Any], scale: str | None, value: str | None) -> str | None:
    for level in definition.get("scales", {}).get(scale, ()):
        if level["value"] == value:
            return level["label"]
    return None


def _section_grades(audit: Audit) -> list[dict[str, Any]]:
    definition = audit.definition
    if not definition.get("sections"):
        return []
    graded = audit.status in GRADED
    answers = {a.key: a.grade for a in audit.answers.all()} if graded else {}
    rows = []
    for section in sections_for(definition, audit.allocation.case.case_type):
        grade = answers.get(section["key"]) or None
        rows.append(
            {
                "key": section["key"],
                "title": section["title"],
                "grade": grade,
                "grade_label": grade_label(definition, section["scale"], grade),
            }
        )
    return rows


def audit_row(audit: Audit, reads_as: str, today: dt.date) -> dict[str, Any]:
    allocation = audit.allocation
    case = allocation.case
    team = case.team
    definition = audit.definition
    graded = audit.status in GRADED
    overall = final_grade(audit) if graded else ""
    row = {
        "audit_id": audit.pk,
        "case_id": case.external_id,
        "period": _month(allocation.period),
        "service_area": team.service_area.name if team else None,
        "team": team.name if team else None,
        "case_type": case.case_type,
        "case_type_label": case.get_case_type_display(),
        "form": audit.form_version.template.key,
        "form_title": audit.form_version.template.title,
        "form_version": audit.form_version.number,
        "status": audit.status,
        "status_label": lifecycle.label(audit.status),
        "paired": allocation.pair_group is not None,
        "overall_grade": overall or None,
        "overall_grade_label": grade_label(
            definition, definition.get("overall", {}).get("scale"), overall
        ),
        "sections": _section_grades(audit),
        "allocated_on": _day(allocation.allocated_on),
        "deadline": _day(allocation.deadline),
        "started_on": _day(audit.started_at),
        "submitted_on": _day(audit.submitted_at),
        "finished_on": _day(audit.finished_at),
        "closed_on": _day(audit.closed_at),
    }
    if shows_names(reads_as):
        row["auditor"] = allocation.auditor.full_name
    return row


def audit_columns(reads_as: str) -> list[str]:
    columns = [
        "audit_id",
        "case_id",
        "period",
        "service_area",
        "team",
        "case_type",
        "case_type_label",
        "form",
        "form_title",
        "form_version",
        "status",
        "status_label",
        "paired",
        "overall_grade",
        "overall_grade_label",
        "section_grades",
        "allocated_on",
        "deadline",
        "started_on",
        "submitted_on",
        "finished_on",
        "closed_on",
    ]
    return [*columns, "auditor"] if shows_names(reads_as) else columns


def audit_csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """One CSV line an audit: the sections' grades as `key=grade` pairs in one cell (the
    audit-sections dataset has them one a row)."""
    flat = {k: v for k, v in row.items() if k != "sections"}
    flat["section_grades"] = "; ".join(
        f"{s['key']}={s['grade']}" for s in row["sections"] if s["grade"]
    )
    return flat


AUDITS = Dataset("audits", _audits, audit_row, audit_columns)


# One row per audit and section, for tools that want the grades long rather than wide.


def section_rows(audit: Audit, reads_as: str, today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "audit_id": audit.pk,
            "case_id": audit.allocation.case.external_id,
            "period": _month(audit.allocation.period),
            "form": audit.form_version.template.key,
            "section": s["key"],
            "section_title": s["title"],
            "grade": s["grade"],
            "grade_label": s["grade_label"],
        }
        for s in _section_grades(audit)
    ]


SECTION_COLUMNS = [
    "audit_id",
    "case_id",
    "period",
    "form",
    "section",
    "section_title",
    "grade",
    "grade_label",
]


# Actions ---------------------------------------------------------------------------------


def _actions(span: Periods) -> QuerySet[RemedialAction]:
    return span.filter(
        RemedialAction.objects.select_related(
            "case", "team__service_area", "audit__allocation", "owner", "worker"
        ).order_by("audit__allocation__period", "due_on", "id"),
        "audit__allocation__period",
    )


def action_row(action: RemedialAction, reads_as: str, today: dt.date) -> dict[str, Any]:
    row = {
        "action_id": action.pk,
        "audit_id": action.audit_id,
        "case_id": action.case.external_id,
        "period": _month(action.audit.allocation.period),
        "service_area": action.team.service_area.name,
        "team": action.team.name,
        "status": action.status,
        "status_label": action.get_status_display(),
        "created_on": _day(action.created_on),
        "received_on": _day(action.received_on),
        "due_on": _day(action.due_on),
        "done_on": _day(action.fulfilled_on),
        "completed_on": _day(action.completed_at),
        "authorised_on": _day(action.authorised_at),
        "closed_on": _day(action.closed_on),
        "overdue": action.is_overdue(today),
        "carried_by_team_manager": action.carried_by_team_manager,
    }
    if shows_names(reads_as):
        row["team_manager"] = action.owner.full_name if action.owner else None
        row["worker"] = action.worker.full_name if action.worker else None
    return row


def action_columns(reads_as: str) -> list[str]:
    columns = [
        "action_id",
        "audit_id",
        "case_id",
        "period",
        "service_area",
        "team",
        "status",
        "status_label",
        "created_on",
        "received_on",
        "due_on",
        "done_on",
        "completed_on",
        "authorised_on",
        "closed_on",
        "overdue",
        "carried_by_team_manager",
    ]
    return [*columns, "team_manager", "worker"] if shows_names(reads_as) else columns


ACTIONS = Dataset("actions", _actions, action_row, action_columns)


# Completion by auditor and month (P&Q 28) --------------------------------------------------


def completion_rows(span: Periods, today: dt.date) -> list[dict[str, Any]]:
    """Allocated, in progress, done, overdue and exempted, for each auditor and month, in
    one query whatever the span."""
    allocations = span.filter(
        Allocation.objects.filter(
            status__in=[AllocationStatus.ALLOCATED, AllocationStatus.EXEMPTED]
        ).select_related("auditor"),
        "period",
    ).only("period", "status", "deadline", "started_at", "completed_at", "auditor__full_name")
    table: dict[tuple[dt.date, str, int], dict[str, int]] = {}
    for allocation in allocations:
        state = allocation.progress(today)
        if state not in PROGRESS_LABELS:
            continue
        key = (allocation.period, allocation.auditor.full_name, allocation.auditor_id)
        counts = table.setdefault(key, dict.fromkeys(PROGRESS_LABELS, 0))
        counts[state] += 1
    return [
        {"period": _month(period), "auditor": name, **counts, "total": sum(counts.values())}
        for (period, name, _), counts in sorted(table.items(), key=lambda item: item[0][:2])
    ]


COMPLETION_COLUMNS = ["period", "auditor", *PROGRESS_LABELS, "total"]
# Completion names each auditor: QA staff's page (P&Q 28), not the senior managers'.
COMPLETION_READERS = frozenset({KeyReader.QA_STAFF.value})
