"""The dashboard's pages: the dashboard itself, each of its tables as CSV or XLSX, and the
list behind each figure. Senior managers, heads of service and QA staff read the whole
authority, a service manager their area, a team manager their teams; anyone else is refused
(403). See `reporting.dashboard.scope`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import clock
from sampling.models import CaseType

from .build import SECTION_TITLES, build_sections, section_of_table
from .cache import cached_figures, version_and_teams
from .drilldown import KINDS, BadList, drill_list
from .filter_html import filter_options
from .filters import PERIODS, Filters, read_filters
from .scope import ReaderScope, reader_scope
from .tables import find_table, table_csv, tables_xlsx

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _reader(request: HttpRequest) -> ReaderScope:
    scope = reader_scope(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


def _filters(request: HttpRequest, scope: ReaderScope) -> Filters:
    return read_filters(request.GET, scope=scope, today=clock.today())


def download_response(content: str | bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures for the period and filters in the URL, each with the list behind it."""
    scope = _reader(request)
    today = clock.today()
    version, teams = version_and_teams(scope)
    filters = read_filters(request.GET, scope=scope, today=today, teams=teams)
    query = filters.query()

    def download(key: str, fmt: str) -> str:
        return f"{reverse('reporting:dashboard-table', args=[key, fmt])}?{query}"

    download.do_not_call_in_templates = True

    def render_figures() -> str:
        sections = build_sections(
            scope=scope, filters=filters, today=today, summarised=True, full=False
        )
        return render_to_string(
            "reporting/dashboard/_sections.html",
            {"sections": sections, "download": download, "print_version": False},
        )

    return render(
        request,
        "reporting/dashboard/dashboard.html",
        {
            "scope": scope,
            "filters": filters,
            "figures": cached_figures(
                scope=scope, filters=filters, today=today, render=render_figures, version=version
            ),
            "periods": PERIODS,
            "case_types": CaseType.choices,
            "section_titles": SECTION_TITLES,
            **filter_options(filters=filters, periods=PERIODS, case_types=CaseType.choices),
        },
        status=200,
    )


def table_download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """One of the dashboard's tables, for the same filters, as CSV or XLSX."""
    scope = _reader(request)
    section = section_of_table(key)
    if fmt not in CONTENT_TYPES or section is None:
        raise Http404
    filters = _filters(request, scope)
    sections = build_sections(
        scope=scope, filters=filters, today=clock.today(), only=[section], summarised=True
    )
    table = find_table(sections, key)
    if table is None:
        raise Http404
    name = f"{key}-{filters.start:%Y-%m}"
    if len(filters.months) > 1:
        name += f"-to-{filters.last_month:%Y-%m}"
    if fmt == "csv":
        return download_response(table_csv(table), fmt, name)
    notes = [f"Period: {filters.description}", f"Scope: {scope.label}"]
    return download_response(tables_xlsx([table], title=table.caption, notes=notes), fmt, name)


def drill(request: HttpRequest, kind: str) -> HttpResponse:
    """The list behind a figure, showing only what the reader may see; `?format=csv` or
    `xlsx` downloads every row."""
    scope = _reader(request)
    if kind not in KINDS:
        raise Http404
    filters = _filters(request, scope)
    fmt = request.GET.get("format", "")
    try:
        result = drill_list(
            kind=kind,
            user=request.user,
            scope=scope,
            filters=filters,
            params=request.GET,
            today=clock.today(),
            page=request.GET.get("page", 1),
            everything=fmt in CONTENT_TYPES,
        )
    except BadList as error:
        raise Http404 from error
    if fmt in CONTENT_TYPES:
        name = f"{kind}-{filters.start:%Y-%m}"
        if fmt == "csv":
            return download_response(table_csv(result.table), fmt, name)
        return download_response(tables_xlsx([result.table], title=result.title), fmt, name)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reporting/dashboard/list.html",
        {
            "result": result,
            "filters": filters,
            "scope": scope,
            "query": params.urlencode(),
            "back": f"{reverse('reporting:dashboard')}?{filters.query()}",
        },
    )
