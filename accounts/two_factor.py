"""Two-factor sign-in (issue 14): a time-based code (TOTP, RFC 6238) from an
authenticator app, with ten single-use recovery codes, on django-otp's devices.

Anyone may turn it on. With TWO_FACTOR_REQUIRED, QA staff, administrators and senior
managers must: until they have, every page sends them to set it up. Once a person has a
confirmed device, every sign-in asks for a code before any page opens.
"""

from __future__ import annotations

import base64
import secrets
from urllib.parse import urlencode

import segno
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_CODES = 10
SESSION_HAS_DEVICE = "casefile_two_factor_device"
# Pages a person still reaches before the second step: the step itself, signing out,
# the session ping, and the public pages.
OPEN_PATHS = (
    "/accounts/two-factor/",
    "/accounts/sign-out/",
    "/accounts/session/",
    "/health/",
    "/static/",
    "/accessibility/",
    "/privacy/",
)


def required_for(user: User) -> bool:
    return settings.TWO_FACTOR_REQUIRED and bool(
        user.personas() & set(settings.TWO_FACTOR_REQUIRED_PERSONAS)
    )


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("reporting:home")


class TwoFactorMiddleware:
    """Before any page: a code from a person with a device; set-up where it is required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or request.path.startswith(OPEN_PATHS)
        ):
            return self.get_response(request)
        query = urlencode({"next": request.get_full_path()})
        # Asked once a session: a device made later signs the person in with it anyway.
        if SESSION_HAS_DEVICE not in request.session:
            request.session[SESSION_HAS_DEVICE] = user_has_device(user)
        if request.session[SESSION_HAS_DEVICE]:
            return redirect(f"{reverse('accounts:two-factor-verify')}?{query}")
        if required_for(user):
            return redirect(f"{reverse('accounts:two-factor-setup')}?{query}")
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="casefile-two-factor-device")
def _note_device_at_sign_in(sender, request, user, **kwargs) -> None:
    """Whether the person has a device is read once, as they sign in."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_HAS_DEVICE] = user_has_device(user)


# Services ---------------------------------------------------------------------------------


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; any earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, code: str) -> bool:
    """The first code from the app proves it holds the key: the device is confirmed."""
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return True


# Views ------------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("code", Submit("submit", "Continue"))


def _qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="Scan this code")


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on: scan the key, type the first code, keep the recovery
    codes shown once."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_confirm(device=device, code=form.cleaned_data["code"].strip()):
            otp_login(request, device)
            codes = recovery_codes_issue(user=user)
            return render(
                request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", "The code is not right. Type the code your app shows now.")
    base32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device),
            "secret": " ".join(base32[i : i + 4] for i in range(0, len(base32), 4)),
            "required": required_for(user),
            "next": _next(request),
            "has_device": user_has_device(user),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code (once)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Make new ones from Two-factor "
                    "sign-in if you are running out.",
                )
            return redirect(_next(request))
        form.add_error("code", "The code is not right, or it has been used.")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """A person signed in with their second step makes new recovery codes."""
    if not request.user.is_verified():
        return redirect("accounts:two-factor-verify")
    codes = recovery_codes_issue(user=request.user)
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next": reverse("reporting:home")},
    )
