"""Mapping the team and worker names of the case lists to the organisation.

An unknown name is never made into a team or a person: QA staff match it once, the
mapping is remembered for every later import, and the open cases that carry the name
take the team or worker at once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import Team, User

from ..annex_a import squash
from ..models import Case, NameKind, NameMapping


@transaction.atomic
def name_map(
    *,
    kind: str,
    source_name: str,
    team: Team | None = None,
    user: User | None = None,
    by: User | None = None,
) -> int:
    """Remember that a name in the case lists means this team (or this person), and give
    the cases that carry the name that team or worker. Returns how many cases changed."""
    key = squash(source_name)
    if not key:
        raise RuleViolation("The name is empty.")
    if kind == NameKind.TEAM and team is None:
        raise RuleViolation("Choose the team this name means.")
    if kind == NameKind.WORKER and user is None:
        raise RuleViolation("Choose the person this name means.")
    NameMapping.objects.update_or_create(
        kind=kind,
        source_key=key,
        defaults={
            "source_name": source_name[:150],
            "team": team if kind == NameKind.TEAM else None,
            "user": user if kind == NameKind.WORKER else None,
            "mapped_by": by,
            "mapped_at": timezone.now(),
        },
    )
    field = "team_source" if kind == NameKind.TEAM else "worker_source"
    target = "team" if kind == NameKind.TEAM else "allocated_worker"
    # The lists spell a name in several ways; every spelling with the same key is the name.
    spellings = {
        name
        for name in Case.objects.filter(**{f"{target}__isnull": True})
        .exclude(**{field: ""})
        .values_list(field, flat=True)
        .distinct()
        if squash(name) == key
    }
    spellings.add(source_name)
    cases = Case.objects.filter(**{f"{field}__in": spellings})
    return cases.update(**{target: team or user, "updated_at": timezone.now()})
