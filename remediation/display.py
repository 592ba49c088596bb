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
from functools import lru_cache
from html import escape
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, translation
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import add_truncation_text

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


@lru_cache(maxsize=64)
def _between_for(name: str, marker: str, prefix: str, urlconf, language) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[marker]).rpartition(marker)
    return head, tail


def _between(name: str, marker: str) -> tuple[str, str]:
    """The address of `name` for an argument, split around it. A `reverse()` took some
    0.1 ms: it is kept a process for what the address depends on besides the name (the
    script prefix, the URLconf and the language), none of it the reader's (issue 16)."""
    return _between_for(
        name, marker, get_script_prefix(), get_urlconf(), translation.get_language()
    )


@lru_cache(maxsize=4096)
def _shown_date(value: dt.date, date_format: str, language) -> str:
    return dateformat.format(value, date_format)


def shown_date(value: dt.date | None) -> str:
    """A date as the `date` filter shows it (the language's DATE_FORMAT), "" for none.
    Formatting took some 9 µs a date; each is kept a process by the date, the format and
    the language (what the words depend on), none of it the reader's (issue 16)."""
    if not value:
        return ""
    return _shown_date(value, get_format("DATE_FORMAT"), translation.get_language())


# The columns a worktray row shows (`worktray_rows`); the names are scalar subqueries by key
# (`worktray.row_annotations`) and the auditor's name is read beside them. A page that has
# its teams named already (a team or service manager's, `Worktray.teams`) reads each row's
# team id instead (`row_columns`).
ROW_COLUMNS = (
    "pk",
    "status",
    "due_on",
    "what",
    "received_on",
    "carried_by_team_manager",
    "case_external_id",
    "team_name",
    "owner_id",
    "owner_name",
    "worker_id",
    "worker_name",
    "audit_id",
)


def row_columns(*, teams_named: bool) -> tuple[str, ...]:
    """`ROW_COLUMNS`, with the team's id in place of its name where the page knows the names."""
    if not teams_named:
        return ROW_COLUMNS
    return tuple("team_id" if c == "team_name" else c for c in ROW_COLUMNS)


def truncate_words(text: str, length: int) -> str:
    """`Truncator(text).words(length, truncate=" …")`, as Django gives it (whitespace made
    single spaces), without its lazy object a row."""
    words = text.split()
    if len(words) > length:
        return add_truncation_text(" ".join(words[:length]), " …")
    return " ".join(words)


SIGN_OFF = (
    '<td class="govuk-table__cell"><div class="govuk-checkboxes govuk-checkboxes--small" '
    'data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">'
    '<input class="govuk-checkboxes__input" id="sign-off-{pk}" name="actions" '
    'type="checkbox" value="{pk}"><label class="govuk-label govuk-checkboxes__label" '
    'for="sign-off-{pk}"><span class="govuk-visually-hidden">Sign off action {pk} on case '
    "{case_id}</span></label></div></div></td>"
)
NO_SIGN_OFF = '<td class="govuk-table__cell"></td>'
CELL = '<td class="govuk-table__cell">'


def _escaped(value) -> str:
    """As `conditional_escape` (what `format_html` does to each value), without its lazy
    wrapping: a page escapes some seven hundred values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def table_body(rows: list[SafeString]) -> SafeString:
    """The rows as one string, laid out as the template's loop over them laid them out."""
    return mark_safe("".join(f"\n      {row}\n    " for row in rows))  # noqa: S308 - each row is safe


