"""The idle timeout (issue 14): besides the absolute SESSION_COOKIE_AGE, a person who makes
no request for SESSION_IDLE_TIMEOUT seconds is signed out. Pages warn
SESSION_IDLE_WARNING seconds before (static/app/idle.js, which can keep the session alive);
an audit's typing is kept in the browser by the autosave script whatever happens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

LAST_ACTIVITY = "casefile_last_activity"
# Write the session at most this often: every request is activity, few need a write.
TOUCH_EVERY = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(timezone.now().timestamp())
        last = request.session.get(LAST_ACTIVITY)
        if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            if "json" in request.headers.get("Accept", ""):
                return JsonResponse({"error": "Your session has ended."}, status=401)
            query = urlencode({"next": request.get_full_path(), "idle": "1"})
            return redirect(f"{reverse('accounts:login')}?{query}")
        if last is None or now - int(last) >= TOUCH_EVERY:
            request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="casefile-idle-stamp")
def _stamp_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(timezone.now().timestamp())


def session_timeout(request: HttpRequest) -> dict:
    """What the idle warning script needs, on every page of a signed-in person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "idle_warning": settings.SESSION_IDLE_WARNING,
    }


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The warning's "Stay signed in": the request itself is the activity."""
    request.session[LAST_ACTIVITY] = int(timezone.now().timestamp())
    return HttpResponse(status=204)
