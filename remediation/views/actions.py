"""The remedial action pages: the list, one action, fulfil, sign off, send back, decline,
carry to another team, the authorise queue and the audits waiting for actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import clock
from accounts.errors import RuleViolation
from accounts.paging import PER_PAGE, paginate, pagination

from .. import access, selectors, services
from ..display import (
    grouped,
    table_body,
    team_options,
    worktray_caption,
    worktray_rows,
)
from ..forms import CarrierForm, FulfilForm, NoteForm
from ..models import ActionStatus, DecisionStatus, RemedialAction
from ..worktray import FIGURES, worktray

SHOW_CHOICES = ("unfinished", "finished", "all")


def action_or_404(request: HttpRequest, pk: int) -> RemedialAction:
    try:
        action = selectors.action_detail(pk=pk)
    except RemedialAction.DoesNotExist:
        raise Http404 from None
    if not access.may_view_action(request.user, action):
        raise Http404
    return action


def _page_number(value: str | None) -> int:
    """The page the paginator will show when it is in range (read with the figures: the
    worktray); 1 when it is not a number, as the paginator reads it."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def action_list(request: HttpRequest) -> HttpResponse:
    """The worktray: a team manager's teams' actions, overdue first, with the audit and case
    beside each and bulk sign-off; a service manager's teams' (Bradford 2); a social
    worker's own cases'; QA staff every team's (senior managers read the figures)."""
    today = clock.today()
    show = request.GET.get("show", "unfinished")
    if show not in SHOW_CHOICES:
        show = "unfinished"
    try:
        team_id = int(request.GET.get("team", "")) or None
    except ValueError:
        team_id = None
    tray = worktray(
        user=request.user,
        today=today,
        show=show,
        team_id=team_id,
        page=_page_number(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    # The page's rows as columns, not actions (`remediation.display`), each ending with its
    # audit's id and the auditor's name. A team or service manager's teams are named
    # already (`tray.teams`): their rows are read without joining the teams.
    team_names = {team.pk: team.name for team in tray.teams} if tray.teams else None
    paged = paginate(request, tray.rows(per_page=PER_PAGE), count=tray.counts.get(show))
    may_sign_off = tray.scope == "team"
    rows = table_body(
        worktray_rows(
            [row[:-1] for row in paged.items],
            auditors={row[-2]: row[-1] for row in paged.items if row[-2]},
            today=today,
            may_sign_off=may_sign_off,
            team_names=team_names,
        )
    )
    return render(
        request,
        "remediation/list.html",
        {
            "tray": tray,
            "paged": paged,
            # `{% include "_pagination.html" %}`, built in Python (`accounts.paging.pagination`).
            "pagination": pagination(paged, "Pages of actions"),
            # The figures, the choice of team and the caption, as the template's filters
            # and loop gave them (`remediation.display`).
            "figures": {
                name: grouped(n) if (n := tray.counts.get(name)) is not None else ""
                for name in FIGURES
            },
            "team_options": team_options(tray.teams, team_id) if len(tray.teams) > 1 else "",
            "caption": worktray_caption(paged) if paged.items else "",
            "rows": rows,
            "today": today,
            "show": show,
            "team_id": team_id,
            "may_sign_off": may_sign_off,
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
            actions=actions, by=request.user, today=clock.today(), note=request.POST.get("note", "")
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
    action = action_or_404(request, pk)
    user = request.user
    today = clock.today()
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
    action = action_or_404(request, pk)
    if not access.may_fulfil(request.user, action):
        raise PermissionDenied
    today = clock.today()
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
    action = action_or_404(request, pk)
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
    action = action_or_404(request, pk)
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
    action = action_or_404(request, pk)
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


def authorise_queue(request: HttpRequest) -> HttpResponse:
    """A service manager's or strategic lead's list: signed-off actions to authorise
    (Bury 10.1), several at once, and Management Decisions to decide (Bury 9.4)."""
    if not access.overseen_team_ids(request.user):
        raise PermissionDenied
    today = clock.today()
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


@permission_required("accounts.quality_assure", raise_exception=True)
def audits_waiting(request: HttpRequest) -> HttpResponse:
    """QA staff monitor every audit still waiting for its actions (P&Q 23, 27)."""
    today = clock.today()
    audits = selectors.audits_waiting_for_actions(today=today)
    return render(request, "remediation/waiting.html", {"audits": audits, "today": today})
