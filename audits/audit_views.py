"""The audit pages. Each view says who may use it; object-level checks go through
`audit_selectors.audit_for`, which answers "not found" to anyone who may not see the
audit (SPEC: the auditor, the case's worker, team manager and IRO from "shared for
comment" on, the moderator and QA staff; nobody else)."""

from __future__ import annotations

import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.errors import RuleViolation

from . import audit_selectors as sel
from . import lifecycle, services
from .audit_errors import EditConflict, SubmissionInvalid
from .audit_forms import (
    ActionForm,
    CommentForm,
    ConversationForm,
    IROForm,
    ModerationDecisionForm,
    ModeratorForm,
    OverallForm,
    ReasonForm,
    SafeguardingForm,
    SectionForm,
    SupervisionForm,
    ViewsForm,
)
from .audit_models import (
    Audit,
    ChildFamilyViews,
    Comment,
    Consensus,
    ContactRole,
    FormTemplate,
    FormVersion,
    Moderation,
    ThemeTag,
)
from .form_presets import sections_for
from .models import Allocation
from .services.audit_form import unanswered_attempts
from .services.paired import may_record_consensus, pair_is_complete


def _audit(request: HttpRequest, pk: int) -> Audit:
    return sel.audit_for(user=request.user, pk=pk)


def _editable(request: HttpRequest, pk: int) -> Audit:
    audit = _audit(request, pk)
    if not sel.may_edit(request.user, audit):
        raise PermissionDenied("Only the auditor changes the audit, until it is submitted.")
    return audit


def _base(request: HttpRequest, audit: Audit, **extra) -> dict:
    return {
        "audit": audit,
        "case": audit.case,
        "definition": audit.definition,
        "may_edit": sel.may_edit(request.user, audit),
        "is_auditor": sel.is_auditor_of(request.user, audit),
        "is_qa": sel.is_qa(request.user),
        **extra,
    }


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
    """The audit's task list: anyone who may see the audit."""
    audit = _audit(request, pk)
    rows = sel.task_rows(audit)
    views = ChildFamilyViews.objects.filter(audit=audit).first()
    comments = list(Comment.objects.filter(audit=audit).select_related("author"))
    context = _base(
        request,
        audit,
        rows=rows,
        views=views,
        actions=list(audit.actions.all()),
        conversations=list(audit.conversations.all()),
        comments=comments,
        events=list(audit.events.select_related("by")),
        summary=sel.audit_summary(audit),
        is_case_reader=sel.is_case_reader(request.user, audit),
        open_for_comment=audit.status in lifecycle.OPEN_FOR_COMMENT,
        comment_form=CommentForm(),
        moderation=Moderation.objects.filter(audit=audit).select_related("moderator").first(),
        is_case_manager=sel.case_team_manager(audit.case) == request.user,
        supervision_form=SupervisionForm(),
        completed=sum(1 for r in rows if r.status == "completed"),
        period_label=sel.period_label(audit),
        group_manager=sel.case_group_manager(audit.case),
    )
    return render(request, "audit/task_list.html", context)


def _section_form(audit: Audit, section: dict, data=None) -> SectionForm:
    levels = audit.definition["scales"][section["scale"]]
    return SectionForm(data, levels=levels, title=section["title"])