def worktray_rows(
    rows,
    *,
    auditors: dict[int, str],
    today: dt.date,
    may_sign_off: bool,
    team_names: dict[int, str] | None = None,
) -> list[SafeString]:
    """A page of `ROW_COLUMNS` tuples as the worktray's table rows (each value escaped as
    `format_html` would); `auditors`: the auditor's name by audit. The team manager, who
    signs off, has a box to tick on each fulfilled action. With `team_names`, each row holds
    its team's id (`row_columns(teams_named=True)`) and is named from them."""
    days: dict[dt.date, str] = {}  # a page's rows share a few dozen dates, each shown escaped

    def day(value: dt.date | None) -> str:
        if not value:
            return ""
        if value not in days:
            days[value] = escape(shown_date(value))
        return days[value]

    detail_head, detail_tail = (escape(part) for part in _between("remediation:detail", "0"))
    case_head, case_tail = _between("reporting:case", "CASEID")
    # Each state's tag, escaped once a page.
    tags: dict[tuple[str, bool], str] = {}
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
        late = status in LATE and due_on < today
        tag = tags.get((status, late))
        if tag is None:
            tag_class, words = status_tag(status, due_on, today)
            tag = tags[status, late] = (
                f'<strong class="govuk-tag govuk-tag--{escape(tag_class)}">{escape(words)}'
            )
        case_id = _escaped(external_id)
        sign_off = ""
        if may_sign_off:
            sign_off = (
                SIGN_OFF.format(pk=pk, case_id=case_id)
                if status == ActionStatus.FULFILLED
                else NO_SIGN_OFF
            )
        if team_names is not None:
            team = team_names.get(team, "")
        auditor = auditors.get(audit_id, "") if audit_id else ""
        found.append(
            mark_safe(  # noqa: S308 - every value is escaped as format_html would
                f'<tr class="govuk-table__row">{sign_off}{CELL}{day(due_on)}</td>'
                f'{CELL}<a class="govuk-link" href="{detail_head}{pk}{detail_tail}">'
                f"{_escaped(truncate_words(what, 16))}</a></td>"
                f'{CELL}<a class="govuk-link" '
                f'href="{_escaped(case_head + quote(external_id, safe=URL_SAFE) + case_tail)}">'
                f"{case_id}</a></td>"
                f"{CELL}{_escaped(auditor)}, {day(received_on)}</td>"
                f"{CELL}{_escaped(team)}</td>{CELL}{_escaped(carrier)}</td>"
                f"{CELL}{tag}</strong></td></tr>"
            )
        )
    return found


@lru_cache(maxsize=4096)
def _grouped(value: int, language) -> str:
    from django.contrib.humanize.templatetags.humanize import intcomma

    return intcomma(value)


def grouped(value: int) -> str:
    """`value|intcomma` for a whole number, kept a process by the number and the language
    (the separator is the language's): the filter took some 25 µs (issue 16)."""
    return _grouped(int(value), translation.get_language())


def team_options(teams, team_id: int | None) -> SafeString:
    """The worktray's choice of team: `<option>`s for the teams, the one shown selected (as
    the template's loop over them gave, each name escaped)."""
    return mark_safe(  # noqa: S308 - the names are escaped
        "".join(
            f'<option value="{int(team.pk)}"{" selected" if team.pk == team_id else ""}>'
            f"{_escaped(team.name)}</option>"
            for team in teams
        )
    )


def worktray_caption(paged) -> str:
    """The worktray table's caption: how many actions, and which are shown (plain text,
    escaped by the template)."""
    count = paged.page.paginator.count
    caption = f"{grouped(count)} action{'' if count == 1 else 's'}"
    if paged.several:
        caption += f", {grouped(paged.page.start_index())} to {grouped(paged.page.end_index())}"
        caption += " shown"
    return caption


@lru_cache(maxsize=1024)
def _address_for(name: str, args: tuple, prefix: str, urlconf, language) -> str:
    return reverse(name, args=list(args))


def address(name: str, *args: str) -> str:
    """`reverse(name, args=args)` (text arguments), kept a process by what an address
    depends on (the script prefix, the URLconf and the language, as `_between`): a page's
    `{% url %}` took some 0.1 ms each (issue 16)."""
    return _address_for(name, args, get_script_prefix(), get_urlconf(), translation.get_language())
