"""Passwords, when single sign-on is on, only for the named break-glass accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def may_use_password(email: str | None) -> bool:
    """Everyone, without single sign-on; with it, only the emergency (break-glass) accounts
    named in `SSO_BREAK_GLASS_EMAILS`, so a sign-in still works when the identity provider
    does not."""
    if not settings.SSO_ENABLED:
        return True
    allowed = {e.strip().lower() for e in settings.SSO_BREAK_GLASS_EMAILS if e.strip()}
    return bool(email) and email.strip().lower() in allowed


class StaffPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email")
        if not may_use_password(email):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_all_permissions(self, user_obj, obj=None):
        """As Django's, but read with the person's personas in one query
        (`User.load_access`); a superuser's are Django's own (every permission)."""
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_perm_cache")
            and hasattr(user_obj, "load_access")
        ):
            user_obj.load_access()
        return super().get_all_permissions(user_obj, obj)
