"""Writes of the reports (issue 13; SPEC §10; Bradford 4, P&Q 27, Leeds Appendix A-B).

- `sweep_build_monthly_reports(today=…)`: once every audit of a month is due (the day after
  the last deadline of its allocation), build the month's report as a dated, unchanging
  record (its figures, HTML, PDF and XLSX) and tell senior managers, heads of service and QA
  staff, with a link. Claims the month's allocation run first, so running it twice, late or
  on two workers at once makes one report and one notice each.
- `monthly_report_comment(...)`: QA staff add a commentary by making the next version from
  the same figures; earlier versions stay.
- `half_year_save(...)`, `half_year_publish(...)`: QA staff write the six-monthly report's
  narrative (draft) and publish it, which fixes its figures and makes its PDF and XLSX.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import Persona, User
from accounts.services import notify
from audits.models import AllocationRun, AllocationStatus, RunStatus

from ..dashboard.build import build_sections
from ..dashboard.filters import month_filters
from ..dashboard.scope import ReaderScope
from ..models import NARRATIVE, HalfYearReport, HalfYearReportEvent, HalfYearStatus, MonthlyReport
from . import render

WHOLE = ReaderScope(whole=True, team_ids=frozenset(), label="the whole authority")
# A month's report is built only for the months of the last year; older months are history.
LOOK_BACK_MONTHS = 12


def report_readers() -> list[User]:
    """Senior managers (with heads of service) and QA staff, who get the notices."""
    return list(
        User.objects.filter(
            is_active=True, groups__name__in=[Persona.SENIOR_MANAGER, Persona.QA_STAFF]
        )
        .distinct()
        .order_by("pk")
    )


def _month_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_due(*, today: dt.date) -> list[dt.date]:
    """Months of the last year with a confirmed allocation whose every deadline has passed,
    and no report yet (one query)."""
    runs = (
        AllocationRun.objects.filter(
            status=RunStatus.CONFIRMED, period__gte=_month_back(today, LOOK_BACK_MONTHS)
        )
        .annotate(
            last=Max(
                "allocations__deadline",
                filter=Q(allocations__status=AllocationStatus.ALLOCATED),
            )
        )
        .filter(last__lt=today)
        .exclude(period__in=MonthlyReport.objects.values("month"))
        .order_by("period")
        .values_list("period", flat=True)
    )
    return list(runs)


def _make(
    *,
    month: dt.date,
    version: int,
    as_of: dt.date,
    data: dict,
    commentary: str,
    by: User | None,
) -> MonthlyReport:
    context = render.monthly_context(
        month=month,
        version=version,
        as_of=as_of,
        sections=render.sections_from(data),
        commentary=commentary,
    )
    html, pdf, xlsx = render.monthly_files(context)
    return MonthlyReport.objects.create(
        month=month,
        version=version,
        as_of=as_of,
        data=data,
        commentary=commentary,
        html=html,
        pdf=pdf,
        xlsx=xlsx,
        created_by=by,
    )


def _url(month: dt.date, version: int | None = None) -> str:
    if version:
        return reverse("reporting:monthly-report-version", args=[f"{month:%Y-%m}", version])
    return reverse("reporting:monthly-report", args=[f"{month:%Y-%m}"])


@transaction.atomic
def monthly_report_build(*, month: dt.date, today: dt.date) -> MonthlyReport:
    """The month's first version, built now unless it exists (see the module's docstring)."""
    month = month.replace(day=1)
    # Claim the month: a second run waits here, then finds the report made.
    AllocationRun.objects.select_for_update().filter(period=month).first()
    existing = MonthlyReport.objects.filter(month=month, version=1).first()
    if existing is not None:
        return existing
    sections = build_sections(
        scope=WHOLE, filters=month_filters(month=month, scope=WHOLE), today=today
    )
    report = _make(
        month=month,
        version=1,
        as_of=today,
        data=render.sections_data(sections),
        commentary="",
        by=None,
    )
    notify(
        recipients=report_readers(),
        template="monthly-report-ready",
        key=f"monthly-report:{month:%Y-%m}",
        context={"month": month, "version": 1},
        url=_url(month),
    )
    return report


def sweep_build_monthly_reports(*, today: dt.date) -> list[MonthlyReport]:
    """Build the report of each month whose audits are all due (Bradford 4, P&Q 27)."""
    return [monthly_report_build(month=month, today=today) for month in months_due(today=today)]


@transaction.atomic
def monthly_report_comment(*, month: dt.date, by: User, commentary: str) -> MonthlyReport:
    """QA staff's commentary, published as the month's next version with the same figures;
    earlier versions stay as they were."""
    if not by.has_persona(Persona.QA_STAFF):
        raise RuleViolation("Only QA staff add a commentary to the monthly report.")
    commentary = commentary.strip()
    if not commentary:
        raise RuleViolation("Enter the commentary.")
    versions = list(
        MonthlyReport.objects.select_for_update().filter(month=month).order_by("-version")
    )
    if not versions:
        raise RuleViolation("There is no report for that month yet.")
    latest = versions[0]
    report = _make(
        month=month,
        version=latest.version + 1,
        as_of=latest.as_of,
        data=latest.data,
        commentary=commentary,
        by=by,
    )
    notify(
        recipients=report_readers(),
        template="monthly-report-ready",
        key=f"monthly-report:{month:%Y-%m}:v{report.version}",
        context={"month": month, "version": report.version},
        url=_url(month, report.version),
    )
    return report


# The six-monthly report ---------------------------------------------------------------------


def half_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_get(*, half_year: dt.date) -> HalfYearReport:
    """The half year's report, an empty draft the first time it is asked for."""
    if half_year.day != 1 or half_year.month not in (1, 7):
        raise RuleViolation("A six-monthly report starts on 1 January or 1 July.")
    report, _ = HalfYearReport.objects.get_or_create(half_year=half_year)
    return report


