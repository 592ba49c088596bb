"""The API keys page: administrators create, list and revoke keys (issue 15)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import clock
from accounts.errors import RuleViolation
from accounts.models import Role

from . import services
from .forms import ApiKeyForm
from .models import ApiKey, ApiPull


def _admin_only(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or user.role == Role.ADMIN or user.has_perm("api.manage_api_keys")):
        raise PermissionDenied("Only administrators manage API keys.")


def key_list(request: HttpRequest) -> HttpResponse:
    """Administrators see every key, its state and its latest pulls."""
    _admin_only(request)
    today = clock.today()
    keys = list(
        ApiKey.objects.select_related("created_by", "revoked_by").annotate(
            pull_count=Count("pulls")
        )
    )
    pulls = list(ApiPull.objects.select_related("key").order_by("-at")[:50])
    return render(
        request,
        "api/keys.html",
        {
            "keys": [(k, k.state(today)) for k in keys],
            "pulls": pulls,
            "api_enabled": _enabled(),
            "today": today,
        },
    )


def _enabled() -> bool:
    from django.conf import settings

    return settings.API_ENABLED


@never_cache
@require_http_methods(["GET", "POST"])
def key_create(request: HttpRequest) -> HttpResponse:
    """Administrators make a key; it is shown this once and never again."""
    _admin_only(request)
    today = clock.today()
    form = ApiKeyForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            record, key = services.api_key_create(
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                reads_as=form.cleaned_data["reads_as"],
                by=request.user,
                today=today,
            )
        except RuleViolation as refused:
            form.add_error("name", str(refused))
        else:
            return render(request, "api/key_created.html", {"record": record, "key": key})
    return render(
        request, "api/key_create.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators revoke a key; it stops working at once."""
    _admin_only(request)
    record = get_object_or_404(ApiKey, pk=pk)
    if services.api_key_revoke(key=record, by=request.user):
        messages.success(request, f"The key “{record.name}” is revoked and no longer works.")
    return redirect("api:keys")
