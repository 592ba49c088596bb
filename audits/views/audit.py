"""The auditor's pages: starting an audit, the task list, each part of the form, autosave,
submitting, the IRO, safeguarding concerns and the PDF. Each view says who may use it;
object-level checks go through `selectors.audit_for`, which answers "not found" to anyone
who may not see the audit (SPEC: the auditor, the case's worker, team manager and IRO from
"shared for comment" on, the moderator and QA staff; nobody else)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from accounts import clock
from accounts.errors import RuleViolation
from accounts.selectors import policy_get

from .. import display, lifecycle, services
from .. import selectors as sel
from ..errors import EditConflict, SubmissionInvalid
from ..form_presets import sections_for
from ..forms import (
    ActionForm,
    CommentForm,
    ConversationForm,
    IROForm,
    OverallForm,
    SafeguardingForm,
    SectionForm,
    SupervisionForm,
    ViewsForm,
)
from ..models import Allocation, Audit, ChildFamilyViews, Comment, ContactRole, Moderation
from ..services.audit_form import unanswered_attempts
from .common import AuditAddresses, audit_or_404, editable_or_403, page_context


@permission_required("accounts.conduct_audits", raise_exception=True)
@require_http_methods(["GET", "POST"])
def for_allocation(request: HttpRequest, allocation_pk: int) -> HttpResponse:
    """The allocated auditor starts the audit of their allocation, or opens it."""
    allocation = get_object_or_404(
        Allocation.objects.select_related("case__team", "auditor"),
        pk=allocation_pk,
        auditor=request.user,
    )
    audit = Audit.objects.filter(allocation=allocation).first()
    if audit is not None:
        return redirect("audit:task-list", audit.pk)
    error = None
    if request.method == "POST":
        try:
            audit = services.audit_start(allocation=allocation, by=request.user)
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            error = str(refused)
    return render(
        request,
        "audit/start.html",
        {"allocation": allocation, "version": sel.current_form_version(), "error": error},
        status=400 if error else 200,
    )


def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit's task list: anyone who may see the audit. Each part is read once: the
    summary reuses the rows, views and actions, and the grade checks the moderations. The
    auditor filling the form in sees counts instead of the summary: they come with the
    answers and the audit's history in one query (`selectors.task_rows_and_progress`),
    which also says whether there are dispute steps or comments to read at all."""
    audit = audit_or_404(request, pk)
    editing = sel.may_edit(request.user, audit)
    if editing:
        rows, progress, events = sel.task_rows_and_progress(audit)
    else:
        rows, events = sel.task_rows(audit), sel.audit_history(audit)
    # Each section's address around its key: one reverse() rather than one a section.
    section_address = reverse("audit:section", args=[audit.pk, "KEY"]).rsplit("KEY", 1)
    if editing:
        # Each section's item built in Python: most of the page's time in the template.
        task_items = display.task_items(rows, section_address)
        moderations = _moderations(audit) if progress.moderations else []
        comments = _comments(audit) if progress.comments else []
        # Read only where the page shows it: a decided grade in the dispute.
        summary = SimpleLazyObject(lambda: sel.audit_summary(audit, rows=rows))
    else:
        progress = task_items = None
        moderations = _moderations(audit)
        views = ChildFamilyViews.objects.filter(audit=audit).first()
        actions = list(audit.actions.all())
        comments = _comments(audit)
        summary = SimpleLazyObject(
            lambda: sel.audit_summary(audit, rows=rows, views=views, actions=actions)
        )
    is_case_reader = sel.is_case_reader(request.user, audit)
    open_for_comment = audit.status in lifecycle.OPEN_FOR_COMMENT
    is_case_manager = sel.case_team_manager(audit.case) == request.user
    context = page_context(
        request,
        audit,
        rows=rows,
        task_items=task_items,
        progress=progress,
        comments=comments,
        events=events,
        summary=summary,
        is_case_reader=is_case_reader,
        open_for_comment=open_for_comment,
        # Each form is made only where the page shows it (most views show neither).
        comment_form=CommentForm() if open_for_comment and is_case_reader else None,
        moderations=moderations,
        is_case_manager=is_case_manager,
        supervision_form=(
            SupervisionForm()
            if is_case_manager and audit.status == lifecycle.WITH_TEAM_MANAGER
            else None
        ),
        completed=sum(1 for r in rows if r.status == "completed"),
        period_label=sel.period_label(audit),
        group_manager=sel.case_group_manager(audit.case),
        # The audit's pages' addresses, each built once a process (a dozen on the page).
        addresses=AuditAddresses(audit.pk),
    )
    return render(request, "audit/task_list.html", context)


