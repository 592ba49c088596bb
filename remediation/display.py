"""The worktray's rows as the page shows them, worked out in Python (issue 16).

The template read each of fifty rows through a dozen lookups, two `{% url %}` tags, two
`date` filters and an included status tag: more than half the page's time. Here each row is
a handful of strings, the addresses built from one `reverse()` a page and the dates in the
format the `date` filter uses. `templates/remediation/_status_tag.html` says the same
states in words for the other pages (the action and the case pages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.text import Truncator

from .models import ActionStatus, RemedialAction


@dataclass(frozen=True)
class Row:
    pk: int
    status: str
    due: str
    what: str
    url: str
    case_id: str
    case_url: str
    auditor: str
    received: str
    team: str
    carrier: str
    tag_class: str
    tag: str


# Each state's tag (as `_status_tag.html`): its colour and words.
TAGS = {
    ActionStatus.OPEN: ("blue", "Open"),
    ActionStatus.FULFILLED: ("light-blue", "Fulfilled"),
    ActionStatus.COMPLETED: ("turquoise", "Completed"),
    ActionStatus.AUTHORISED: ("green", "Authorised"),
    ActionStatus.DECISION_PENDING: ("yellow", "Management Decision waiting"),
}
LATE = {ActionStatus.OPEN: "Overdue", ActionStatus.FULFILLED: "Done, overdue for sign-off"}


def status_tag(action: RemedialAction, today: dt.date) -> tuple[str, str]:
    if action.status in LATE and action.due_on < today:
        return "red", LATE[action.status]
    return TAGS.get(action.status, ("grey", action.get_status_display()))


# What `reverse()` leaves unquoted in an argument (django.urls.resolvers).
URL_SAFE = "!$&'()*+,;=/~:@"


def _between(name: str, marker: str) -> tuple[str, str]:
    """The address of `name` for an argument, split around it: one reverse() a page."""
    head, _, tail = reverse(name, args=[marker]).rpartition(marker)
    return head, tail


def worktray_rows(actions: list[RemedialAction], *, today: dt.date) -> list[Row]:
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
    rows = []
    for action in actions:
        external_id = action.case.external_id
        carried = action.carried_by_team_manager or not action.worker_id
        owner = (action.owner.full_name if action.owner_id else "") or "The team manager"
        carrier = f"{owner} (team manager)" if carried else action.worker.full_name
        auditor = action.audit.allocation.auditor.full_name if action.audit_id else ""
        tag_class, tag = status_tag(action, today)
        rows.append(
            Row(
                pk=action.pk,
                status=action.status,
                due=day(action.due_on),
                what=Truncator(action.what).words(16, truncate=" …"),
                url=f"{detail[0]}{action.pk}{detail[1]}",
                case_id=external_id,
                case_url=f"{case[0]}{quote(external_id, safe=URL_SAFE)}{case[1]}",
                auditor=auditor,
                received=day(action.received_on),
                team=action.team.name,
                carrier=carrier,
                tag_class=tag_class,
                tag=tag,
            )
        )
    return rows
