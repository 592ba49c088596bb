from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import clock
from accounts.errors import RuleViolation
from accounts.paging import paginate, pagination
from accounts.selectors import policy_get, pool_members, year_plan
from sampling.models import Sample

from .. import display, selectors, services
from ..exports import FORMATS, table_response
from ..forms import ExemptionDecisionForm, ExemptionRequestForm, MoveForm, PlaceForm
from ..models import Allocation, AllocationRun, ExemptionRequest, ExemptionStatus


def _month_url(period: dt.date) -> str:
    return f"{period:%Y-%m}"


@permission_required("accounts.conduct_audits", raise_exception=True)
def my_allocations(request: HttpRequest) -> HttpResponse:
    """Pool members see their own allocations, and nobody else's."""
    today = clock.today()
    allocations = list(selectors.allocations_of(auditor=request.user)[:200])
    rows = [(a, a.progress(today)) for a in allocations]
    return render(request, "audits/mine.html", {"rows": rows, "today": today})


@permission_required("accounts.manage_allocation", raise_exception=True)
def allocation_index(request: HttpRequest) -> HttpResponse:
    """QA staff pick the month to allocate: every month with a confirmed sample and no
    confirmed allocation is listed first, with its link; and see the year's plan of rest
    months where the policy caps a year's audits (P&Q 2-3)."""
    today = clock.today()
    runs = list(AllocationRun.objects.filter(kind="monthly").order_by("-period")[:24])
    thematic = list(
        Sample.objects.filter(kind="thematic", status="confirmed")
        .annotate(
            run_status=Subquery(
                AllocationRun.objects.filter(sample=OuterRef("pk")).values("status")[:1]
            )
        )
        .order_by("-period", "name")[:24]
    )
    policy = policy_get()
    plan = year_plan(year=today.year) if policy.yearly_cap is not None else None
    return render(
        request,
        "audits/allocation_index.html",
        {
            "runs": runs,
            "waiting": list(selectors.months_to_allocate()),
            "plan": plan,
            "thematic": thematic,
            "policy": policy,
            "year": today.year,
        },
    )


ALLOCATIONS_A_PAGE = 25  # rows of the review table (each has its tags, reasons and link)


