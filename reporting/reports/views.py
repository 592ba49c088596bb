"""The monthly and six-monthly reports' pages. Both cover the whole authority, so senior
managers, heads of service and QA staff read them; anyone else is refused (403). QA staff
add the monthly commentary and write, preview and publish the six-monthly report."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import clock
from accounts.errors import RuleViolation

from ..dashboard.filters import parse_month
from ..dashboard.scope import ReaderScope, reader_scope
from ..dashboard.tables import find_table, table_csv, tables_xlsx
from ..dashboard.views import CONTENT_TYPES, download_response
from ..models import NARRATIVE, HalfYearReport, MonthlyReport
from . import render as render_report
from . import services
from .half_year import half_year_context

PDF = "application/pdf"


def _reader(request: HttpRequest) -> ReaderScope:
    scope = reader_scope(request.user)
    if scope is None or not scope.reads_reports:
        raise PermissionDenied
    return scope


def _writer(request: HttpRequest) -> ReaderScope:
    scope = _reader(request)
    if not scope.writes_reports:
        raise PermissionDenied
    return scope


def _month(text: str) -> dt.date:
    month = parse_month(text)
    if month is None:
        raise Http404
    return month


def _version(month: dt.date, version: int | None) -> MonthlyReport:
    reports = MonthlyReport.objects.filter(month=month)
    report = (reports.filter(version=version) if version else reports.order_by("-version")).first()
    if report is None:
        raise Http404
    return report


def monthly_list(request: HttpRequest) -> HttpResponse:
    """Every month's report, newest first, with its versions."""
    scope = _reader(request)
    months: dict[dt.date, list] = {}
    for row in MonthlyReport.objects.order_by("-month", "-version").values(
        "month", "version", "as_of", "created_at", "commentary"
    ):
        months.setdefault(row["month"], []).append(row)
    return render(
        request, "reporting/reports/monthly_list.html", {"months": months, "scope": scope}
    )


def monthly_detail(request: HttpRequest, month: str, version: int | None = None) -> HttpResponse:
    """A version of a month's report (the latest without a version), as it was kept."""
    scope = _reader(request)
    report = _version(_month(month), version)
    versions = list(
        MonthlyReport.objects.filter(month=report.month)
        .order_by("-version")
        .values("version", "created_at", "commentary")
    )
    return render(
        request,
        "reporting/reports/monthly_detail.html",
        {"report": report, "versions": versions, "scope": scope},
    )


def monthly_file(request: HttpRequest, month: str, version: int, fmt: str) -> HttpResponse:
    _reader(request)
    report = _version(_month(month), version)
    name = f"monthly-report-{report.month:%Y-%m}-v{report.version}"
    if fmt == "pdf":
        response = HttpResponse(bytes(report.pdf), content_type=PDF)
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        return download_response(bytes(report.xlsx), fmt, name)
    raise Http404


def monthly_table(
    request: HttpRequest, month: str, version: int, key: str, fmt: str
) -> HttpResponse:
    """One table of a kept report, as CSV or XLSX."""
    _reader(request)
    report = _version(_month(month), version)
    table = find_table(render_report.sections_from(report.data), key)
    if table is None or fmt not in CONTENT_TYPES:
        raise Http404
    name = f"{key}-{report.month:%Y-%m}-v{report.version}"
    if fmt == "csv":
        return download_response(table_csv(table), fmt, name)
    return download_response(tables_xlsx([table], title=table.caption), fmt, name)


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label="Commentary",
        help_text="What the figures show and what should follow. It is published as a new "
        "version of the report; earlier versions stay as they were.",
        widget=forms.Textarea(attrs={"rows": 8, "class": "govuk-textarea"}),
        error_messages={"required": "Enter the commentary."},
    )


@require_http_methods(["GET", "POST"])
def monthly_comment(request: HttpRequest, month: str) -> HttpResponse:
    """QA staff add a commentary: the next version, from the same figures."""
    _writer(request)
    report = _version(_month(month), None)
    form = CommentaryForm(request.POST or None, initial={"commentary": report.commentary})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.monthly_report_comment(
                month=report.month, by=request.user, commentary=form.cleaned_data["commentary"]
            )
        except RuleViolation as refused:
            form.add_error("commentary", str(refused))
        else:
            messages.success(request, f"Version {new.version} published with your commentary.")
            return redirect("reporting:monthly-report", month=f"{new.month:%Y-%m}")
    return render(
        request, "reporting/reports/monthly_comment.html", {"report": report, "form": form}
    )


