from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models import Persona, Policy, User
from ..policy_presets import preset_values
from .notices import notify


@transaction.atomic
def policy_load_preset(*, preset: str) -> Policy:
    """Set every setting of the authority's policy from one of the five seed presets."""
    values = preset_values(preset)
    policy, _ = Policy.objects.select_for_update().get_or_create(id=1)
    for field, value in values.items():
        setattr(policy, field, value)
    policy.full_clean()
    policy.save()
    return policy


@transaction.atomic
def policy_update(*, policy: Policy, by: User | None = None, **changes: Any) -> Policy:
    """Change settings of the policy. A hand-edited policy is no longer a preset, and the
    other QA staff are told what changed."""
    changed = [f for f, v in changes.items() if getattr(policy, f) != v]
    if not changed:
        return policy
    for field in changed:
        setattr(policy, field, changes[field])
    policy.preset = "custom"
    policy.full_clean()
    policy.save()
    qa_staff = User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True).exclude(
        pk=getattr(by, "pk", None)
    )
    labels = [str(Policy._meta.get_field(f).verbose_name) for f in changed]
    notify(
        recipients=qa_staff,
        template="policy-changed",
        key=f"policy-changed:{policy.updated_at.isoformat()}",
        context={
            "changed_by": by.full_name if by else "An administrator",
            "changed_on": timezone.localtime(policy.updated_at).date(),
            "fields": labels,
        },
        url=reverse("accounts:policy"),
    )
    return policy
