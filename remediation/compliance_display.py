"""The compliance review page's tables as the page shows them, worked out in Python
(issue 16): the summary's row for every team and the page's actions were most of the
page's time in the template (a dozen lookups, a `date`, `yesno` and `truncatewords` filter
a row). Each table is one string here, from plain values, each value escaped: the same
HTML as the template gave.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .display import shown_date, truncate_words
from .models import Outstanding

ROW = '<tr class="govuk-table__row">'
CELL = '<td class="govuk-table__cell">'
NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'
COUNTS = ("audits", "actions", "fulfilled", "completed", "authorised", "closed_by_decision")
LABELS = {key: str(label) for key, label in Outstanding.choices}


def summary_rows(teams: list, *, team_param: str) -> SafeString:
    """The summary's rows: each team, linked to the page its actions are on, and its
    counts (`selectors.review_summary`'s rows, each with its `page`)."""
    query = f"team={escape(team_param)}&amp;" if team_param else ""
    rows = []
    for row in teams:
        counts = "".join(f"{NUMERIC}{int(getattr(row, name))}</td>" for name in COUNTS)
        rows.append(
            f'{ROW}<th scope="row" class="govuk-table__header"><a class="govuk-link" '
            f'href="?{query}page={int(row.page)}#team-{int(row.team.pk)}">'
            f"{escape(row.team.name)}</a></th>{counts}{NUMERIC}{int(row.outstanding)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


def item_rows(items: list[tuple], days: dict | None = None) -> SafeString:
    """A team's actions at review (`selectors.review_page_items`' rows, as
    `PAGE_ITEM_COLUMNS`). `days`: the dates shown so far on the page and how they are shown
    (a page's actions share a few dozen dates), shared by its teams' tables."""
    days = {} if days is None else days

    def day(value) -> str:
        if value not in days:
            days[value] = shown_date(value)
        return days[value]

    rows = []
    for (
        _team,
        fulfilled,
        fulfilled_on,
        completed,
        authorised,
        closed_by_decision,
        outstanding,
        what,
        due_on,
        external_id,
    ) in items:
        done = "Yes" if fulfilled else "No"
        if fulfilled_on:
            done = f"{done}, {day(fulfilled_on)}"
        settled = "Yes" if authorised else "No"
        if closed_by_decision:
            settled = "Management Decision"
        if outstanding == Outstanding.NONE:
            tag = "–"
        else:
            words = escape(LABELS.get(outstanding, outstanding))
            tag = f'<strong class="govuk-tag govuk-tag--orange">{words}</strong>'
        rows.append(
            f"{ROW}{CELL}{escape(external_id)}</td>"
            f"{CELL}{escape(truncate_words(what, 14))}</td>{CELL}{day(due_on)}</td>"
            f"{CELL}{done}</td>{CELL}{'Yes' if completed else 'No'}</td>"
            f"{CELL}{settled}</td>{CELL}{tag}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
