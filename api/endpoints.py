"""The read-only API under /api/v1/ (issue 15), built with django-ninja.

Every dataset is paged (`page`, `page_size`), filtered by audit month (`period`, or
`period_from` and `period_to`, each YYYY-MM) and served as JSON or CSV (`format=csv`). A
request carries a per-integration key in the `X-API-Key` header, as `Authorization:
Bearer …`, or as the `api_key` query parameter that Power BI's "Web API" credential fills
in; the parameter never reaches a link, a log line or the record of pulls. Keys only read:
any other method is refused. Every request made with a key is recorded.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyHeader, APIKeyQuery, HttpBearer
from pydantic import create_model

from accounts import clock

from . import datasets, estimates
from .models import ApiKey, KeyReader
from .services import (
    HEADER,
    QUERY_PARAMETER,
    KeyRefused,
    api_key_check,
    api_pull_record,
    clean_query,
)

MAX_PAGE_SIZE = 5000


def _check(request: HttpRequest, key: str | None) -> ApiKey | None:
    if not settings.API_ENABLED:
        raise HttpError(404, "The API is switched off here.")
    if not key:
        return None  # let the next way of sending a key try
    try:
        record = api_key_check(presented=key, today=clock.today())
    except KeyRefused as refused:
        raise HttpError(401, str(refused)) from None
    request.api_key = record
    return record


class HeaderKey(APIKeyHeader):
    param_name = HEADER

    def authenticate(self, request, key):
        return _check(request, key)


class QueryKey(APIKeyQuery):
    param_name = QUERY_PARAMETER

    def authenticate(self, request, key):
        return _check(request, key)


class BearerKey(HttpBearer):
    def authenticate(self, request, token):
        return _check(request, token)


def _enabled_only(view):
    def wrapped(request, *args, **kwargs):
        if not settings.API_ENABLED:
            return HttpResponse("The API is switched off here.", status=404)
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Casefile Audit API",
    version="1",
    description=(
        "Read-only datasets for Power BI and other reporting tools: audits and their grades, "
        "remedial actions, completion by auditor and month, and the monthly estimates with "
        "their intervals. No child's name is held or served; staff names only to keys that "
        "read as QA staff. Paged, filtered by audit month, JSON or CSV."
    ),
    urls_namespace="api-v1",
    auth=[HeaderKey(), BearerKey(), QueryKey()],
    docs_decorator=_enabled_only,
)


@api.exception_handler(AuthenticationError)
def _no_key(request, exc):
    if not settings.API_ENABLED:
        return api.create_response(request, {"detail": "The API is switched off here."}, status=404)
    return api.create_response(
        request,
        {"detail": f"Send an API key in the {HEADER} header or the {QUERY_PARAMETER} parameter."},
        status=401,
    )


# Parameters and schemas --------------------------------------------------------------------


class Filters(Schema):
    period: str | None = Field(None, description="One audit month, YYYY-MM.", examples=["2026-11"])
    period_from: str | None = Field(None, description="The first audit month, YYYY-MM.")
    period_to: str | None = Field(None, description="The last audit month, YYYY-MM.")
    format: Literal["json", "csv"] = Field("json", description="json (default) or csv.")
    page: int = Field(1, ge=1)
    page_size: int = Field(500, ge=1, le=MAX_PAGE_SIZE)


class SectionGrade(Schema):
    key: str
    title: str
    grade: str | None
    grade_label: str | None


class AuditOut(Schema):
    audit_id: int
    case_id: str
    period: str
    service_area: str | None
    team: str | None
    case_type: str
    case_type_label: str
    form: str
    form_title: str
    form_version: int
    status: str
    status_label: str
    paired: bool
    overall_grade: str | None
    overall_grade_label: str | None
    sections: list[SectionGrade]
    allocated_on: str | None
    deadline: str | None
    started_on: str | None
    submitted_on: str | None
    finished_on: str | None
    closed_on: str | None
    auditor: str | None = Field(None, description="Only for keys that read as QA staff.")


class SectionRowOut(Schema):
    audit_id: int
    case_id: str
    period: str
    form: str
    section: str
    section_title: str
    grade: str | None
    grade_label: str | None


class ActionOut(Schema):
    action_id: int
    audit_id: int
    case_id: str
    period: str
    service_area: str
    team: str
    status: str
    status_label: str
    created_on: str | None
    received_on: str | None
    due_on: str | None
    done_on: str | None
    completed_on: str | None
    authorised_on: str | None
    closed_on: str | None
    overdue: bool
    carried_by_team_manager: bool
    team_manager: str | None = Field(None, description="Only for keys that read as QA staff.")
    worker: str | None = Field(None, description="Only for keys that read as QA staff.")


class CompletionOut(Schema):
    period: str
    auditor: str
    allocated: int
    in_progress: int
    done: int
    overdue: int
    exempted: int
    total: int


class EstimateOut(Schema):
    period: str
    form: str
    measure: str
    grade: str
    grade_label: str
    estimate: float
    lower: float
    upper: float
    standard_error: float
    effective_n: float
    sample_share: float
    audited: int
    drawn: int
    population: int
    population_covered: int
    strata: int
    method: str
    low_precision: bool


def _page_of(name: str, item: type) -> type:
    return create_model(
        name,
        __base__=Schema,
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        total_pages=(int, ...),
        next=(str | None, None),
        previous=(str | None, None),
        results=(list[item], ...),
    )


CSV_RESPONSE = {
    "responses": {
        "200": {"content": {"text/csv": {"schema": {"type": "string"}}}},
        "401": {"description": "No key, or a key unknown, revoked or expired."},
        "403": {"description": "The key's persona may not read this dataset."},
    }
}


# Serving a page ------------------------------------------------------------------------------


def _periods(filters: Filters) -> datasets.Periods:
    try:
        return datasets.periods(
            period=filters.period, period_from=filters.period_from, period_to=filters.period_to
        )
    except ValueError as bad:
        raise HttpError(400, str(bad)) from None


def _link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    query = clean_query(params)
    return request.build_absolute_uri(f"{request.path}?{query}")


def _refuse_reader(request: HttpRequest, name: str, readers: frozenset[str], filters) -> None:
    key: ApiKey = request.auth
    if key.reads_as not in readers:
        api_pull_record(
            key=key, dataset=name, params=request.GET, fmt=filters.format, status_code=403
        )
        raise HttpError(
            403,
            f"This key reads as {KeyReader(key.reads_as).label.split(' (')[0].lower()}, "
            f"who may not read the {name} dataset.",
        )


def _serve(
    request: HttpRequest,
    *,
    name: str,
    filters: Filters,
    rows: Callable[[list], list[dict[str, Any]]] | None = None,
    queryset: QuerySet | None = None,
    items: list[dict[str, Any]] | None = None,
    columns: list[str],
    csv_row: Callable[[dict], dict] = lambda row: row,
):
    """One page of a dataset, as JSON or CSV, and the pull recorded."""
    count = queryset.count() if queryset is not None else len(items)
    size = filters.page_size
    total_pages = max(1, math.ceil(count / size))
    start = (filters.page - 1) * size
    if queryset is not None:
        results = rows(list(queryset[start : start + size]))
    else:
        results = items[start : start + size]
    api_pull_record(
        key=request.auth, dataset=name, params=request.GET, fmt=filters.format, rows=len(results)
    )
    next_url = _link(request, filters.page + 1) if filters.page < total_pages else None
    previous_url = _link(request, filters.page - 1) if filters.page > 1 else None
    if filters.format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in results:
            writer.writerow(csv_row(row))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{name}-page-{filters.page}.csv"'
        response["X-Total-Count"] = str(count)
        response["X-Total-Pages"] = str(total_pages)
        if next_url:
            response["Link"] = f'<{next_url}>; rel="next"'
        return response
    return {
        "count": count,
        "page": filters.page,
        "page_size": size,
        "total_pages": total_pages,
        "next": next_url,
        "previous": previous_url,
        "results": results,
    }


def _today():
    return clock.today()


# The datasets ------------------------------------------------------------------------------


@api.get(
    "/audits",
    response=_page_of("AuditPage", AuditOut),
    summary="Audits: case ID, month, area, team, case type, form, grades, dates, state",
    openapi_extra=CSV_RESPONSE,
    tags=["datasets"],
)
def audits(request: HttpRequest, filters: Query[Filters]):
    """One row an audit. Grades appear once the auditor has submitted; the overall grade is
    the one that stands (the moderator's, else the pair's consensus, else the auditor's).
    In CSV the sections' grades share one cell as `key=grade; …`."""
    span = _periods(filters)
    reads_as, today = request.auth.reads_as, _today()
    return _serve(
        request,
        name="audits",
        filters=filters,
        queryset=datasets.AUDITS.queryset(span),
        rows=lambda page: [datasets.audit_row(a, reads_as, today) for a in page],
        columns=datasets.audit_columns(reads_as),
        csv_row=datasets.audit_csv_row,
    )


@api.get(
    "/audit-sections",
    response=_page_of("AuditSectionPage", SectionRowOut),
    summary="Each audit's section grades, one row a section",
    openapi_extra=CSV_RESPONSE,
    tags=["datasets"],
)
def audit_sections(request: HttpRequest, filters: Query[Filters]):
    """The audits' section grades, long rather than wide. Paged by audit: `page_size`
    counts audits, and each audit's sections come together."""
    span = _periods(filters)
    reads_as, today = request.auth.reads_as, _today()
    return _serve(
        request,
        name="audit-sections",
        filters=filters,
        queryset=datasets.AUDITS.queryset(span),
        rows=lambda page: [r for a in page for r in datasets.section_rows(a, reads_as, today)],
        columns=datasets.SECTION_COLUMNS,
    )


@api.get(
    "/actions",
    response=_page_of("ActionPage", ActionOut),
    summary="Remedial actions: state, due, done, team",
    openapi_extra=CSV_RESPONSE,
    tags=["datasets"],
)
def actions(request: HttpRequest, filters: Query[Filters]):
    """One row a remedial action, filtered by its audit's month. `overdue` is as of today."""
    span = _periods(filters)
    reads_as, today = request.auth.reads_as, _today()
    return _serve(
        request,
        name="actions",
        filters=filters,
        queryset=datasets.ACTIONS.queryset(span),
        rows=lambda page: [datasets.action_row(a, reads_as, today) for a in page],
        columns=datasets.action_columns(reads_as),
    )


@api.get(
    "/completion",
    response=_page_of("CompletionPage", CompletionOut),
    summary="Completion by auditor and month (keys that read as QA staff)",
    openapi_extra=CSV_RESPONSE,
    tags=["datasets"],
)
def completion(request: HttpRequest, filters: Query[Filters]):
    """Allocated, in progress, done, overdue and exempted audits for each auditor and month
    (P&Q 28). It names auditors, so only keys that read as QA staff may read it."""
    _refuse_reader(request, "completion", datasets.COMPLETION_READERS, filters)
    span = _periods(filters)
    return _serve(
        request,
        name="completion",
        filters=filters,
        items=datasets.completion_rows(span, _today()),
        columns=datasets.COMPLETION_COLUMNS,
    )


@api.get(
    "/estimates",
    response=_page_of("EstimatePage", EstimateOut),
    summary="Monthly estimates for every open case, with intervals",
    openapi_extra=CSV_RESPONSE,
    tags=["datasets"],
)
def monthly_estimates(request: HttpRequest, filters: Query[Filters]):
    """For each month's confirmed sample and each overall grade: the estimated share of all
    open cases at that grade or better, with its 95% interval and the raw share of the
    audits behind it (Bury 2.1). `method` names the interval."""
    span = _periods(filters)
    return _serve(
        request,
        name="estimates",
        filters=filters,
        items=estimates.monthly_estimates(span=span),
        columns=estimates.COLUMNS,
    )


# Keys only read ----------------------------------------------------------------------------

WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def _read_only(name: str):
    def refuse(request: HttpRequest):
        api_pull_record(
            key=request.auth,
            dataset=name,
            params=request.GET,
            method=request.method,
            status_code=403,
        )
        raise HttpError(403, "API keys only read: this key's scope is read.")

    refuse.__name__ = f"refuse_write_{name.replace('-', '_')}"
    return refuse


for _path, _name in (
    ("/audits", "audits"),
    ("/audit-sections", "audit-sections"),
    ("/actions", "actions"),
    ("/completion", "completion"),
    ("/estimates", "estimates"),
):
    api.api_operation(WRITE_METHODS, _path, include_in_schema=False)(_read_only(_name))