@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The auditor fills in one section; works without script by plain POST."""
    audit = _editable(request, pk)
    spec = sel.section_of(audit, key)
    answer = audit.answers.filter(key=key).first()
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
        form.initial = {
            "revision": answer.revision if answer else 0,
            "grade": answer.grade if answer else "",
            "evidence": answer.evidence if answer else "",
        }
    return render(
        request,
        "audit/section.html",
        _base(
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
        audit = _audit(request, pk)
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
            saved = services.section_save(
                audit=audit,
                key=part,
                grade=post.get("grade", ""),
                evidence=post.get("evidence", ""),
                revision=revision,
                by=request.user,
            )
            new_revision = saved.revision
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
    audit = _editable(request, pk)
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
        _base(
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
    audit = _editable(request, pk)
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
        _base(
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
    audit = _editable(request, pk)
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
        _base(request, audit, form=form, actions=list(audit.actions.all())),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def conversations_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Conversations with the worker, team manager and IRO, with dates; two unanswered
    attempts can be escalated to the group manager (P&Q 12)."""
    audit = _editable(request, pk)
    form = ConversationForm(request.POST or None)
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
        if form.is_valid():
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
        _base(
            request,
            audit,
            form=form,
            conversations=list(audit.conversations.all()),
            roles=roles,
            group_manager=sel.case_group_manager(audit.case),
        ),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then submit. Every problem is named beside its part and in the
    error summary (Bradford App. 1, Hillingdon 3, P&Q 16)."""
    audit = _editable(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.audit_submit(audit=audit, by=request.user, today=timezone.localdate())
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
        _base(
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
        elif key in ("overall_grade", "outcomes_met", "good_elements"):
            href = reverse("audit:overall", args=[audit.pk]) + f"#id_{key}"
        else:
            href = "#"
        links.append((href, message))
    return links


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor shares the draft for comment (P&Q 18), or takes it back to change it."""
    audit = _audit(request, pk)
    try:
        if request.POST.get("take_back"):
            services.audit_take_back(audit=audit, by=request.user)
            messages.success(request, "The draft is back with you to change.")
        else:
            services.audit_share_for_comment(audit=audit, by=request.user)
            messages.success(
                request, "The draft has been shared with the worker, team manager and IRO."
            )
    except RuleViolation as refused:
        messages.error(request, str(refused))
    return redirect("audit:task-list", audit.pk)


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's worker, team manager or IRO comments on or challenges a shared draft."""
    audit = _audit(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                audit=audit,
                by=request.user,
                body=form.cleaned_data["body"],
                challenge=form.cleaned_data["challenge"],
            )
            messages.success(request, "Your comment has been sent to the auditor.")
        except RuleViolation as refused:
            raise PermissionDenied(str(refused)) from None
    else:
        messages.error(request, "Enter your comment.")
    return redirect("audit:task-list", audit.pk)


