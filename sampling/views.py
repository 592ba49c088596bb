from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import clock
from accounts.errors import RuleViolation

from . import annex_a, exports, selectors, services
from .forms import DrawMonthlyForm, FrameUploadForm, NameMapForm, RedrawForm, ThematicForm
from .models import NameKind, Sample, SampleKind, Snapshot, SnapshotSource, SnapshotStatus
from .services.draw import EXCLUSIONS, sampling_day

MANAGE = "accounts.manage_sampling"


@permission_required(MANAGE, raise_exception=True)
def frame(request: HttpRequest) -> HttpResponse:
    """QA staff see the sampling frame: the newest lists, open cases, names to map."""
    return render(request, "sampling/frame.html", selectors.frame_overview())


@permission_required(MANAGE, raise_exception=True)
def frame_import(request: HttpRequest) -> HttpResponse:
    """QA staff upload this week's Annex A lists (several files, or the one workbook);
    each is dated from the form, else its name, else today; the worker imports them."""
    today = clock.today()
    form = FrameUploadForm(request.POST or None, request.FILES or None, today=today)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            started = services.frame_imports_start(
                files=form.dated_files(),
                complete=form.cleaned_data["complete"],
                source=SnapshotSource.UPLOAD,
                by=request.user,
            )
        except services.FrameFileRefused as refused:
            refusal = refused.message
        else:
            if len(started) == 1:
                return redirect("sampling:import-detail", pk=started[0].pk)
            ids = ",".join(str(s.pk) for s in started)
            return redirect(f"{reverse('sampling:import-batch')}?ids={ids}")
    return render(
        request,
        "sampling/import.html",
        {
            "form": form,
            "row_errors": [refusal] if refusal else None,
            "columns": annex_a.accepted_columns(),
        },
        status=400 if refusal or form.errors else 200,
    )


def _batch(request: HttpRequest) -> list[Snapshot]:
    try:
        ids = [int(part) for part in request.GET.get("ids", "").split(",") if part][:20]
    except ValueError:
        raise Http404 from None
    snapshots = list(Snapshot.objects.filter(pk__in=ids).order_by("as_of", "file_name", "pk"))
    if not snapshots:
        raise Http404
    return snapshots


@permission_required(MANAGE, raise_exception=True)
def import_batch(request: HttpRequest) -> HttpResponse:
    """QA staff follow the imports of one upload of several files."""
    snapshots = _batch(request)
    finished = all(s.finished for s in snapshots)
    return render(
        request,
        "sampling/import_batch.html",
        {
            "snapshots": snapshots,
            "finished": finished,
            "all_imported": all(s.status == SnapshotStatus.IMPORTED for s in snapshots),
            "ids": request.GET.get("ids", ""),
        },
    )


@permission_required(MANAGE, raise_exception=True)
def import_batch_progress(request: HttpRequest) -> JsonResponse:
    """How the imports of one upload stand, for the batch page's script to poll."""
    snapshots = _batch(request)
    done = sum(1 for s in snapshots if s.finished)
    return JsonResponse(
        {
            "finished": done == len(snapshots),
            "percent": round(sum(s.percent for s in snapshots) / len(snapshots)),
            "text": f"{done} of {len(snapshots)} files imported.",
        }
    )


@permission_required(MANAGE, raise_exception=True)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff follow an import's progress and read its summary."""
    snapshot = get_object_or_404(Snapshot.objects.select_related("created_by"), pk=pk)
    return render(request, "sampling/import_detail.html", selectors.import_summary(snapshot))


@permission_required(MANAGE, raise_exception=True)
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The progress of an import, for the page's script to poll."""
    snapshot = get_object_or_404(Snapshot, pk=pk)
    return JsonResponse(
        {
            "status": snapshot.status,
            "status_label": snapshot.get_status_display(),
            "finished": snapshot.finished,
            "rows_read": snapshot.rows_read,
            "rows_expected": snapshot.rows_expected,
            "percent": snapshot.percent,
        }
    )


