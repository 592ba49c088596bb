"""The allocation table's rows, and the auditor's task list items, as the pages show them,
worked out in Python (issue 16).

The review page's two long tables (a page of 25 allocations, and every available auditor:
111 at the demo's size) were most of its time in the template: a dozen lookups a row, an
included status tag, a `{% url %}` and a `date` filter each. Here each table is one string,
built in one pass from plain values with one `reverse()` a page; the same HTML as the
template gave (`templates/audits/_progress_tag.html` says the states in words elsewhere).
"""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User

from .models import LIVE_STATUSES

# Each state's tag, as `_progress_tag.html`: its colour and words.
PROGRESS_TAGS = {
    "done": ("green", "Done"),
    "overdue": ("red", "Overdue"),
    "in_progress": ("light-blue", "In progress"),
    "exempted": ("grey", "Exempted"),
    "allocated": ("blue", "Allocated"),
    "proposed": ("yellow", "Proposed"),
    "reallocated": ("grey", "Reallocated"),
}
ROW = '<tr class="govuk-table__row">'
PAIRED = ' <strong class="govuk-tag govuk-tag--purple">Paired</strong>'
HIDDEN = '<span class="govuk-visually-hidden">'
CELL = '<td class="govuk-table__cell">'


def progress_tag(progress: str) -> str:
    colour, words = PROGRESS_TAGS.get(progress) or (
        "grey",
        escape(progress[:1].upper() + progress[1:]),
    )
    return f'<strong class="govuk-tag govuk-tag--{colour}">{words}</strong>'


def role_labels() -> dict[str, str]:
    """Role labels by value (`get_role_display` flattens the choices at each call)."""
    return {key: str(label) for key, label in User._meta.get_field("role").flatchoices}


def allocation_rows(allocations: list[dict]) -> SafeString:
    """The rows of "Cases and their auditors" for `AllocationTable`'s rows."""
    labels = role_labels()
    date_format = get_format("DATE_FORMAT")
    head, _, tail = reverse("audits:move", args=[0]).rpartition("0")
    days: dict = {}  # a run's allocations share a few deadlines: each formatted once
    rows = []
    for a in allocations:
        case_id = escape(a["case__external_id"])
        auditor = escape(a["auditor__full_name"])
        paired = PAIRED if a["pair_group"] else ""
        team = escape(a["case__team__name"] or "No team")
        role = escape(labels.get(a["auditor__role"], a["auditor__role"]))
        due = a["deadline"]
        if due:
            if due not in days:
                days[due] = dateformat.format(due, date_format)
            due = days[due]
        due = f'<br><span class="govuk-body-s">Due {due}</span>' if due else ""
        move = (
            f'<a class="govuk-link" href="{head}{a["id"]}{tail}">'
            f"Move{HIDDEN} case {case_id} from {auditor}</span></a>"
            if a["status"] in LIVE_STATUSES and not a["completed_at"]
            else ""
        )
        rows.append(
            f"{ROW}{CELL}{case_id}{paired}</td>{CELL}{team}</td>"
            f'{CELL}{auditor}<br><span class="govuk-body-s">{role}</span></td>'
            f'<td class="govuk-table__cell govuk-body-s">{escape(a["eligibility_reason"])}</td>'
            f"{CELL}{progress_tag(a['status'])}{due}</td>{CELL}{move}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


def load_rows(loads) -> SafeString:
    """The rows of "Auditors available": name, role, quota and live allocations."""
    labels = role_labels()
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    return mark_safe(  # noqa: S308 - every value is escaped or a number
        "\n".join(
            f"{ROW}{CELL}{escape(load.auditor.full_name)}</td>"
            f"{CELL}{escape(labels.get(load.auditor.role, load.auditor.role))}</td>"
            f"{numeric}{int(load.quota)}</td>{numeric}{int(load.given)}</td></tr>"
            for load in loads
        )
    )


# Each section's status on the auditor's task list, as the template gave it.
TASK_STATUS = {
    "completed": "Completed",
    "in_progress": '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>',
}
NOT_STARTED = '<strong class="govuk-tag govuk-tag--blue">Not started</strong>'


def task_items(rows, section_address: list[str]) -> SafeString:
    """The auditor's task list, a section an item (each with its link and status), built in
    one pass: the same HTML as the template's loop over the rows gave."""
    head, tail = (escape(part) for part in section_address)
    items = []
    for row in rows:
        key = escape(row.key)
        items.append(
            '\n  <li class="govuk-task-list__item govuk-task-list__item--with-link">\n'
            '    <div class="govuk-task-list__name-and-hint"><a class="govuk-link '
            f'govuk-task-list__link" href="{head}{key}{tail}" aria-describedby="status-{key}">'
            f"{escape(row.title)}</a></div>\n"
            f'    <div class="govuk-task-list__status" id="status-{key}">'
            f"{TASK_STATUS.get(row.status, NOT_STARTED)}</div>\n  </li>\n  "
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
