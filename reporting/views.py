from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from accounts import clock
from accounts.paging import paginate
from sampling.models import Case

from . import selectors

HOME_PAGE_SIZE = 10


def home(request: HttpRequest) -> HttpResponse:
    """Every signed-in person has a home page of what is theirs to do. Its lists show ten
    at a time, each with its own GOV.UK pagination, previous and next (?my_audits=2 and so
    on): no count, so the page costs the same queries however long the lists."""
    today = clock.today()
    context = selectors.home_context(user=request.user, today=today)
    for name in selectors.HOME_PAGED:
        if name in context:
            paged = paginate(
                request, context[name], per_page=HOME_PAGE_SIZE, param=name, numbered=False
            )
            context[f"{name}_paged"] = paged
            context[name] = paged.items
    if "my_audits" in context:
        context["my_audits"] = [(a, a.progress(today)) for a in context["my_audits"]]
    return render(request, "reporting/home.html", context)


def case_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    """A case: its facts, audits and actions, and whether anything on it is still open.
    Seen by QA staff, its team manager, the service managers over its team and its
    allocated worker; anyone else is told it does not exist."""
    case = get_object_or_404(
        Case.objects.select_related("team__service_area", "team__manager", "allocated_worker"),
        external_id=external_id,
    )
    if not selectors.may_view_case(user=request.user, case=case):
        raise Http404
    context = selectors.case_page(case=case, user=request.user, today=clock.today())
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

    Says nothing about the data; answers 503 when either check fails.
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
    if settings.DEBUG:
        body["debug"] = True
    return JsonResponse(body, status=200 if ok else 503)