@permission_required(MANAGE, raise_exception=True)
def names(request: HttpRequest) -> HttpResponse:
    """QA staff map each unknown team and worker name once."""
    form = NameMapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = services.name_map(
            kind=data["kind"],
            source_name=data["source_name"],
            team=data["team"] if data["kind"] == NameKind.TEAM else None,
            user=data["user"] if data["kind"] == NameKind.WORKER else None,
            by=request.user,
        )
        target = data["team"] if data["kind"] == NameKind.TEAM else data["user"]
        messages.success(
            request,
            f"“{data['source_name']}” now means {target}. {changed} case"
            f"{'' if changed == 1 else 's'} updated.",
        )
        return redirect("sampling:names")
    unmatched = selectors.unmatched_names()
    return render(
        request,
        "sampling/names.html",
        {
            "teams": unmatched["team"],
            "workers": unmatched["worker"],
            "no_team_name": selectors.cases_without_team_name(),
            "team_choices": form.fields["team"].queryset,
            "user_choices": form.fields["user"].queryset,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def sample_list(request: HttpRequest) -> HttpResponse:
    """QA staff see every sample; heads of service their thematic samples."""
    if not selectors.may_draw_thematic(request.user):
        raise PermissionDenied
    today = clock.today()
    manage = request.user.has_perm(MANAGE)
    return render(
        request,
        "sampling/sample_list.html",
        {
            "samples": list(selectors.samples_for(user=request.user)[:100]),
            "draw_form": DrawMonthlyForm(today=today) if manage else None,
            "manage": manage,
            "waiting_for_team": selectors.cases_waiting_for_team(),
        },
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def sample_draw(request: HttpRequest) -> HttpResponse:
    """QA staff draft the month's sample (or open the one it has)."""
    today = clock.today()
    form = DrawMonthlyForm(request.POST, today=today)
    if not form.is_valid():
        messages.error(request, "Choose a month.")
        return redirect("sampling:samples")
    sample = services.sample_draw_monthly(
        period=form.cleaned_data["period"], today=today, by=request.user
    )
    return redirect("sampling:sample-detail", pk=sample.pk)


def _sample_for(request: HttpRequest, pk: int) -> Sample:
    sample = get_object_or_404(Sample.objects.select_related("created_by", "confirmed_by"), pk=pk)
    if request.user.has_perm(MANAGE):
        return sample
    if (
        sample.kind == SampleKind.THEMATIC
        and sample.created_by_id == request.user.pk
        and selectors.may_draw_thematic(request.user)
    ):
        return sample
    raise PermissionDenied


def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff (and the head of service who drew a thematic sample) preview a sample."""
    sample = _sample_for(request, pk)
    return render(
        request,
        "sampling/sample_detail.html",
        {
            "sample": sample,
            "cases": list(selectors.sample_cases(sample=sample)),
            "exclusions": [
                (key, label, sample.exclusions.get(key, 0)) for key, label in EXCLUSIONS
            ],
            "waiting_for_team": selectors.cases_waiting_for_team(),
            "manage": request.user.has_perm(MANAGE),
            "redraw_form": RedrawForm(),
            "snapshots": list(Snapshot.objects.filter(pk__in=sample.frame_snapshots)),
            "frame_day": sampling_day(period=sample.period)
            if sample.kind == SampleKind.MONTHLY
            else None,
        },
    )


@require_POST
def sample_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Who may see a draft may draw it again with another seed."""
    sample = _sample_for(request, pk)
    form = RedrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The seed must be a whole number.")
        return redirect("sampling:sample-detail", pk=pk)
    try:
        services.sample_redraw(
            sample=sample,
            today=clock.today(),
            by=request.user,
            seed=form.cleaned_data["seed"],
        )
    except RuleViolation as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "The sample has been drawn again.")
    return redirect("sampling:sample-detail", pk=pk)


@require_POST
def sample_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Who may see a draft may confirm it; a confirmed sample is fixed."""
    sample = _sample_for(request, pk)
    try:
        confirmed = services.sample_confirm(sample=sample, by=request.user)
    except RuleViolation as refused:
        messages.error(request, str(refused))
        return redirect("sampling:sample-detail", pk=pk)
    if confirmed.pk != sample.pk:
        messages.error(request, "The month already has a confirmed sample; here it is.")
    else:
        messages.success(request, "The sample is confirmed.")
    return redirect("sampling:sample-detail", pk=confirmed.pk)


def sample_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Who may see a sample may download it as CSV or XLSX."""
    sample = _sample_for(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    stem = f"sample-{sample.period:%Y-%m}-{sample.kind}-{sample.pk}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(sample),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    buffer = io.StringIO()
    exports.write_csv(sample, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


def thematic_new(request: HttpRequest) -> HttpResponse:
    """QA staff and heads of service choose a theme and draw its sample."""
    if not selectors.may_draw_thematic(request.user):
        raise PermissionDenied
    today = clock.today()
    form = ThematicForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        from .forms import parse_month

        sample = services.sample_draw_thematic(
            name=form.cleaned_data["name"],
            period=parse_month(form.cleaned_data["period"]),
            filters=form.filters(),
            size=form.cleaned_data["size"],
            today=today,
            by=request.user,
        )
        return redirect("sampling:sample-detail", pk=sample.pk)
    return render(
        request, "sampling/thematic_new.html", {"form": form}, status=400 if form.errors else 200
    )
