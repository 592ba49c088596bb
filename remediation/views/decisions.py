"""Management Decisions and disagreements about an action: recorded by the team manager,
decided by a service manager or strategic lead."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import clock
from accounts.errors import RuleViolation

from .. import access, services
from ..forms import DecideForm, DecisionForm, DisagreementForm, ResolveForm
from ..models import DecisionStatus, Disagreement, DisagreementStatus, ManagementDecision
from .actions import action_or_404


@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The team manager records a Management Decision: the action cannot be achieved
    (Bury 9.4, 9.7)."""
    action = action_or_404(request, pk)
    if not access.is_team_manager_of(request.user, action):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                action=action,
                by=request.user,
                reason=form.cleaned_data["reason"],
                today=clock.today(),
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                "Management Decision recorded. A service manager or strategic lead has been "
                "asked to authorise it.",
            )
            return redirect("remediation:detail", pk=action.pk)
    return render(
        request,
        "remediation/form.html",
        {"action": action, "form": form, "title": "Record a Management Decision"},
    )


@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A Management Decision; a service manager or strategic lead over the team authorises
    or refuses it (Bury 9.4)."""
    decision = get_object_or_404(
        ManagementDecision.objects.select_related("recorded_by", "decided_by"), pk=pk
    )
    action = action_or_404(request, decision.action_id)
    may_decide = (
        decision.status == DecisionStatus.PENDING
        and access.may_decide(request.user, action)
        and decision.recorded_by_id != request.user.pk
    )
    form = DecideForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            authorise = form.cleaned_data["decision"] == "authorise"
            try:
                services.decision_decide(
                    decision=decision,
                    by=request.user,
                    authorise=authorise,
                    today=clock.today(),
                    note=form.cleaned_data["note"],
                )
            except RuleViolation as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    "Management Decision authorised: the action is closed."
                    if authorise
                    else "Management Decision refused: the action is open again.",
                )
                return redirect("remediation:authorise")
    return render(
        request,
        "remediation/decision.html",
        {"decision": decision, "action": action, "form": form},
    )


@require_http_methods(["GET", "POST"])
def disagreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor, team manager or worker records a disagreement about the action
    (Bury 9.8)."""
    action = action_or_404(request, pk)
    user = request.user
    if not (
        access.is_team_manager_of(user, action)
        or user.pk in (action.worker_id, action.audit.allocation.auditor_id)
    ):
        raise PermissionDenied
    form = DisagreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disagreement = services.disagreement_raise(
                action=action,
                by=user,
                position=form.cleaned_data["position"],
                safeguarding=form.cleaned_data["safeguarding"],
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Disagreement recorded; the others have been told.")
            return redirect("remediation:disagreement", pk=disagreement.pk)
    return render(
        request,
        "remediation/form.html",
        {"action": action, "form": form, "title": "Record a disagreement about the action"},
    )


@require_http_methods(["GET", "POST"])
def disagreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A disagreement, resolved by the parties or referred (Bury 9.8)."""
    disagreement = get_object_or_404(
        Disagreement.objects.select_related("raised_by", "referred_to", "resolved_by"), pk=pk
    )
    action = action_or_404(request, disagreement.action_id)
    user = request.user
    is_party = access.is_team_manager_of(user, action) or user.pk in (
        action.worker_id,
        action.audit.allocation.auditor_id,
    )
    if disagreement.status == DisagreementStatus.OPEN:
        may_act = is_party
    elif disagreement.status == DisagreementStatus.REFERRED:
        may_act = user.pk == disagreement.referred_to_id or access.is_qa(user)
    else:
        may_act = False
    form = (
        ResolveForm(request.POST or None, may_refer=disagreement.status == DisagreementStatus.OPEN)
        if may_act
        else None
    )
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        if form.is_valid():
            try:
                if form.cleaned_data["outcome"] == "refer":
                    services.disagreement_refer(disagreement=disagreement, by=user)
                    messages.success(request, "Referred to the strategic lead.")
                else:
                    services.disagreement_resolve(
                        disagreement=disagreement,
                        by=user,
                        resolution=form.cleaned_data["resolution"],
                    )
                    messages.success(request, "Recorded how it was resolved.")
            except RuleViolation as refused:
                form.add_error(None, str(refused))
            else:
                return redirect("remediation:disagreement", pk=disagreement.pk)
    return render(
        request,
        "remediation/disagreement.html",
        {"disagreement": disagreement, "action": action, "form": form},
    )