def _moderations(audit: Audit) -> list[Moderation]:
    """The audit's dispute steps with their moderators, kept on the audit for the grade's
    check (`selectors.moderated_grade`)."""
    prefetch_related_objects(
        [audit], Prefetch("moderations", queryset=Moderation.objects.select_related("moderator"))
    )
    return list(audit.moderations.all())


def _comments(audit: Audit) -> list[Comment]:
    return list(Comment.objects.filter(audit=audit).select_related("author"))


def _section_form(audit: Audit, section: dict, data=None) -> SectionForm:
    levels = audit.definition["scales"][section["scale"]]
    return SectionForm(data, levels=levels, title=section["title"])


@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The auditor fills in one section; works without script by plain POST. It shows the
    case and the form, no more: the audit is read as the autosave reads it (`narrow`)."""
    # A page to fill in reads the section's saved answer with the audit.
    reading = request.method != "POST"
    audit = editable_or_403(request, pk, narrow=True, section=key if reading else "")
    spec = sel.section_of(audit, key)
    status = 200
    conflict = None
    if request.method == "POST":
        form = _section_form(audit, spec, request.POST)
        if form.is_valid():
            try:
                services.section_save(
                    audit=audit,
                    key=key,
                    grade=form.cleaned_data["grade"],
                    evidence=form.cleaned_data["evidence"],
                    revision=form.cleaned_data["revision"],
                    by=request.user,
                    complete=bool(form.cleaned_data["grade"] and form.cleaned_data["evidence"]),
                )
                return redirect(_next_after(audit, key))
            except EditConflict as clash:
                conflict = clash
                status = 409
                data = request.POST.copy()
                data["revision"] = str(clash.revision)
                form = _section_form(audit, spec, data)
                form.is_valid()
            except RuleViolation as refused:
                form.add_error("grade", str(refused))
                status = 400
        else:
            status = 400
    else:
        form = _section_form(
            audit,
            spec,
            None,
        )
        form.initial = sel.section_answer(audit, key)
    return render(
        request,
        "audit/section.html",
        page_context(
            request,
            audit,
            section=spec,
            form=form,
            conflict=conflict,
            autosave_url=reverse("audit:autosave", args=[audit.pk, key]),
        ),
        status=status,
    )


def _next_after(audit: Audit, key: str) -> str:
    keys = [s["key"] for s in sections_for(audit.definition, audit.case.case_type)]
    index = keys.index(key)
    if index + 1 < len(keys):
        return reverse("audit:section", args=[audit.pk, keys[index + 1]])
    return reverse("audit:task-list", args=[audit.pk])


@require_POST
def autosave(request: HttpRequest, pk: int, part: str) -> JsonResponse:
    """Saves a part of the form as the auditor types (static/app/autosave.js): a section,
    "views" or "overall". Answers 409 with what is saved now when another tab saved first;
    nothing is overwritten."""
    try:
        audit = sel.audit_for(user=request.user, pk=pk, narrow=True)
    except Http404:
        return JsonResponse({"error": "Not found"}, status=404)
    if not sel.may_edit(request.user, audit):
        return JsonResponse({"error": "This audit can no longer be changed."}, status=403)
    post = request.POST
    if any("\x00" in v for _key, values in post.lists() for v in values):  # as forms do
        return JsonResponse({"error": "The text has a null character. Remove it."}, status=400)
    try:
        revision = int(post.get("revision", ""))
    except ValueError:
        return JsonResponse({"error": "The page is out of date. Reload it."}, status=400)
    try:
        if part == "views":
            form = ViewsForm(post)
            if not form.is_valid():
                return JsonResponse({"error": "Check the answers."}, status=400)
            data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
            saved = services.views_save(audit=audit, revision=revision, by=request.user, **data)
            new_revision = saved.revision
        elif part == "overall":
            form = _overall_form(audit, post)
            if not form.is_valid():
                return JsonResponse({"error": "Check the answers."}, status=400)
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "themes")}
            saved = services.overall_save(
                audit=audit,
                revision=revision,
                by=request.user,
                themes=[t.pk for t in form.cleaned_data["themes"]],
                **data,
            )
            new_revision = saved.revision
        else:
            sel.section_of(audit, part)
            new_revision = services.section_save(
                audit=audit,
                key=part,
                grade=post.get("grade", ""),
                evidence=post.get("evidence", ""),
                revision=revision,
                by=request.user,
            )
    except EditConflict as clash:
        return JsonResponse(
            {"error": str(clash), "revision": clash.revision, "current": _jsonable(clash.current)},
            status=409,
        )
    except RuleViolation as refused:
        return JsonResponse({"error": str(refused)}, status=400)
    except Http404:
        return JsonResponse({"error": "Not found"}, status=404)
    return JsonResponse(
        {"revision": new_revision, "saved_at": timezone.localtime().strftime("%H:%M")}
    )


def _jsonable(values: dict) -> dict:
    return {
        k: (v if isinstance(v, str | int | bool) or v is None else str(v))
        for k, v in values.items()
    }


@require_http_methods(["GET", "POST"])
def views_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor records the child's and family's views (Hillingdon 2.3-2.8)."""
    audit = editable_or_403(request, pk)
    # audit_start makes the row; views_save makes it too if it is somehow missing.
    views = ChildFamilyViews.objects.filter(audit=audit).first() or ChildFamilyViews(audit=audit)
    status, conflict = 200, None
    if request.method == "POST":
        form = ViewsForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
            try:
                services.views_save(
                    audit=audit, revision=form.cleaned_data["revision"], by=request.user, **data
                )
                return redirect("audit:task-list", audit.pk)
            except EditConflict as clash:
                conflict, status = clash, 409
                post = request.POST.copy()
                post["revision"] = str(clash.revision)
                form = ViewsForm(post)
                form.is_valid()
        else:
            status = 400
    else:
        initial = {
            "revision": views.revision,
            "contacted": views.contacted,
            "consent": views.consent,
            "parent_consent_before_child": {True: "yes", False: "no"}.get(
                views.parent_consent_before_child, ""
            ),
            "views": views.views,
            "not_contacted_reason": views.not_contacted_reason,
        }
        form = ViewsForm(initial=initial)
    return render(
        request,
        "audit/views.html",
        page_context(
            request,
            audit,
            form=form,
            conflict=conflict,
            autosave_url=reverse("audit:autosave", args=[audit.pk, "views"]),
        ),
        status=status,
    )


