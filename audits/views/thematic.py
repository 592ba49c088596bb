"""Thematic samples' allocation: QA staff allocate a confirmed thematic sample with its own
deadline, review and confirm it (Bury 4.2, 8.1; Leeds 4.5)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import clock
from accounts.errors import RuleViolation
from sampling.models import Sample, SampleKind, SampleStatus

from .. import services
from ..models import AllocationRun


class ThematicDeadlineForm(forms.Form):
    deadline = forms.DateField(
        label="When are the thematic audits due?",
        help_text="For example, 2027-01-29",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the deadline", "invalid": "Enter a real date"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("deadline")


@permission_required("accounts.manage_allocation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def thematic_allocation(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff only: propose the allocation of a confirmed thematic sample with its
    deadline, then confirm it; the auditors are told as for the month's."""
    sample = get_object_or_404(
        Sample, pk=pk, kind=SampleKind.THEMATIC, status=SampleStatus.CONFIRMED
    )
    run = AllocationRun.objects.filter(sample=sample).first()
    form = ThematicDeadlineForm(request.POST if request.POST.get("action") == "propose" else None)
    today = clock.today()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm" and run is not None:
                services.allocation_confirm(run=run, by=request.user, today=today)
                messages.success(request, "The thematic allocation is confirmed.")
                return redirect("audits:thematic", pk=sample.pk)
            if run is None and form.is_valid():
                services.allocation_propose_thematic(
                    sample=sample,
                    deadline=form.cleaned_data["deadline"],
                    today=today,
                    by=request.user,
                )
                return redirect("audits:thematic", pk=sample.pk)
        except RuleViolation as refused:
            form.add_error(None if run else "deadline", str(refused))
    allocations = (
        list(run.allocations.select_related("case", "auditor").order_by("case__external_id"))
        if run
        else []
    )
    return render(
        request,
        "audits/thematic.html",
        {"sample": sample, "run": run, "form": form, "allocations": allocations},
        status=400 if form.errors else 200,
    )
