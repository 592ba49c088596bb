"""A person's personas and permissions, read together once a request (issue 16).

Every page asks both: the navigation asks the permissions, the panels and checks the
personas. Django reads the permissions in two queries (the person's own and their groups')
and the personas took a third; `load_access` reads all three in one and keeps them on the
user object, where `User.personas` and Django's `ModelBackend` look for them.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import models

from .compiled import rows_for_person


def _access_rows(user_id):
    """The person's group names and permissions, their own with no group name: one query."""
    by_group = (
        Group.objects.filter(user=user_id)
        .order_by()
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
    )
    own = (
        Permission.objects.filter(user=user_id)
        .order_by()
        .values_list(
            models.Value(None, output_field=models.CharField()),
            "content_type__app_label",
            "codename",
        )
    )
    return by_group.union(own, all=True)


def load_access(user) -> None:
    """Fill the person's persona and permission caches with one query (its SQL built once
    a process: `accounts.compiled`). A superuser's or an inactive person's permissions are
    left to Django's own rule (`accounts.backends.StaffPasswordBackend`)."""
    rows = rows_for_person(_access_rows, user.pk)
    personas: set[str] = set()
    from_groups: set[str] = set()
    own_perms: set[str] = set()
    for group, app_label, codename in rows:
        if group is not None:
            personas.add(group)
        if codename is not None:
            (from_groups if group is not None else own_perms).add(f"{app_label}.{codename}")
    user._personas = personas
    if user.is_active and not user.is_superuser:
        user._user_perm_cache = own_perms
        user._group_perm_cache = from_groups
        user._perm_cache = own_perms | from_groups
