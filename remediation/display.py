"""The worktray's rows as the page shows them, worked out in Python (issue 16).

The template read each of fifty rows through a dozen lookups, two `{% url %}` tags, two
`date` filters and an included status tag: more than half the page's time. Here each row is
one string of HTML (`format_html` escapes each value) from the columns it shows (a
`values_list`, no model instances), the addresses built from one `reverse()` a page and the
dates in the format the `date` filter uses. `templates/remediation/_status_tag.html` says the same
states in words for the other pages (the action and the case pages).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .models import ActionStatus

# Each state's tag (as `_status_tag.html`): its colour and words.
TAGS = {
    ActionStatus.OPEN: ("blue", "Open"),
    ActionStatus.FULFILLED: ("light-blue", "Fulfilled"),
    ActionStatus.COMPLETED: ("turquoise", "Completed"),
    ActionStatus.AUTHORISED: ("green", "Authorised"),
    ActionStatus.DECISION_PENDING: ("yellow", "Management Decision waiting"),
}
LATE = {ActionStatus.OPEN: "Overdue", ActionStatus.FULFILLED: "Done, overdue for sign-off"}


STATUS_LABELS = dict(ActionStatus.choices)


def status_tag(status: str, due_on: dt.date, today: dt.date) -> tuple[str, str]:
    if status in LATE and due_on < today:
        return "red", LATE[status]
    return TAGS.get(status, ("grey", STATUS_LABELS.get(status, status)))


# What `reverse()` leaves unquoted in an argument (django.urls.resolvers).
URL_SAFE = "!$&'()*+,;=/~:@"


def _between(name: str, marker: str) -> tuple[str, str]:
    """The address of `name` for an argument, split around it: one reverse() a page."""
    head, _, tail = reverse(name, args=[marker]).rpartition(marker)
    return head, tail


# The columns a worktray row shows (`worktray_rows`); the auditor's name is read beside
# them (`worktray.auditor_name_column`). A page that has its teams named already (a team or service
# manager's, `Worktray.teams`) reads each row's team id instead of joining the teams
# (`rows_columns`).
ROW_COLUMNS = (
    "pk",
    "status",
    "due_on",
    "what",
    "received_on",
    "carried_by_team_manager",
    "case__external_id",
    "team__name",
    "owner_id",
    "owner__full_name",
    "worker_id",
    "worker__full_name",
    "audit_id",
)


def row_columns(*, teams_named: bool) -> tuple[str, ...]:
    """`ROW_COLUMNS`, with the team's id in place of its name where the page knows the names."""
    if not teams_named:
        return ROW_COLUMNS
    return tuple("team_id" if c == "team__name" else c for c in ROW_COLUMNS)


SIGN_OFF = (
    '<td class="govuk-table__cell"><div class="govuk-checkboxes govuk-checkboxes--small" '
    'data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">'
    '<input class="govuk-checkboxes__input" id="sign-off-{pk}" name="actions" '
    'type="checkbox" value="{pk}"><label class="govuk-label govuk-checkboxes__label" '
    'for="sign-off-{pk}"><span class="govuk-visually-hidden">Sign off action {pk} on case '
    "{case_id}</span></label></div></div></td>"
)
ROW = (
    '<tr class="govuk-table__row">{sign_off}<td class="govuk-table__cell">{due}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{what}</a></td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{case_url}">{case_id}</a></td>'
    '<td class="govuk-table__cell">{auditor}, {received}</td>'
    '<td class="govuk-table__cell">{team}</td><td class="govuk-table__cell">{carrier}</td>'
    '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{tag_class}">{tag}'
    "</strong></td></tr>"
)


def _escaped(value) -> str:
    """As `conditional_escape` (what `format_html` does to each value), without its lazy
    wrapping: a page escapes some seven hundred values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def worktray_rows(
    rows,
    *,
    auditors: dict[int, str],
    today: dt.date,
    may_sign_off: bool,
    team_names: dict[int, str] | None = None,
) -> list[SafeString]:
    """A page of `ROW_COLUMNS` tuples as the worktray's table rows (each escaped by
    `format_html`); `auditors`: the auditor's name by audit. The team manager, who signs
    off, has a box to tick on each fulfilled action. With `team_names`, each row holds its
    team's id (`row_columns(teams_named=True)`) and is named from them."""
    date_format = get_format("DATE_FORMAT")
    days: dict[dt.date, str] = {}  # a page's rows share a few dozen dates

    def day(value: dt.date | None) -> str:
        if not value:
            return ""
        if value not in days:
            days[value] = dateformat.format(value, date_format)
        return days[value]

    detail = _between("remediation:detail", "0")
    case = _between("reporting:case", "CASEID")
    found = []
    for (
        pk,
        status,
        due_on,
        what,
        received_on,
        carried_by_team_manager,
        external_id,
        team,
        owner_id,
        owner,
        worker_id,
        worker,
        audit_id,
    ) in rows:
        if carried_by_team_manager or not worker_id:
            carrier = f"{(owner if owner_id else '') or 'The team manager'} (team manager)"
        else:
            carrier = worker
        tag_class, tag = status_tag(status, due_on, today)
        sign_off = ""
        if may_sign_off:
            sign_off = (
                SIGN_OFF.format(pk=pk, case_id=_escaped(external_id))
                if status == ActionStatus.FULFILLED
                else '<td class="govuk-table__cell"></td>'
            )
        values = {
            "due": day(due_on),
            "url": f"{detail[0]}{pk}{detail[1]}",
            "what": Truncator(what).words(16, truncate=" …"),
            "case_url": f"{case[0]}{quote(external_id, safe=URL_SAFE)}{case[1]}",
            "case_id": external_id,
            "auditor": auditors.get(audit_id, "") if audit_id else "",
            "received": day(received_on),
            "team": team if team_names is None else team_names.get(team, ""),
            "carrier": carrier,
            "tag_class": tag_class,
            "tag": tag,
        }
        found.append(
            mark_safe(  # noqa: S308 - every value is escaped as format_html would
                ROW.format(sign_off=sign_off, **{k: _escaped(v) for k, v in values.items()})
            )
        )
    return found