@require_POST
def respond(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """The auditor answers a challenge: resolved, or sent to moderation (P&Q 21-22)."""
    audit = _audit(request, pk)
    challenge = get_object_or_404(Comment, pk=comment_pk, audit=audit)
    try:
        services.challenge_respond(
            comment=challenge,
            by=request.user,
            resolved=request.POST.get("resolved") == "yes",
            response=request.POST.get("response", ""),
        )
    except RuleViolation as refused:
        raise PermissionDenied(str(refused)) from None
    return redirect("audit:task-list", audit.pk)


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def moderation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff choose a moderator not connected with the case; others are refused."""
    audit = _audit(request, pk)
    moderation = get_object_or_404(Moderation, audit=audit)
    form = ModeratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_assign(
                audit=audit, moderator=form.cleaned_data["moderator"], by=request.user
            )
            messages.success(request, "The moderator has been asked.")
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            form.add_error("moderator", str(refused))
    return render(
        request,
        "audit/moderation_assign.html",
        _base(
            request,
            audit,
            form=form,
            moderation=moderation,
            candidates=sel.moderator_candidates(audit=audit)[:20],
        ),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def moderation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderator records the final decision on grade and actions (P&Q 22)."""
    audit = _audit(request, pk)
    moderation = get_object_or_404(Moderation, audit=audit, moderator=request.user)
    definition = audit.definition
    form = ModerationDecisionForm(
        request.POST or None, levels=definition["scales"][definition["overall"]["scale"]]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_decide(
                audit=audit, by=request.user, today=timezone.localdate(), **form.cleaned_data
            )
            messages.success(request, "Your decision has been recorded. It is final.")
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            form.add_error(None, str(refused))
    return render(
        request,
        "audit/moderation_decide.html",
        _base(request, audit, form=form, moderation=moderation, summary=sel.audit_summary(audit)),
        status=400 if form.errors else 200,
    )


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def qa_check(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff accept a sampled audit or return it for amendment (P&Q 20)."""
    audit = _audit(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "return":
                check = services.qa_return(
                    audit=audit,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    today=timezone.localdate(),
                )
                messages.success(
                    request, f"Returned to the auditor, due back {check.due_on:%-d %B %Y}."
                )
            else:
                services.qa_accept(audit=audit, by=request.user, today=timezone.localdate())
                messages.success(request, "Accepted; the audit is with the team manager.")
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            form.add_error("reason", str(refused))
    return render(
        request,
        "audit/qa_check.html",
        _base(request, audit, form=form, summary=sel.audit_summary(audit)),
        status=400 if form.errors else 200,
    )


@require_POST
def supervision(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's team manager records the supervision, then may close the audit."""
    audit = _audit(request, pk)
    if sel.case_team_manager(audit.case) != request.user and not sel.is_qa(request.user):
        raise PermissionDenied("Only the case's team manager records supervision.")
    try:
        if request.POST.get("close"):
            services.audit_close(audit=audit, by=request.user)
            messages.success(request, "The audit is closed.")
        else:
            form = SupervisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Enter the date of the supervision.")
            else:
                services.supervision_record(audit=audit, by=request.user, **form.cleaned_data)
                messages.success(request, "The supervision has been recorded.")
    except RuleViolation as refused:
        messages.error(request, str(refused))
    return redirect("audit:task-list", audit.pk)


@require_http_methods(["GET", "POST"])
def iro(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor (while the audit is open) or QA staff name the child's IRO."""
    audit = _audit(request, pk)
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
        _base(request, audit, form=form),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def safeguarding(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a safeguarding concern: on every page of an audit, for its auditor and QA
    staff; sent at once (Bury 9.1, P&Q 14, Bradford 3)."""
    audit = _audit(request, pk)
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
        _base(request, audit, form=form, concerns=list(audit.concerns.all())),
        status=400 if form.errors else 200,
    )


def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit as a PDF for the child's record: anyone who may see the audit."""
    audit = _audit(request, pk)
    started = time.monotonic()
    body = services.audit_pdf(audit=audit)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="audit-{audit.case.external_id}.pdf"'
    response["X-Render-Seconds"] = f"{time.monotonic() - started:.3f}"
    return response


@require_http_methods(["GET", "POST"])
def consensus(request: HttpRequest, group: uuid.UUID) -> HttpResponse:
    """The pair's grades side by side once every auditor has submitted, and the agreed
    grades (Bury 8.1). Before then, nobody sees another auditor's grades."""
    if not may_record_consensus(user=request.user, pair_group=group):
        raise Http404("No such paired audit")
    audits = sel.pair_audits(pair_group=group)
    if not audits:
        raise Http404("No such paired audit")
    complete = pair_is_complete(pair_group=group)
    recorded = Consensus.objects.filter(pair_group=group).first()
    lead = audits[0]
    definition = lead.definition
    sections = sections_for(definition, lead.case.case_type)
    errors: list[str] = []
    if request.method == "POST" and complete and not recorded:
        grades = {s["key"]: request.POST.get(f"grade-{s['key']}", "") for s in sections}
        try:
            services.consensus_record(
                pair_group=group,
                by=request.user,
                grades=grades,
                overall_grade=request.POST.get("overall", ""),
                notes=request.POST.get("notes", ""),
                today=timezone.localdate(),
            )
            messages.success(request, "The agreed grades have been recorded.")
            return redirect("audit:consensus", group)
        except RuleViolation as refused:
            errors.append(str(refused))
    rows = []
    if complete or recorded:
        for s in sections:
            rows.append(
                {
                    "section": s,
                    "levels": definition["scales"][s["scale"]],
                    "grades": [
                        sel.grade_label(definition, s["scale"], _grade_of(a, s["key"]))
                        for a in audits
                    ],
                    "agreed": recorded.grades.get(s["key"], "")
                    if recorded
                    else request.POST.get(f"grade-{s['key']}", ""),
                }
            )
    overall_scale = definition["overall"]["scale"]
    return render(
        request,
        "audit/consensus.html",
        {
            "audits": audits,
            "lead": lead,
            "case": lead.case,
            "complete": complete,
            "recorded": recorded,
            "rows": rows,
            "overall_levels": definition["scales"][overall_scale],
            "overall_grades": [
                sel.grade_label(definition, overall_scale, a.overall_grade) for a in audits
            ],
            "recorded_overall": sel.grade_label(
                definition, overall_scale, recorded.overall_grade if recorded else ""
            ),
            "waiting": [a for a in audits if a.status != lifecycle.SUBMITTED]
            if not recorded
            else [],
            "errors": errors,
            "group": group,
        },
        status=400 if errors else 200,
    )


def _grade_of(audit: Audit, key: str) -> str:
    for answer in audit.answers.all():
        if answer.key == key:
            return answer.grade
    return ""


# Form templates (QA staff) ----------------------------------------------------------------


@permission_required("accounts.quality_assure", raise_exception=True)
def form_list(request: HttpRequest) -> HttpResponse:
    """QA staff see the forms, their versions, and which one new audits use."""
    templates = FormTemplate.objects.prefetch_related(
        Prefetch("versions", queryset=FormVersion.objects.order_by("-number"))
    )
    return render(request, "audit/form_list.html", {"templates": templates})


@permission_required("accounts.quality_assure", raise_exception=True)
def themes(request: HttpRequest) -> HttpResponse:
    """QA staff keep the list of learning themes auditors tag audits with (Bradford 4)."""
    error = ""
    if request.method == "POST":
        try:
            if "retire" in request.POST or "restore" in request.POST:
                theme = get_object_or_404(
                    ThemeTag, pk=request.POST.get("retire") or request.POST.get("restore")
                )
                services.theme_set_active(theme=theme, active="restore" in request.POST)
                messages.success(request, f"“{theme.name}” has been updated.")
            else:
                theme = services.theme_add(name=request.POST.get("name", ""))
                messages.success(request, f"“{theme.name}” has been added.")
        except RuleViolation as refused:
            error = str(refused)
        else:
            return redirect("audit:themes")
    return render(
        request,
        "audit/themes.html",
        {
            "themes": list(ThemeTag.objects.all()),
            "error": error,
            "name": request.POST.get("name", ""),
        },
        status=400 if error else 200,
    )


@permission_required("accounts.quality_assure", raise_exception=True)
def form_preview(request: HttpRequest, version_pk: int) -> HttpResponse:
    """QA staff preview any version, drafts included, before publishing."""
    version = get_object_or_404(FormVersion.objects.select_related("template"), pk=version_pk)
    definition = version.definition
    return render(
        request,
        "audit/form_preview.html",
        {"version": version, "definition": definition},
    )


@permission_required("accounts.quality_assure", raise_exception=True)
@require_POST
def form_action(request: HttpRequest, version_pk: int) -> HttpResponse:
    """QA staff copy a version into a new draft, publish a draft, or make a form current."""
    version = get_object_or_404(FormVersion.objects.select_related("template"), pk=version_pk)
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.form_publish(version=version, by=request.user)
            messages.success(request, f"Version {version.number} is published.")
        elif action == "copy":
            draft = services.form_draft(
                template=version.template, definition=version.definition, by=request.user
            )
            messages.success(request, f"Draft version {draft.number} made.")
        elif action == "current":
            services.form_make_current(template=version.template)
            messages.success(request, f"New audits will use {version.template.title}.")
    except RuleViolation as refused:
        messages.error(request, str(refused))
    return redirect("audit:forms")


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, version_pk: int) -> HttpResponse:
    """QA staff change the wording of a draft version before they publish it."""
    version = get_object_or_404(FormVersion.objects.select_related("template"), pk=version_pk)
    if version.status != "draft":
        raise Http404
    definition = version.definition
    error = ""
    if request.method == "POST":
        sections = {
            s["key"]: (
                request.POST.get(f"{s['key']}-title", ""),
                request.POST.get(f"{s['key']}-prompts", "").splitlines(),
            )
            for s in definition["sections"]
        }
        try:
            services.form_draft_edit(
                version=version,
                title=request.POST.get("title", ""),
                sections=sections,
                by=request.user,
            )
        except RuleViolation as refused:
            error = str(refused)
        else:
            messages.success(request, f"Draft version {version.number} is saved.")
            return redirect("audit:form-preview", version.pk)
    return render(
        request,
        "audit/form_edit.html",
        {
            "version": version,
            "definition": definition,
            "sections": [
                {**s, "prompts_text": "\n".join(s["prompts"])} for s in definition["sections"]
            ],
            "error": error,
        },
        status=400 if error else 200,
    )


@permission_required("accounts.quality_assure", raise_exception=True)
def qa_queue(request: HttpRequest) -> HttpResponse:
    """QA staff's list: audits waiting for a QA check, in moderation, or returned."""
    return render(
        request,
        "audit/qa_queue.html",
        {
            "checking": list(sel.audits_for_qa(status=lifecycle.QA_CHECK)),
            "moderating": list(sel.audits_for_qa(status=lifecycle.IN_MODERATION)),
            "returned": list(sel.audits_for_qa(status=lifecycle.RETURNED)),
        },
    )
