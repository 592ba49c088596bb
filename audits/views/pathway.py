"""The inadequate pathway's pages (P&Q 25-26): every open pathway for QA staff, a group
manager's own; each pathway's meeting and four-week review, recorded by either."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import clock
from accounts.errors import RuleViolation

from .. import selectors as sel
from .. import services
from ..forms import PathwayRecordForm


def pathway_list(request: HttpRequest) -> HttpResponse:
    """QA staff see every open pathway; a group manager (or the head of service, once
    involved) sees the pathways of their teams' cases. Anyone else sees an empty list."""
    pathways = sel.with_current_reaudits(list(sel.pathways_for(user=request.user)))
    return render(
        request,
        "audit/pathways.html",
        {"pathways": pathways, "today": clock.today(), "is_qa": sel.is_qa(request.user)},
    )


@require_http_methods(["GET", "POST"])
def pathway_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One pathway: its dates, and forms to record the meeting and the review. Not found
    for anyone but QA staff and the case's group manager."""
    pathway = sel.pathways_for(user=request.user, open_only=False).filter(pk=pk).first()
    if pathway is None:
        raise Http404("No such pathway")
    sel.with_current_reaudits([pathway])
    part = request.POST.get("part") if request.method == "POST" else None
    forms = {
        name: PathwayRecordForm(request.POST if part == name else None, part=name)
        for name in ("meeting", "review")
    }
    if part in forms and forms[part].is_valid():
        data = forms[part].cleaned_data
        record = (
            services.pathway_meeting_record if part == "meeting" else services.pathway_review_record
        )
        try:
            record(pathway=pathway, by=request.user, today=clock.today(), **data)
            messages.success(request, f"The {part} has been recorded.")
            return redirect("audit:pathway", pathway.pk)
        except RuleViolation as refused:
            forms[part].add_error("note" if "found" in str(refused) else "on", str(refused))
    errors = any(f.errors for f in forms.values())
    return render(
        request,
        "audit/pathway.html",
        {
            "pathway": pathway,
            "case": pathway.case,
            "meeting_form": forms["meeting"],
            "review_form": forms["review"],
            "form": forms[part] if part in forms else forms["meeting"],
            "today": clock.today(),
        },
        status=400 if errors else 200,
    )