def _overall_form(audit: Audit, data=None, initial=None) -> OverallForm:
    definition = audit.definition
    levels = definition["scales"][definition["overall"]["scale"]]
    return OverallForm(
        data,
        initial=initial,
        levels=levels,
        outcomes="outcomes_question" in definition.get("blocks", ()),
        good_elements="good_elements_named" in definition.get("rules", ()),
    )


@require_http_methods(["GET", "POST"])
def overall_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The overall grade, its reasons, strengths and organisational learning."""
    audit = editable_or_403(request, pk)
    status, conflict = 200, None
    if request.method == "POST":
        form = _overall_form(audit, request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "themes")}
            try:
                services.overall_save(
                    audit=audit,
                    revision=form.cleaned_data["revision"],
                    by=request.user,
                    themes=[t.pk for t in form.cleaned_data["themes"]],
                    **data,
                )
                return redirect("audit:task-list", audit.pk)
            except EditConflict as clash:
                conflict, status = clash, 409
                post = request.POST.copy()
                post["revision"] = str(clash.revision)
                form = _overall_form(audit, post)
                form.is_valid()
        else:
            status = 400
    else:
        initial = {f: getattr(audit, f) for f in services.audit_form.OVERALL_FIELDS}
        initial["revision"] = audit.revision
        initial["themes"] = list(audit.themes.values_list("pk", flat=True))
        form = _overall_form(audit, initial=initial)
    return render(
        request,
        "audit/overall.html",
        page_context(
            request,
            audit,
            form=form,
            conflict=conflict,
            overall_prompt=audit.definition["overall"]["prompt"],
            autosave_url=reverse("audit:autosave", args=[audit.pk, "overall"]),
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def actions_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor writes recommendations as SMART actions (P&Q 17)."""
    audit = editable_or_403(request, pk)
    form = ActionForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            remove = request.POST["remove"]
            action = get_object_or_404(audit.actions, pk=remove if remove.isdecimal() else None)
            services.action_remove(action=action, by=request.user)
            messages.success(request, "The action has been removed.")
            return redirect("audit:actions", audit.pk)
        if form.is_valid():
            services.action_add(audit=audit, by=request.user, **form.cleaned_data)
            messages.success(request, "The action has been added.")
            return redirect("audit:actions", audit.pk)
    return render(
        request,
        "audit/actions.html",
        page_context(request, audit, form=form, actions=list(audit.actions.all())),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def conversations_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Conversations with the worker, team manager and IRO, with dates; two unanswered
    attempts can be escalated to the group manager (P&Q 12)."""
    audit = editable_or_403(request, pk)
    form = ConversationForm(request.POST or None)
    missing_error = ""
    if request.method == "POST":
        if "escalate" in request.POST:
            try:
                services.contact_escalate(
                    audit=audit, role=request.POST["escalate"], by=request.user
                )
                messages.success(request, "The group manager has been told.")
            except RuleViolation as refused:
                messages.error(request, str(refused))
            return redirect("audit:conversations", audit.pk)
        if "worker_missing_reason" in request.POST:
            try:
                services.worker_input_missing_record(
                    audit=audit, by=request.user, reason=request.POST["worker_missing_reason"]
                )
                messages.success(request, "Why the worker could not take part is recorded.")
                return redirect("audit:conversations", audit.pk)
            except RuleViolation as refused:
                form, missing_error = ConversationForm(), str(refused)
        elif form.is_valid():
            services.conversation_add(audit=audit, by=request.user, **form.cleaned_data)
            return redirect("audit:conversations", audit.pk)
    escalated = set(audit.escalations.values_list("role", flat=True))
    roles = [
        {
            "value": role.value,
            "label": role.label,
            "unanswered": unanswered_attempts(audit=audit, role=role.value),
            "escalated": role.value in escalated,
        }
        for role in ContactRole
    ]
    return render(
        request,
        "audit/conversations.html",
        page_context(
            request,
            audit,
            form=form,
            conversations=list(audit.conversations.all()),
            roles=roles,
            group_manager=sel.case_group_manager(audit.case),
            worker_input_needed=policy_get().worker_input_before_submit,
            missing_error=missing_error,
        ),
        status=400 if form.errors or missing_error else 200,
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then submit. Every problem is named beside its part and in the
    error summary (Bradford App. 1, Hillingdon 3, P&Q 16)."""
    audit = editable_or_403(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.audit_submit(audit=audit, by=request.user, today=clock.today())
            messages.success(request, "The audit has been submitted.")
            return redirect("audit:task-list", audit.pk)
        except SubmissionInvalid as invalid:
            errors = invalid.errors
        except RuleViolation as refused:
            errors = {"audit": str(refused)}
    summary = sel.audit_summary(audit)
    return render(
        request,
        "audit/submit.html",
        page_context(
            request, audit, errors=_error_links(audit, errors), summary=summary, field_errors=errors
        ),
        status=400 if errors else 200,
    )


def _error_links(audit: Audit, errors: dict[str, str]) -> list[tuple[str, str]]:
    links = []
    for key, message in errors.items():
        if key.startswith("section-"):
            section_key = key[len("section-") :].rsplit("-", 1)[0]
            href = reverse("audit:section", args=[audit.pk, section_key])
        elif key == "views":
            href = reverse("audit:views", args=[audit.pk])
        elif key == "worker_input":
            href = reverse("audit:conversations", args=[audit.pk])
        elif key == "shared":
            href = reverse("audit:task-list", args=[audit.pk])
        elif key in ("overall_grade", "outcomes_met", "good_elements"):
            href = reverse("audit:overall", args=[audit.pk]) + f"#id_{key}"
        else:
            href = "#"
        links.append((href, message))
    return links


@require_http_methods(["GET", "POST"])
def iro(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor (while the audit is open) or QA staff name the child's IRO."""
    audit = audit_or_404(request, pk)
    if not (sel.is_qa(request.user) or sel.is_auditor_of(request.user, audit)):
        raise PermissionDenied
    form = IROForm(request.POST or None, initial={"iro": audit.iro_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_set_iro(audit=audit, iro=form.cleaned_data["iro"], by=request.user)
        except RuleViolation as refused:
            form.add_error("iro", str(refused))
        else:
            messages.success(request, "The IRO has been saved.")
            return redirect("audit:task-list", audit.pk)
    return render(
        request,
        "audit/iro.html",
        page_context(request, audit, form=form),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def safeguarding(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a safeguarding concern: on every page of an audit, for its auditor and QA
    staff; sent at once (Bury 9.1, P&Q 14, Bradford 3)."""
    audit = audit_or_404(request, pk)
    if not (sel.is_auditor_of(request.user, audit) or sel.is_qa(request.user)):
        raise PermissionDenied("Only the auditor or QA staff raise a concern from an audit.")
    form = SafeguardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.safeguarding_raise(audit=audit, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            "Your concern has been sent now to the team manager, the service manager and "
            "the strategic lead.",
        )
        return redirect("audit:task-list", audit.pk)
    return render(
        request,
        "audit/safeguarding.html",
        page_context(request, audit, form=form, concerns=list(audit.concerns.all())),
        status=400 if form.errors else 200,
    )


def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit as a PDF for the child's record: anyone who may see the audit."""
    audit = audit_or_404(request, pk)
    started = time.monotonic()
    body = services.audit_pdf(audit=audit)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="audit-{audit.case.external_id}.pdf"'
    response["X-Render-Seconds"] = f"{time.monotonic() - started:.3f}"
    return response
