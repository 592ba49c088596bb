"""Pages for remedial actions, Management Decisions, disagreements, the compliance review
and the action plan. Each view says who may use it and checks the object it is given:

- the action list: anyone signed in sees the actions `access.visible_actions` allows;
- an action: `access.may_view_action`, else 404 (its existence is not disclosed);
- fulfil, sign off, send back, carrier, Management Decision: the team's manager (the named
  worker may record it was done);
- authorise, decline, decide: a service manager or strategic lead over the team;
- the compliance review: QA staff (every team), a team or service manager (their teams);
  its one-page report of counts also senior managers (every team); refused to others;
- audits waiting for actions, follow-up: QA staff; the action plan: QA staff (senior
  managers read). Senior managers do not open children's actions one by one (issue 14).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import clock
from accounts.errors import RuleViolation
from audits.exports import FORMATS, table_response
from audits.models import Audit

from . import access, selectors, services
from .forms import (
    CarrierForm,
    DecideForm,
    DecisionForm,
    DisagreementForm,
    FollowUpForm,
    FulfilForm,
    NoteForm,
    PlanItemForm,
    ResolveForm,
)
from .models import (
    ActionPlanItem,
    ActionStatus,
    DecisionStatus,
    Disagreement,
    DisagreementStatus,
    ManagementDecision,
    RemedialAction,
)
from .spreadsheet import compliance_workbook

SHOW_CHOICES = ("unfinished", "finished", "all")


def _today() -> dt.date:
    return clock.today()


def _action_for(request: HttpRequest, pk: int) -> RemedialAction:
    try:
        action = selectors.action_detail(pk=pk)
    except RemedialAction.DoesNotExist:
        raise Http404 from None
    if not access.may_view_action(request.user, action):
        raise Http404
    return action


def action_list(request: HttpRequest) -> HttpResponse:
    """The worktray: a team manager's teams' actions, overdue first, with the audit and case
    beside each and bulk sign-off; a service manager's teams' (Bradford 2); a social
    worker's own cases'; QA staff every team's (senior managers read the figures)."""
    today = _today()
    show = request.GET.get("show", "unfinished")
    if show not in SHOW_CHOICES:
        show = "unfinished"
    try:
        team_id = int(request.GET.get("team", "")) or None
    except ValueError:
        team_id = None
    tray = selectors.worktray(user=request.user, today=today, show=show, team_id=team_id)
    return render(
        request,
        "remediation/list.html",
        {
            "tray": tray,
            "today": today,
            "show": show,
            "team_id": team_id,
            "may_sign_off": tray.scope == "team",
        },
    )


