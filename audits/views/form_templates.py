"""QA staff's pages for the audit forms: the list, learning themes, previews, drafts and
publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.errors import RuleViolation

from .. import services
from ..models import FormTemplate, FormVersion, ThemeTag

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
