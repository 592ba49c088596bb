from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from ..models import Persona, User
from ..personas import PERSONA_PERMISSIONS, personas_for


@transaction.atomic
def persona_groups_ensure() -> dict[str, Group]:
    """Create the persona groups with their permissions; safe to run any number of times."""
    content_type = ContentType.objects.get_for_model(User)
    wanted = {c for perms in PERSONA_PERMISSIONS.values() for c in perms}
    codenames = {c for c in wanted if "." not in c}
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(content_type=content_type, codename__in=codenames)
    }
    # The Django admin's own model permissions ("app_label.codename"), made by migrate.
    for p in Permission.objects.filter(
        codename__in={c.split(".", 1)[1] for c in wanted if "." in c}
    ).select_related("content_type"):
        label = f"{p.content_type.app_label}.{p.codename}"
        if label in wanted:
            permissions[label] = p
    for codename in codenames - permissions.keys():
        permissions[codename] = Permission.objects.create(
            content_type=content_type, codename=codename, name=codename.replace("_", " ")
        )
    groups = {}
    for persona, perms in PERSONA_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=persona.value)
        group.permissions.set([permissions[c] for c in perms if c in permissions])
        groups[persona.value] = group
    return groups


def user_sync_groups(*, user: User, groups: dict[str, Group] | None = None) -> None:
    """Put the person in the persona groups their role and pool membership give them."""
    groups = groups or {g.name: g for g in Group.objects.filter(name__in=Persona.values)}
    if len(groups) < len(Persona):
        groups = persona_groups_ensure()
    wanted = [
        groups[p.value] for p in personas_for(role=user.role, in_audit_pool=user.in_audit_pool)
    ]
    # The Django admin is for administrators; nobody is a superuser (issue 14).
    is_admin = any(g.name == Persona.ADMIN for g in wanted)
    if user.is_staff != is_admin or user.is_superuser:
        user.is_staff, user.is_superuser = is_admin, False
        type(user).objects.filter(pk=user.pk).update(is_staff=is_admin, is_superuser=False)
    current = set(user.groups.filter(name__in=Persona.values).values_list("id", flat=True))
    if current != {g.id for g in wanted}:
        user.groups.remove(*[g for g in groups.values() if g.id in current])
        user.groups.add(*wanted)
    user.forget_access()