@require_POST
def actions_sign_off(request: HttpRequest) -> HttpResponse:
    """The team manager signs off the fulfilled actions they ticked, at once."""
    ids = [int(v) for v in request.POST.getlist("actions") if v.isdigit()]
    if not ids:
        messages.error(request, "Choose the actions to sign off.")
        return redirect("remediation:list")
    actions = list(RemedialAction.objects.filter(pk__in=ids))
    if len(actions) != len(set(ids)) or not all(
        access.may_sign_off(request.user, a) for a in actions
    ):
        raise PermissionDenied
    try:
        done = services.actions_sign_off(
            actions=actions, by=request.user, today=_today(), note=request.POST.get("note", "")
        )
    except RuleViolation as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"{len(done)} action{'s' if len(done) != 1 else ''} signed off as completed. "
            "A service manager has been asked to authorise them.",
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("remediation:list")
    return redirect(back)


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: its audit and case, state, history, decisions and disagreements, and
    the forms for the next step the viewer may take."""
    action = _action_for(request, pk)
    user = request.user
    today = _today()
    unfinished = not action.is_finished
    context = {
        "action": action,
        "today": today,
        "events": list(action.events.all()),
        "decisions": list(action.decisions.all()),
        "disagreements": selectors.disagreements_for(action=action),
        "may_fulfil": action.status == ActionStatus.OPEN and access.may_fulfil(user, action),
        "may_sign_off": action.status == ActionStatus.FULFILLED
        and access.may_sign_off(user, action),
        "may_decide_md": False,
        "may_record_md": action.status in (ActionStatus.OPEN, ActionStatus.FULFILLED)
        and access.is_team_manager_of(user, action),
        "may_authorise": action.status == ActionStatus.COMPLETED
        and access.may_authorise(user, action),
        "may_set_carrier": unfinished and access.is_team_manager_of(user, action),
        "may_disagree": unfinished
        and (
            access.is_team_manager_of(user, action)
            or user.pk in (action.worker_id, action.audit.allocation.auditor_id)
        ),
    }
    pending = next((d for d in context["decisions"] if d.status == DecisionStatus.PENDING), None)
    context["pending_decision"] = pending
    context["may_decide_md"] = bool(
        pending and access.may_decide(user, action) and pending.recorded_by_id != user.pk
    )
    if context["may_fulfil"]:
        context["fulfil_form"] = FulfilForm(today=today)
    return render(request, "remediation/detail.html", context)


@require_http_methods(["GET", "POST"])
def action_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    """The team manager (or named worker) records the day the action was done (Leeds 7.3)."""
    action = _action_for(request, pk)
    if not access.may_fulfil(request.user, action):
        raise PermissionDenied
    today = _today()
    form = FulfilForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_fulfil(
                action=action,
                by=request.user,
                fulfilled_on=form.cleaned_data["fulfilled_on"],
                today=today,
                note=form.cleaned_data["note"],
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Recorded that the action was done.")
            return redirect("remediation:detail", pk=action.pk)
    return render(
        request,
        "remediation/form.html",
        {"action": action, "form": form, "title": "Record that the action was done"},
    )


def _note_view(
    request: HttpRequest,
    action: RemedialAction,
    *,
    title: str,
    label: str,
    button: str,
    run,
    success: str,
) -> HttpResponse:
    form = NoteForm(request.POST or None, label=label, button=button)
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data["note"])
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, success)
            return redirect("remediation:detail", pk=action.pk)
    return render(
        request, "remediation/form.html", {"action": action, "form": form, "title": title}
    )


@require_http_methods(["GET", "POST"])
def action_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    """The team manager reopens a fulfilled action that is not done as asked."""
    action = _action_for(request, pk)
    if not access.may_sign_off(request.user, action):
        raise PermissionDenied
    return _note_view(
        request,
        action,
        title="Reopen the action",
        label="What still needs doing?",
        button="Reopen the action",
        run=lambda note: services.action_send_back(action=action, by=request.user, note=note),
        success="The action is open again.",
    )


@require_http_methods(["GET", "POST"])
def action_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """A service manager does not confirm a signed-off action: it reopens."""
    action = _action_for(request, pk)
    if not access.may_authorise(request.user, action):
        raise PermissionDenied
    return _note_view(
        request,
        action,
        title="Do not authorise the action",
        label="Why is the action not done?",
        button="Reopen the action",
        run=lambda note: services.action_decline(action=action, by=request.user, note=note),
        success="The action is open again and the team manager has been told.",
    )


@require_http_methods(["GET", "POST"])
def action_carrier(request: HttpRequest, pk: int) -> HttpResponse:
    """The team manager says who carries the action: themselves when the worker is absent
    for much of the time allowed (Bury 9.5), or the worker."""
    action = _action_for(request, pk)
    if not access.is_team_manager_of(request.user, action):
        raise PermissionDenied
    initial = {"carrier": "manager" if action.carried_by_team_manager else "worker"}
    form = CarrierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_mark_worker_absent(
                action=action,
                by=request.user,
                note=form.cleaned_data["note"],
                absent=form.cleaned_data["carrier"] == "manager",
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Saved who carries the action.")
            return redirect("remediation:detail", pk=action.pk)
    return render(
        request,
        "remediation/form.html",
        {"action": action, "form": form, "title": "Who carries the action"},
    )


@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The team manager records a Management Decision: the action cannot be achieved
    (Bury 9.4, 9.7)."""
    action = _action_for(request, pk)
    if not access.is_team_manager_of(request.user, action):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                action=action, by=request.user, reason=form.cleaned_data["reason"], today=_today()
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
    action = _action_for(request, decision.action_id)
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
                    today=_today(),
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


def authorise_queue(request: HttpRequest) -> HttpResponse:
    """A service manager's or strategic lead's list: signed-off actions to authorise
    (Bury 10.1), several at once, and Management Decisions to decide (Bury 9.4)."""
    if not access.overseen_team_ids(request.user):
        raise PermissionDenied
    today = _today()
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("actions") if v.isdigit()]
        actions = list(RemedialAction.objects.filter(pk__in=ids))
        if not ids:
            messages.error(request, "Choose the actions to authorise.")
        elif len(actions) != len(set(ids)) or not all(
            access.oversees(request.user, a) for a in actions
        ):
            raise PermissionDenied
        else:
            try:
                done = services.actions_authorise(actions=actions, by=request.user, today=today)
            except RuleViolation as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request, f"{len(done)} action{'s' if len(done) != 1 else ''} authorised."
                )
        return redirect("remediation:authorise")
    queue = selectors.authorisation_queue(user=request.user, today=today)
    return render(request, "remediation/authorise.html", {**queue, "today": today})


