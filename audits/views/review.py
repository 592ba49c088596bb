"""The pages after submission: sharing the draft for comment, comments and challenges,
moderation, the QA check and QA staff's queue, supervision, and the consensus of a paired
audit."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import clock
from accounts.errors import RuleViolation

from .. import lifecycle, services
from .. import selectors as sel
from ..form_presets import sections_for
from ..forms import (
    CommentForm,
    EscalateForm,
    ModerationDecisionForm,
    ModeratorForm,
    ReasonForm,
    ReviewSessionForm,
    SupervisionForm,
)
from ..models import (
    Audit,
    ChallengeState,
    Comment,
    Consensus,
    DisputeStage,
    Moderation,
    Outcomes,
    SmartAction,
)
from ..services.paired import may_record_consensus, pair_is_complete
from ..services.qa_grades import qa_grade_rows, qa_grades_posted
from .common import audit_or_404, page_context


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor shares the draft for comment (P&Q 18), or takes it back to change it."""
    audit = audit_or_404(request, pk)
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
    audit = audit_or_404(request, pk)
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
    audit = audit_or_404(request, pk)
    challenge = get_object_or_404(Comment, pk=comment_pk, audit=audit)
    try:
        services.challenge_respond(
            comment=challenge,
            by=request.user,
            resolved=request.POST.get("resolved") == "yes",
            response=request.POST.get("response", ""),
            about="actions" if request.POST.get("about") == "actions" else "grade",
        )
    except RuleViolation as refused:
        raise PermissionDenied(str(refused)) from None
    return redirect("audit:task-list", audit.pk)


@require_http_methods(["GET", "POST"])
def challenge_moderation(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """The worker, team manager or IRO who challenged takes an open challenge to
    moderation (P&Q 22). Only they, and only while it is open."""
    audit = audit_or_404(request, pk)
    challenge = get_object_or_404(Comment, pk=comment_pk, audit=audit, is_challenge=True)
    if challenge.author_id != request.user.pk:
        raise PermissionDenied("Only the person who made the challenge can take it further.")
    if challenge.state != ChallengeState.OPEN:
        raise PermissionDenied("This challenge has already been answered.")
    form = EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_escalate(
                comment=challenge,
                by=request.user,
                reason=form.cleaned_data["reason"],
                about=form.cleaned_data["about"] or "grade",
            )
            messages.success(request, "QA staff have been asked to arrange moderation.")
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            form.add_error("reason", str(refused))
    return render(
        request,
        "audit/challenge_moderation.html",
        page_context(request, audit, form=form, challenge=challenge),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def review_session(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor records the review session's findings (Hillingdon 2.11): agreed, the
    draft comes back to change; not agreed, the head of service mediates (2.12)."""
    audit = audit_or_404(request, pk)
    if not sel.is_auditor_of(request.user, audit):
        raise PermissionDenied("The auditor records the review session.")
    waiting = sel.open_moderation(audit)
    if waiting is None or waiting.stage != DisputeStage.REVIEW_SESSION:
        raise Http404("No review session is waiting")
    form = ReviewSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_session_record(
                audit=audit, by=request.user, today=clock.today(), **form.cleaned_data
            )
            messages.success(request, "The review session's findings are recorded.")
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            form.add_error("findings", str(refused))
    return render(
        request,
        "audit/review_session.html",
        page_context(request, audit, form=form, moderation=waiting),
        status=400 if form.errors else 200,
    )


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def moderation_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff choose a moderator not connected with the case; others are refused."""
    audit = audit_or_404(request, pk)
    moderation = sel.open_moderation(audit)
    if moderation is None or moderation.stage == DisputeStage.REVIEW_SESSION:
        raise Http404("No moderation is waiting to be arranged")
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
        page_context(
            request,
            audit,
            form=form,
            moderation=moderation,
            candidates=sel.moderator_candidates(audit=audit, stage=moderation.stage)[:20],
        ),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def moderation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderator records the final decision on grade and actions (P&Q 22)."""
    audit = audit_or_404(request, pk)
    moderation = (
        Moderation.objects.filter(audit=audit, moderator=request.user)
        .exclude(stage=DisputeStage.REVIEW_SESSION)
        .order_by("decided_at", "id")
        .first()
    )
    if moderation is None:
        raise Http404("You are not deciding this audit")
    definition = audit.definition
    form = ModerationDecisionForm(
        request.POST or None, levels=definition["scales"][definition["overall"]["scale"]]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_decide(
                audit=audit, by=request.user, today=clock.today(), **form.cleaned_data
            )
            messages.success(request, "Your decision has been recorded. It is final.")
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            form.add_error(None, str(refused))
    return render(
        request,
        "audit/moderation_decide.html",
        page_context(
            request, audit, form=form, moderation=moderation, summary=sel.audit_summary(audit)
        ),
        status=400 if form.errors else 200,
    )


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def qa_check(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff accept a sampled audit or return it for amendment (P&Q 20)."""
    audit = audit_or_404(request, pk)
    form = ReasonForm(request.POST or None)
    # The QA officer's own grades, optional, kept for agreement statistics (Bury 5.2, 8.1).
    grading_rows = qa_grade_rows(audit=audit, posted=request.POST)
    if request.method == "POST" and form.is_valid():
        returning = request.POST.get("decision") == "return"
        try:
            check = services.qa_check_decide(
                audit=audit,
                by=request.user,
                accept=not returning,
                reason=form.cleaned_data["reason"],
                grades=qa_grades_posted(audit=audit, posted=request.POST),
                today=clock.today(),
            )
            if returning:
                messages.success(
                    request, f"Returned to the auditor, due back {check.due_on:%-d %B %Y}."
                )
            else:
                messages.success(request, "Accepted; the audit is with the team manager.")
            return redirect("audit:task-list", audit.pk)
        except RuleViolation as refused:
            form.add_error("reason", str(refused))
    return render(
        request,
        "audit/qa_check.html",
        page_context(
            request, audit, form=form, summary=sel.audit_summary(audit), grading_rows=grading_rows
        ),
        status=400 if form.errors else 200,
    )


@require_POST
def supervision(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's team manager records the supervision, then may close the audit."""
    audit = audit_or_404(request, pk)
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
    pair_actions = list(
        SmartAction.objects.filter(audit__in=audits).select_related("audit__allocation__auditor")
    )
    blocks = definition.get("blocks", ())
    if request.method == "POST" and complete and not recorded:
        grades = {s["key"]: request.POST.get(f"grade-{s['key']}", "") for s in sections}
        try:
            services.consensus_record(
                pair_group=group,
                by=request.user,
                grades=grades,
                overall_grade=request.POST.get("overall", ""),
                notes=request.POST.get("notes", ""),
                today=clock.today(),
                actions={
                    a.pk: request.POST.get(f"action-{a.pk}", "")
                    for a in pair_actions
                    if request.POST.get(f"action-{a.pk}")
                },
                outcomes_met=request.POST.get("outcomes_met")
                if "outcomes_question" in blocks
                else None,
                good_elements=request.POST.get("good_elements"),
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
            "pair_actions": pair_actions,
            "ask_outcomes": "outcomes_question" in blocks,
            "outcome_choices": Outcomes.choices,
            "lead_outcomes": request.POST.get("outcomes_met", lead.outcomes_met),
            "lead_good_elements": request.POST.get("good_elements", lead.good_elements),
        },
        status=400 if errors else 200,
    )


def _grade_of(audit: Audit, key: str) -> str:
    for answer in audit.answers.all():
        if answer.key == key:
            return answer.grade
    return ""


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
