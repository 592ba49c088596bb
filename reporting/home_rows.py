"""The home page's rows as it shows them, worked out in Python (issue 16).

Each row of the home page's lists was a dozen template lookups, a `{% url %}` (a
`reverse()` each), an included tag and `get_status_display` (which flattens the choices at
every call). Here a row is one string of HTML built with `format_html` (which escapes what
it is given) from the columns the list reads (`values_list`), the addresses from one
`reverse()` a process; the same HTML as the template made.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache, lru_cache
from urllib.parse import quote

from django.db.models import Func, OuterRef, QuerySet, Subquery, TextField
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from audits import lifecycle
from audits.display import PROGRESS_TAGS
from audits.models import FormVersion

# The columns a list of audits shows: the case, the auditor, the grade (in words, from the
# levels of its form version's overall scale, `grade_levels`) and the status.
AUDIT_ROW_COLUMNS = (
    "pk",
    "case_external_id",
    "auditor_name",
    "overall_grade",
    "grade_levels",
    "status",
)


class OverallLevels(Func):
    """The levels of a form version definition's overall scale (`definition["scales"]
    [definition["overall"]["scale"]]`), as JSON text, or NULL where it has none: a few
    hundred characters to decode rather than the whole definition (2-9 KB, which the home
    page decoded once a row, issue 16). PostgreSQL's jsonb operators; elsewhere SQLite's
    (and MySQL's) `json_extract`."""

    arity = 1
    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        definition, params = compiler.compile(self.source_expressions[0])
        scale = f"json_extract({definition}, '$.overall.scale')"
        sql = f"""json_extract({definition}, '$.scales."' || {scale} || '"')"""
        return sql, (*params, *params)

    def as_postgresql(self, compiler, connection, **extra_context):
        definition, params = compiler.compile(self.source_expressions[0])
        sql = f"(({definition} -> 'scales') -> ({definition} -> 'overall' ->> 'scale'))::text"
        return sql, (*params, *params)


def by_key(model, key: str, column: str) -> Subquery:
    """The `column` of the `model` row whose primary key is the outer query's `key`, as a
    subquery of one relation: PostgreSQL plans a join of four relations in more time than
    it takes to run it (issue 16), and reads a subquery in the select list only for the
    rows kept."""
    return Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(column))


def audit_row_values(audits: QuerySet) -> QuerySet:
    """`audits` as `AUDIT_ROW_COLUMNS` tuples. The case's reference, the auditor's name and
    the overall scale's levels are subqueries by key (`by_key`), not joins."""
    from accounts.models import User
    from sampling.models import Case

    levels = (
        FormVersion.objects.filter(pk=OuterRef("form_version_id"))
        .order_by()
        .annotate(levels=OverallLevels("definition"))
        .values("levels")
    )
    return audits.annotate(
        case_external_id=by_key(Case, "allocation__case_id", "external_id"),
        auditor_name=by_key(User, "allocation__auditor_id", "full_name"),
        grade_levels=Subquery(levels),
    ).values_list(*AUDIT_ROW_COLUMNS)


@lru_cache(maxsize=256)
def grade_labels(levels: str | None) -> dict:
    """The labels of an overall scale's levels (`OverallLevels`' JSON text) by value, the
    first of a value as `audits.models.overall_grade_label` finds it. Kept by the text
    itself (a few texts a process, one a form version), so no change can make it stale."""
    labels: dict = {}
    for level in json.loads(levels) if levels else ():
        labels.setdefault(level["value"], level["label"])
    return labels


# An auditor's allocations: its page, the case, the deadline and how far it has got.
ALLOCATION_ROW_COLUMNS = ("pk", "case__external_id", "deadline", "status", "started_at")

STATUS_LABELS = dict(lifecycle.CHOICES)


@cache
def address(name: str, marker: str = "0") -> tuple[str, str]:
    """The address of `name` for one argument, split around it: one reverse() a process
    (the URL configuration does not change while it runs)."""
    head, _, tail = reverse(name, args=[marker]).rpartition(marker)
    return head, tail


@cache
def fixed_address(name: str) -> str:
    """The address of a page without arguments, reversed once a process."""
    return reverse(name)


def audit_rows(rows) -> list[SafeString]:
    """A page of `AUDIT_ROW_COLUMNS` tuples as `templates/reporting/_audit_list.html`'s rows."""
    head, tail = address("audit:task-list")
    return [
        format_html(
            '<tr class="govuk-table__row">'
            '<td class="govuk-table__cell"><a class="govuk-link" href="{}{}{}">{}'
            '<span class="govuk-visually-hidden">: open the audit</span></a></td>'
            '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>'
            '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--blue">{}'
            "</strong></td></tr>",
            head,
            pk,
            tail,
            external_id,
            auditor or "",
            grade_labels(levels).get(grade) or "Not graded yet",
            STATUS_LABELS.get(status, status),
        )
        for pk, external_id, auditor, grade, levels, status in rows
    ]


def progress(status: str, deadline: dt.date | None, started_at, today: dt.date) -> str:
    """`Allocation.progress` for an allocated, unfinished allocation's columns."""
    if status != "allocated":
        return status
    if deadline is not None and deadline < today:
        return "overdue"
    return "in_progress" if started_at else "allocated"


def allocation_rows(rows, *, today: dt.date) -> list[SafeString]:
    """A page of `ALLOCATION_ROW_COLUMNS` tuples (allocated and not completed) as the home
    page's "Your audits" rows."""
    head, tail = address("audits:allocation")
    date_format = get_format("DATE_FORMAT")
    found = []
    for pk, external_id, deadline, status, started_at in rows:
        word = progress(status, deadline, started_at, today)
        colour, label = PROGRESS_TAGS.get(word, ("grey", capfirst(word)))
        found.append(
            format_html(
                '<tr class="govuk-table__row"><td class="govuk-table__cell">'
                '<a class="govuk-link" href="{}{}{}">{}</a></td>'
                '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">'
                '<strong class="govuk-tag govuk-tag--{}">{}</strong></td></tr>',
                head,
                pk,
                tail,
                external_id,
                dateformat.format(deadline, date_format) if deadline else "",
                colour,
                label,
            )
        )
    return found


def notice_rows(rows) -> list[SafeString]:
    """The newest notices (`accounts.selectors.newest_notices`: id, subject, sent) as the
    home page's list items."""
    from django.utils import timezone

    head, tail = address("accounts:notice-open")
    date_format = get_format("DATE_FORMAT")
    return [
        format_html(
            '<li><a class="govuk-link" href="{}{}{}">{}</a> '
            '<span class="govuk-body-s">({})</span></li>',
            head,
            pk,
            tail,
            subject,
            dateformat.format(timezone.localtime(created_at), date_format),
        )
        for pk, subject, created_at in rows
    ]


# A social worker's open cases: the case's page, its type and its team.
CASE_ROW_COLUMNS = ("external_id", "case_type", "team__name")


def case_rows(rows) -> list[SafeString]:
    """`CASE_ROW_COLUMNS` tuples as the home page's "Your cases" rows."""
    from remediation.display import URL_SAFE
    from sampling.models import CaseType

    head, tail = address("reporting:case", "CASEID")
    types = dict(CaseType.choices)
    return [
        format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell">'
            '<a class="govuk-link" href="{}{}{}">{}</a></td>'
            '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>',
            head,
            quote(external_id, safe=URL_SAFE),
            tail,
            external_id,
            types.get(case_type, case_type),
            team or "",
        )
        for external_id, case_type, team in rows
    ]


class _Addresses(dict):
    """The fixed addresses the home page links to, by the URL's name with "-" for ":" and
    "_" for "-" (`urls.reporting-dashboard` is not a template variable), each reversed on
    first use in a process."""

    def __missing__(self, key: str) -> str:
        value = self[key] = fixed_address(key.replace("_", "-").replace("-", ":", 1))
        return value


HOME_URLS = _Addresses()