@require_http_methods(["GET", "POST"])
def disagreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor, team manager or worker records a disagreement about the action
    (Bury 9.8)."""
    action = _action_for(request, pk)
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
    action = _action_for(request, disagreement.action_id)
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


@permission_required("accounts.quality_assure", raise_exception=True)
def audits_waiting(request: HttpRequest) -> HttpResponse:
    """QA staff monitor every audit still waiting for its actions (P&Q 23, 27)."""
    today = _today()
    audits = selectors.audits_waiting_for_actions(today=today)
    return render(request, "remediation/waiting.html", {"audits": audits, "today": today})


# The compliance review ----------------------------------------------------------------


def _may_see_reviews(request: HttpRequest) -> None:
    user = request.user
    if not (
        access.reads_figures(user)
        or access.managed_team_ids(user)
        or access.overseen_team_ids(user)
    ):
        raise PermissionDenied


def _review_and_items(request: HttpRequest, month: dt.date, *, figures: bool = False):
    _may_see_reviews(request)
    review = selectors.review_for_month(month=month)
    if review is None:
        raise Http404
    team_ids = selectors.review_teams_for(user=request.user, review=review, figures=figures)
    wanted = request.GET.get("team", "")
    if wanted.isdigit():
        team_id = int(wanted)
        if team_ids is not None and team_id not in team_ids:
            raise Http404
        team_ids = [team_id]
    return review, selectors.review_items(review=review, team_ids=team_ids)


def compliance_index(request: HttpRequest) -> HttpResponse:
    """The months' compliance reviews (Bury 10)."""
    _may_see_reviews(request)
    return render(
        request,
        "remediation/compliance_index.html",
        {"reviews": selectors.reviews(), "is_qa": access.is_qa(request.user)},
    )


def compliance_review(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The month's review by team, as its spreadsheet has it: for each action fulfilled,
    completed, authorised, and what is outstanding (Bury 10.1-10.2)."""
    review, items = _review_and_items(request, month)
    return render(
        request,
        "remediation/compliance_review.html",
        {
            "review": review,
            "teams": selectors.summarise(items),
            "team_param": request.GET.get("team", ""),
            "is_qa": access.is_qa(request.user),
        },
    )


def compliance_xlsx(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The review as a workbook: a summary and one sheet per team the reader may see."""
    review, items = _review_and_items(request, month)
    response = HttpResponse(
        compliance_workbook(review=review, items=items), content_type=FORMATS["xlsx"]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="compliance-review-{review.month:%Y-%m}.xlsx"'
    )
    return response


def _report_context(request: HttpRequest, month: dt.date) -> dict:
    review, items = _review_and_items(request, month, figures=True)
    return {"review": review, "report": selectors.outstanding_report(items)}


def compliance_report(request: HttpRequest, month: dt.date) -> HttpResponse:
    """One page for the senior managers' meeting: outstanding actions by kind and by team
    (Bury 10.2)."""
    return render(request, "remediation/compliance_report.html", _report_context(request, month))


def compliance_report_pdf(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The same page as a PDF, to table at the meeting."""
    from weasyprint import HTML

    context = _report_context(request, month)
    html = render_to_string("pdf/compliance_report.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="outstanding-actions-{month:%Y-%m}.pdf"'
    )
    return response


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def compliance_follow_up(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The review of reviews: QA staff look again at an audit of an earlier review and
    record whether the improvement held (Bury 10.2)."""
    review = selectors.review_for_month(month=month)
    if review is None:
        raise Http404
    items = selectors.review_items(review=review)
    audits: dict[int, Audit] = {}
    for item in items:
        audits.setdefault(item.audit_id, item.audit)
    choices = [
        (pk, f"Case {a.allocation.case.external_id}, audited by {a.allocation.auditor}")
        for pk, a in audits.items()
    ]
    form = FollowUpForm(request.POST or None, audits=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                review=review,
                audit=audits[form.cleaned_data["audit"]],
                by=request.user,
                held=form.cleaned_data["held"],
                note=form.cleaned_data["note"],
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Recorded whether the improvement held.")
            return redirect("remediation:compliance-follow-up", month=f"{month:%Y-%m}")
    done = selectors.follow_ups(review=review)
    rows = [(a, done.get(pk)) for pk, a in audits.items()]
    return render(
        request,
        "remediation/follow_up.html",
        {"review": review, "rows": rows, "form": form},
    )


# The action plan (Leeds Appendix B) ------------------------------------------------------


def _half_year(request: HttpRequest) -> dt.date:
    value = request.GET.get("half", "")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = _today()
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