# The six-monthly report ---------------------------------------------------------------------


def _half_year(text: str) -> dt.date:
    start = parse_month(text)
    if start is None or start.month not in (1, 7):
        raise Http404
    return start


def half_year_list(request: HttpRequest) -> HttpResponse:
    """The half years: the current one and the last two years' (drafts for QA staff)."""
    scope = _reader(request)
    today = clock.today()
    current = services.half_year_start(today)
    starts = [current]
    for _ in range(3):
        previous = starts[-1]
        starts.append(
            dt.date(previous.year - (previous.month == 1), 7 if previous.month == 1 else 1, 1)
        )
    reports = {r.half_year: r for r in HalfYearReport.objects.filter(half_year__in=starts)}
    rows = [
        (start, render_report.half_year_label(start), reports.get(start))
        for start in starts
        if scope.writes_reports or (reports.get(start) and reports[start].is_published)
    ]
    return render(request, "reporting/reports/half_year_list.html", {"rows": rows, "scope": scope})


def _report_for(request: HttpRequest, scope: ReaderScope, half: str) -> HalfYearReport:
    start = _half_year(half)
    report = HalfYearReport.objects.filter(half_year=start).first()
    if report is None and scope.writes_reports:
        report = services.half_year_get(half_year=start)
    if report is None or (not report.is_published and not scope.writes_reports):
        raise Http404
    return report


def half_year_detail(request: HttpRequest, half: str) -> HttpResponse:
    """The report as it reads: published, or a draft's preview for QA staff."""
    scope = _reader(request)
    report = _report_for(request, scope, half)
    context = half_year_context(report=report, today=clock.today())
    return render(request, "reporting/reports/half_year_detail.html", {**context, "scope": scope})


def half_year_file(request: HttpRequest, half: str, fmt: str) -> HttpResponse:
    scope = _reader(request)
    report = _report_for(request, scope, half)
    name = f"six-monthly-report-{report.half_year:%Y-%m}"
    if report.is_published:
        content = bytes(report.pdf) if fmt == "pdf" else bytes(report.xlsx)
    else:
        context = half_year_context(report=report, today=clock.today())
        if fmt == "pdf":
            content = render_report.pdf_bytes("pdf/half_year_report.html", context)
        else:
            content = tables_xlsx(
                render_report.all_tables(context["sections"], [context["plan"]]),
                title=context["title"],
            )
        name += "-draft"
    if fmt == "pdf":
        response = HttpResponse(content, content_type=PDF)
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        return download_response(content, fmt, name)
    raise Http404


def half_year_table(request: HttpRequest, half: str, key: str, fmt: str) -> HttpResponse:
    scope = _reader(request)
    report = _report_for(request, scope, half)
    context = half_year_context(report=report, today=clock.today())
    table = context["plan"] if key == "action-plan" else find_table(context["sections"], key)
    if table is None or fmt not in CONTENT_TYPES:
        raise Http404
    name = f"{key}-{report.half_year:%Y-%m}"
    if fmt == "csv":
        return download_response(table_csv(table), fmt, name)
    return download_response(tables_xlsx([table], title=table.caption), fmt, name)


class NarrativeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in NARRATIVE:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6, "class": "govuk-textarea"}),
            )


@require_http_methods(["GET", "POST"])
def half_year_edit(request: HttpRequest, half: str) -> HttpResponse:
    """QA staff write the narrative sections; the figures fill themselves in."""
    scope = _writer(request)
    report = _report_for(request, scope, half)
    if report.is_published:
        raise PermissionDenied
    initial = {key: getattr(report, key) for key, _ in NARRATIVE}
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.half_year_save(report=report, by=request.user, text=form.cleaned_data)
        messages.success(request, "Saved. Preview the report below, then publish it.")
        return redirect("reporting:half-year-report", half=half)
    return render(
        request,
        "reporting/reports/half_year_edit.html",
        {"report": report, "form": form, "label": render_report.half_year_label(report.half_year)},
    )


@require_POST
def half_year_publish(request: HttpRequest, half: str) -> HttpResponse:
    scope = _writer(request)
    report = _report_for(request, scope, half)
    try:
        services.half_year_publish(report=report, by=request.user, today=clock.today())
    except RuleViolation as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Published. Senior managers have been told.")
    return redirect("reporting:half-year-report", half=half)
