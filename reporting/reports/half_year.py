"""What the six-monthly report shows (Leeds Appendix A-B): the narrative QA staff wrote, and
beside it the figures of the six months, which fill themselves in: the cohort (completion of
the months' audits), the findings (quality, actions, learning, safeguarding, consistency),
and Appendix B, the action plan remediation keeps. A draft shows today's figures; a
published report the figures fixed when it was published."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from remediation.selectors import plan_items

from ..dashboard.build import build_sections
from ..dashboard.filters import span_filters
from ..dashboard.scope import ReaderScope
from ..dashboard.tables import Column, Table
from ..models import HalfYearReport
from . import render

WHOLE = ReaderScope(whole=True, team_ids=frozenset(), label="the whole authority")
COHORT = ("completion",)
FINDINGS = ("quality", "actions", "learning", "safeguarding", "consistency")


def half_year_months(start: dt.date) -> tuple[dt.date, dt.date]:
    return start, dt.date(start.year, start.month + 5, 1)


def plan_table(half_year: dt.date) -> Table:
    """Appendix B as Leeds sets it out: title, action, action to date, responsible officer,
    date completed, approved by."""
    table = Table(
        key="action-plan",
        caption="Appendix B: action plan",
        columns=[
            Column("title", "Title", "text"),
            Column("action", "Action to be taken", "text"),
            Column("to_date", "Action taken to date", "text"),
            Column("officer", "Responsible officer", "text"),
            Column("completed", "Date completed", "text"),
            Column("approved", "Approved by", "text"),
        ],
    )
    for item in plan_items(half_year=half_year):
        table.add(
            [
                item.title,
                item.action,
                item.taken_to_date,
                item.responsible_officer.full_name,
                f"{item.completed_on:%d %B %Y}" if item.completed_on else "",
                item.approved_by.full_name if item.approved_by else "",
            ]
        )
    return table


def half_year_table_url(half_year: dt.date):
    def download(key: str, fmt: str) -> str:
        return reverse("reporting:half-year-report-table", args=[f"{half_year:%Y-%m}", key, fmt])

    download.do_not_call_in_templates = True
    return download


def half_year_context(*, report: HalfYearReport, today: dt.date, live: bool = False) -> dict:
    first, last = half_year_months(report.half_year)
    if report.is_published and not live:
        sections = render.sections_from(report.data)
        plan = Table.from_dict(report.data["plan"])
        as_of = report.as_of
    else:
        filters = span_filters(first=first, last=last, scope=WHOLE)
        sections = build_sections(scope=WHOLE, filters=filters, today=today)
        plan = plan_table(report.half_year)
        as_of = today
    by_key = {s.key: s for s in sections}
    completion = by_key.get("completion")
    allocated = completion.figures[0].value if completion and completion.figures else 0
    quality = by_key.get("quality")
    graded = quality.figures[0].value if quality and quality.figures else 0
    label = render.half_year_label(report.half_year)
    return {
        "title": f"Six-monthly audit report, {label}",
        "label": label,
        "report": report,
        "first": first,
        "last": last,
        "as_of": as_of,
        "sections": sections,
        "cohort": [by_key[k] for k in COHORT if k in by_key],
        "findings": [by_key[k] for k in FINDINGS if k in by_key],
        "plan": plan,
        "allocated": allocated,
        "graded": graded,
        "download": half_year_table_url(report.half_year),
        "authority_name": _authority(),
        "now": timezone.now(),
    }


def _authority() -> str:
    from django.conf import settings

    return settings.AUTHORITY_NAME
