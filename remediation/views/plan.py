"""The action plan (Leeds Appendix B): read, edit and export."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import clock
from accounts.errors import RuleViolation
from audits.exports import FORMATS, table_response

from .. import access, selectors, services
from ..forms import PlanItemForm
from ..models import ActionPlanItem

# The action plan (Leeds Appendix B) ------------------------------------------------------


def _half_year(request: HttpRequest) -> dt.date:
    value = request.GET.get("half", "")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = clock.today()
    return services.half_year_of(day)


def _may_read_plan(request: HttpRequest) -> None:
    if not access.reads_figures(request.user):
        raise PermissionDenied


def plan(request: HttpRequest) -> HttpResponse:
    """The six-monthly action plan: title, action to be taken, action taken to date,
    responsible officer, date completed, approved by (Leeds Appendix B)."""
    _may_read_plan(request)
    half = _half_year(request)
    previous = services.half_year_of(half - dt.timedelta(days=1))
    following = services.half_year_of(half + dt.timedelta(days=190))
    return render(
        request,
        "remediation/plan.html",
        {
            "half": half,
            "half_end": services.half_year_of(half + dt.timedelta(days=190)) - dt.timedelta(days=1),
            "previous": previous,
            "following": following,
            "items": selectors.plan_items(half_year=half),
            "is_qa": access.is_qa(request.user),
        },
    )


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """QA staff add or change a row of the action plan."""
    item = get_object_or_404(ActionPlanItem, pk=pk) if pk else None
    half = item.half_year if item else _half_year(request)
    form = PlanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.plan.PLAN_FIELDS}
        try:
            with transaction.atomic():
                saved = services.plan_item_save(
                    by=request.user, half_year=half, item=item, **fields
                )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Saved “{saved.title}”.")
            return redirect(f"{reverse('remediation:plan')}?half={saved.half_year.isoformat()}")
    return render(
        request,
        "remediation/plan_edit.html",
        {"form": form, "item": item, "half": half},
    )


def plan_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The action plan as CSV or XLSX, to go with the six-monthly report."""
    _may_read_plan(request)
    if fmt not in FORMATS:
        raise Http404
    half = _half_year(request)
    rows = (
        (
            i.title,
            i.action,
            i.taken_to_date,
            i.responsible_officer.full_name,
            i.completed_on.isoformat() if i.completed_on else "",
            i.approved_by.full_name if i.approved_by_id else "",
        )
        for i in selectors.plan_items(half_year=half)
    )
    return table_response(
        filename=f"action-plan-{half:%Y-%m}",
        fmt=fmt,
        header=(
            "Title",
            "Action to be taken",
            "Action taken to date",
            "Responsible officer",
            "Date completed",
            "Action approved by",
        ),
        rows=rows,
    )