@permission_required("accounts.manage_allocation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def allocation_review(request: HttpRequest, period: dt.date) -> HttpResponse:
    """QA staff propose, review and confirm a month's allocation (SPEC §4)."""
    today = clock.today()
    if request.method == "POST":
        run = selectors.run_for(period=period)
        action = request.POST.get("action")
        try:
            if action == "propose":
                run = services.allocation_propose(period=period, today=today, by=request.user)
                messages.success(request, f"The allocation for {period:%B %Y} is proposed.")
            elif action == "confirm" and run is not None:
                # The worker confirms and sends; the sending page follows the notices.
                services.allocation_confirm_enqueue(run=run, by=request.user, today=today)
                return redirect("audits:sending", period=_month_url(period))
            else:
                raise RuleViolation("Choose to propose or to confirm the allocation.")
        except RuleViolation as refused:
            messages.error(request, str(refused))
        return redirect("audits:review", period=_month_url(period))
    run = selectors.review_run(period=period)
    context = {"period": period, "run": run, "today": today}
    if run is None:
        context["sample"] = selectors.confirmed_sample(period=period)
    else:
        # The table is shown a page at a time, so the page costs the same for any sample.
        context["paged"] = paged = paginate(
            request,
            selectors.AllocationTable(run.pk, run.total),
            per_page=ALLOCATIONS_A_PAGE,
            count=run.total,
        )
        # The two long tables' rows are built in Python: most of the page's time in a template.
        context["allocation_rows"] = display.allocation_rows(paged.items)
        # `{% include "_pagination.html" %}`, built in Python (`accounts.paging.pagination`).
        context["pagination"] = pagination(paged, "Pages of cases and their auditors")
        # The auditors' loads (every available auditor: 111 at the demo's size) are shown
        # when asked for, so a page of the table does not read and show them each time.
        if request.GET.get("auditors") == "all":
            context["load_rows"] = display.load_rows(selectors.auditor_loads(run=run))
        else:
            query = request.GET.copy()
            query["auditors"] = "all"
            context["auditors_url"] = f"?{query.urlencode()}#auditors"
        context["unplaced"] = selectors.unplaced_rows(run=run)
    return render(request, "audits/review.html", context)


def _told_words(sending: selectors.Sending) -> str:
    parts = [
        f"{n} {word}{'' if n == 1 else 's'}"
        for n, word in (
            (sending.auditors, "auditor"),
            (sending.workers, "allocated worker"),
            (sending.managers, "team manager"),
        )
        if n
    ]
    if not parts:
        return "nobody"
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


@permission_required("accounts.manage_allocation", raise_exception=True)
def allocation_sending(request: HttpRequest, period: dt.date) -> HttpResponse:
    """QA staff follow the confirmation of a month's allocation and its notices going out."""
    run = selectors.run_for(period=period)
    if run is None:
        raise Http404
    sending = selectors.sending_progress(run=run)
    return render(
        request,
        "audits/sending.html",
        {"period": period, "run": run, "sending": sending, "told": _told_words(sending)},
    )


@permission_required("accounts.manage_allocation", raise_exception=True)
def allocation_sending_progress(request: HttpRequest, period: dt.date) -> JsonResponse:
    """How the notices stand, for the sending page's script to poll."""
    run = selectors.run_for(period=period)
    if run is None:
        raise Http404
    sending = selectors.sending_progress(run=run)
    if sending.confirmed:
        text = f"{sending.emailed} of {sending.created} emails sent."
    else:
        text = "Waiting for the worker to confirm the allocation."
    return JsonResponse({"finished": sending.finished, "percent": sending.percent, "text": text})


@permission_required("accounts.manage_allocation", raise_exception=True)
def allocation_export(request: HttpRequest, period: dt.date, fmt: str) -> HttpResponse:
    """QA staff download the month's sample with each case's auditors."""
    if fmt not in FORMATS:
        raise Http404
    run = selectors.run_for(period=period)
    sample = run.sample if run else selectors.confirmed_sample(period=period)
    if sample is None:
        raise Http404
    emails = selectors.auditor_emails_by_case(sample=sample)
    entries = sample.sample_cases.select_related("case__team__service_area").order_by(
        "case__external_id"
    )
    rows = (
        (
            e.case.external_id,
            e.case.get_case_type_display(),
            e.case.team.name if e.case.team_id else "",
            e.case.team.service_area.name if e.case.team_id else "",
            e.stratum,
            "; ".join(emails.get(e.case_id, [])),
        )
        for e in entries
    )
    return table_response(
        filename=f"sample-{_month_url(period)}-auditors",
        fmt=fmt,
        header=("Case ID", "Case type", "Team", "Service area", "Stratum", "Auditors"),
        rows=rows,
    )


def _allocation_for(request: HttpRequest, pk: int) -> Allocation:
    try:
        allocation = selectors.allocation_detail(pk=pk)
    except Allocation.DoesNotExist:
        raise Http404 from None
    if not selectors.may_view_allocation(user=request.user, allocation=allocation):
        # Another auditor's allocation is not theirs to know about.
        raise Http404
    return allocation


def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor sees their own allocation; QA staff see any."""
    allocation = _allocation_for(request, pk)
    today = clock.today()
    return render(
        request,
        "audits/allocation_detail.html",
        {
            "allocation": allocation,
            "progress": allocation.progress(today),
            "pair": selectors.pair_of(allocation=allocation),
            "open_request": next(
                (
                    r
                    for r in allocation.exemption_requests.all()
                    if r.status == ExemptionStatus.REQUESTED
                ),
                None,
            ),
            "is_mine": allocation.auditor_id == request.user.pk,
        },
    )


@permission_required("accounts.manage_allocation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def allocation_move(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff move a case to another auditor; an ineligible one is refused with why."""
    allocation = _allocation_for(request, pk)
    pool = pool_members().select_related("team", "service_area").order_by("full_name")
    form = MoveForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.allocation_move(
                allocation=allocation,
                to_auditor=form.cleaned_data["auditor"],
                by=request.user,
                today=clock.today(),
                why=form.cleaned_data["why"],
                hand_on_draft=form.cleaned_data["draft"] != "close",
            )
        except RuleViolation as refused:
            form.add_error("auditor", str(refused))
        else:
            messages.success(
                request, f"Case {allocation.case.external_id} is now with {moved.auditor}."
            )
            return redirect("audits:review", period=_month_url(allocation.period))
    return render(
        request,
        "audits/move.html",
        {"allocation": allocation, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required("accounts.manage_allocation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def allocation_place(request: HttpRequest, period: dt.date, case_id: int) -> HttpResponse:
    """QA staff give a case of the month's sample that nobody holds to an auditor."""
    run = selectors.run_for(period=period)
    if run is None:
        raise Http404
    case = next((c for c in selectors.unplaced_cases(run=run) if c.pk == case_id), None)
    if case is None:
        raise Http404
    pool = pool_members().select_related("team", "service_area").order_by("full_name")
    form = PlaceForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        try:
            placed = services.allocation_place(
                run=run,
                case_id=case.pk,
                to_auditor=form.cleaned_data["auditor"],
                by=request.user,
                today=clock.today(),
                over_quota=form.cleaned_data["over_quota"],
                why=form.cleaned_data["why"],
            )
        except RuleViolation as refused:
            form.add_error("auditor", str(refused))
        else:
            messages.success(request, f"Case {case.external_id} is now with {placed.auditor}.")
            return redirect("audits:review", period=_month_url(period))
    return render(
        request,
        "audits/place.html",
        {"run": run, "case": case, "form": form, "period": period},
        status=400 if form.errors else 200,
    )


@permission_required("accounts.conduct_audits", raise_exception=True)
@require_http_methods(["GET", "POST"])
def exemption_request(request: HttpRequest, pk: int) -> HttpResponse:
    """An auditor asks to be exempted from their own allocation only."""
    allocation = _allocation_for(request, pk)
    if allocation.auditor_id != request.user.pk:
        raise Http404
    form = ExemptionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.exemption_request(
                allocation=allocation,
                by=request.user,
                reason=form.cleaned_data["reason"],
                today=clock.today(),
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Your request has gone to {sent.approver.full_name}. "
                "Until it is agreed the audit is still due.",
            )
            return redirect("audits:allocation", pk=allocation.pk)
    return render(
        request,
        "audits/exemption_request.html",
        {"allocation": allocation, "form": form},
        status=400 if form.errors else 200,
    )


def exemption_list(request: HttpRequest) -> HttpResponse:
    """Each approver sees the requests addressed to them, and only those."""
    requests = list(selectors.exemptions_for_approver(user=request.user)[:200])
    return render(request, "audits/exemption_list.html", {"requests": requests})


@require_http_methods(["GET", "POST"])
def exemption_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the approver a request is addressed to may open and decide it."""
    exemption = get_object_or_404(
        ExemptionRequest.objects.select_related(
            "allocation__case__team", "allocation__auditor", "approver", "decided_by"
        ),
        pk=pk,
    )
    if exemption.approver_id != request.user.pk:
        raise PermissionDenied
    form = ExemptionDecisionForm(
        request.POST or None, deferment_allowed=policy_get().deferment_allowed
    )
    if (
        request.method == "POST"
        and exemption.status == ExemptionStatus.REQUESTED
        and form.is_valid()
    ):
        try:
            decided = services.exemption_decide(
                request=exemption,
                by=request.user,
                agree=form.cleaned_data["decision"] == "agree",
                note=form.cleaned_data["note"],
                today=clock.today(),
                hand_on_draft=form.cleaned_data["draft"] != "close",
                defer=form.cleaned_data["decision"] == "defer",
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            if decided.status == ExemptionStatus.DEFERRED:
                text = "The audit is deferred to next month, with its case and auditor."
            elif decided.status == ExemptionStatus.AGREED and decided.reallocated_to_id:
                text = f"Exemption agreed. The case is now with {decided.reallocated_to.auditor}."
            elif decided.status == ExemptionStatus.AGREED:
                text = "Exemption agreed. No other auditor had room; QA staff have been told."
            else:
                text = "Exemption refused. The audit is still due."
            messages.success(request, text)
            return redirect("audits:exemptions")
    return render(
        request,
        "audits/exemption_decide.html",
        {"exemption": exemption, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required("accounts.manage_allocation", raise_exception=True)
def completion(request: HttpRequest, period: dt.date) -> HttpResponse:
    """QA staff see the month's completion by auditor, team and service area (P&Q 28)."""
    today = clock.today()
    return render(
        request,
        "audits/completion.html",
        {
            "report": selectors.completion(period=period, today=today),
            "labels": selectors.PROGRESS_LABELS,
            "period": period,
        },
    )


@permission_required("accounts.manage_allocation", raise_exception=True)
def completion_export(request: HttpRequest, period: dt.date, fmt: str) -> HttpResponse:
    """The month's audits, one row each, as CSV or XLSX (P&Q 28)."""
    if fmt not in FORMATS:
        raise Http404
    today = clock.today()
    report = selectors.completion(period=period, today=today)
    labels = selectors.PROGRESS_LABELS
    rows = (
        (
            a.case.external_id,
            a.auditor.full_name,
            a.auditor.email,
            a.case.team.name if a.case.team_id else "",
            a.case.team.service_area.name if a.case.team_id else "",
            labels.get(a.progress(today), a.get_status_display()),
            a.allocated_on.isoformat() if a.allocated_on else "",
            a.deadline.isoformat() if a.deadline else "",
            timezone.localdate(a.completed_at).isoformat() if a.completed_at else "",
        )
        for a in report.allocations
    )
    return table_response(
        filename=f"audit-completion-{_month_url(period)}",
        fmt=fmt,
        header=(
            "Case ID",
            "Auditor",
            "Auditor email",
            "Team",
            "Service area",
            "Status",
            "Allocated on",
            "Deadline",
            "Completed on",
        ),
        rows=rows,
    )
