"""The list of organisational-learning themes QA staff keep (Bradford 4; Hillingdon 2.15:
themes go into the service's learning and development log)."""

from __future__ import annotations

from django.db import transaction

from accounts.errors import RuleViolation

from ..models import ThemeTag


@transaction.atomic
def theme_add(*, name: str) -> ThemeTag:
    """Add a theme, or bring back one that was retired under the same name."""
    name = " ".join(name.split())
    if not name:
        raise RuleViolation("Enter the theme.")
    if len(name) > 100:
        raise RuleViolation("The theme must be 100 characters or fewer.")
    theme = ThemeTag.objects.filter(name__iexact=name).first()
    if theme is None:
        return ThemeTag.objects.create(name=name)
    if theme.active:
        raise RuleViolation(f"“{theme.name}” is already on the list.")
    theme.active = True
    theme.save(update_fields=["active"])
    return theme


@transaction.atomic
def theme_set_active(*, theme: ThemeTag, active: bool) -> ThemeTag:
    """Retire a theme from new audits, or bring it back. Audits already tagged keep it."""
    if theme.active != active:
        theme.active = active
        theme.save(update_fields=["active"])
    return theme
