from __future__ import annotations

import time

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts import clock
from accounts.paging import paginate

from . import case_reads, home_rows, selectors

HOME_PAGE_SIZE = 10


def home(request: HttpRequest) -> HttpResponse:
    """Every signed-in person has a home page of what is theirs to do. Its lists show ten
    at a time, each with its own GOV.UK pagination, previous and next (?my_audits=2 and so
    on): no count, so the page costs the same queries however long the lists."""
    today = clock.today()
    context = selectors.home_context(user=request.user, today=today)
    selectors.read_together(
        context, {name: _page_window(request, name) for name in selectors.HOME_PAGED}
    )
    for name in selectors.HOME_PAGED:
        if name in context:
            paged = paginate(
                request, context[name], per_page=HOME_PAGE_SIZE, param=name, numbered=False
            )
            context[f"{name}_paged"] = paged
            context[name] = paged.items
    if "my_audits" in context:
        context["my_audits"] = home_rows.allocation_rows(context["my_audits"], today=today)
    for name in ("audits_with_me", "audits_for_comment"):
        if name in context:
            context[name] = home_rows.audit_rows(context[name])
    context["urls"] = home_rows.HOME_URLS
    return render(request, "reporting/home.html", context)


def _page_window(request: HttpRequest, name: str) -> tuple[int, int]:
    """The rows `paginate` reads of a home list for this request's page of it (ten, and one
    more to know if there is a next page). Should the two ever differ, the list is read on
    its own, as it would be without this."""
    wanted = request.GET.get(name, "")
    start = (max(1, int(wanted)) - 1) * HOME_PAGE_SIZE if wanted.isdigit() else 0
    return start, start + HOME_PAGE_SIZE + 1


def case_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    """A case: its facts, audits and actions, and whether anything on it is still open.
    Seen by QA staff, its team manager, the service managers over its team and its
    allocated worker; anyone else is told it does not exist, in the same words as for a
    case that does not exist (even with debug on: issue 14)."""
    case = case_reads.case_for_page(external_id)
    if case is None or not case_reads.may_view_case(user=request.user, case=case):
        raise Http404("No such case.")
    context = case_reads.case_page(case=case, user=request.user, today=clock.today())
    return render(request, "reporting/case.html", context)


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement is public."""
    return render(request, "reporting/accessibility.html")


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice is public."""
    return render(request, "reporting/privacy.html")


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For a load balancer, unauthenticated: is the database up, is the broker reachable?

    Says nothing about the data or the settings; answers 503 when either check fails.
    """
    checks: dict[str, dict] = {}
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True}
    except Exception as exc:  # any failure means unhealthy
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        from config.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = {"ok": True, "transport": conn.transport_cls}
    except Exception as exc:
        checks["broker"] = {"ok": False, "error": exc.__class__.__name__}
    ok = all(c["ok"] for c in checks.values())
    body = {
        "status": "ok" if ok else "unhealthy",
        "checks": checks,
        "seconds": round(time.monotonic() - started, 3),
    }
    return JsonResponse(body, status=200 if ok else 503)


def methodology(request: HttpRequest) -> HttpResponse:
    """How the population estimates and agreement figures are made, in plain words, for
    those who read the reports: senior managers, heads of service, QA staff, service and
    team managers. Social workers and auditors alone are refused (403)."""
    if not selectors.may_read_estimates(user=request.user):
        raise PermissionDenied
    from .estimates import estimate_limits

    limits = estimate_limits()
    return render(
        request,
        "reporting/methodology.html",
        {"limits": limits, "max_width_points": round(limits.max_width * 100)},
    )