@transaction.atomic
def half_year_save(*, report: HalfYearReport, by: User, text: dict[str, str]) -> HalfYearReport:
    """QA staff save the narrative of a draft (Leeds Appendix A)."""
    if not by.has_persona(Persona.QA_STAFF):
        raise RuleViolation("Only QA staff write the six-monthly report.")
    report = HalfYearReport.objects.select_for_update().get(pk=report.pk)
    if report.is_published:
        raise RuleViolation("This report is published: its text can no longer change.")
    for key, _ in NARRATIVE:
        if key in text:
            setattr(report, key, text[key].strip())
    report.updated_by = by
    report.updated_at = timezone.now()
    report.save()
    return report


@transaction.atomic
def half_year_publish(*, report: HalfYearReport, by: User, today: dt.date) -> HalfYearReport:
    """Publish: the figures of the six months as they stand today are fixed with the
    narrative, and the PDF and XLSX are made. Refused twice, or with no introduction or
    findings written."""
    if not by.has_persona(Persona.QA_STAFF):
        raise RuleViolation("Only QA staff publish the six-monthly report.")
    report = HalfYearReport.objects.select_for_update().get(pk=report.pk)
    if HalfYearStatus.PUBLISHED not in HalfYearReport.TRANSITIONS[report.status]:
        raise RuleViolation("This report is already published.")
    missing = [
        label
        for key, label in NARRATIVE
        if key in ("introduction", "findings") and not getattr(report, key)
    ]
    if missing:
        raise RuleViolation(f"Write the {' and the '.join(m.lower() for m in missing)} first.")
    from .half_year import half_year_context

    context = half_year_context(report=report, today=today, live=True)
    report.data = render.sections_data(context["sections"])
    report.data["plan"] = context["plan"].to_dict()
    report.as_of = today
    report.pdf = render.pdf_bytes("pdf/half_year_report.html", context)
    report.xlsx = render.tables_xlsx(
        render.all_tables(context["sections"], [context["plan"]]),
        title=context["title"],
        notes=[f"Figures as they stood on {today:%d %B %Y}."],
    )
    previous = report.status
    report.status = HalfYearStatus.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = by
    report.save()
    HalfYearReportEvent.objects.create(
        report=report, from_status=previous, to_status=report.status, by=by, why="Published"
    )
    notify(
        recipients=report_readers(),
        template="half-year-report-published",
        key=f"half-year-report:{report.half_year:%Y-%m}",
        context={"report": report, "label": render.half_year_label(report.half_year)},
        url=reverse("reporting:half-year-report", args=[f"{report.half_year:%Y-%m}"]),
    )
    return report
