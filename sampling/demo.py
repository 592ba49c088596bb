"""About 6,000 synthetic open cases for the demo authority, with Annex A-like fields.

Deterministic for a seed; existing case IDs are left as they are.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from accounts.demo import STRUCTURE
from accounts.models import Role, Team, User

from .models import AgeBand, Case, CaseStatus, CaseType, Gender

ETHNICITIES = (
    ("White British", 60),
    ("White Other", 6),
    ("Mixed White and Black Caribbean", 4),
    ("Mixed Other", 4),
    ("Asian Pakistani", 8),
    ("Asian Indian", 3),
    ("Asian Bangladeshi", 2),
    ("Black African", 5),
    ("Black Caribbean", 3),
    ("Other ethnic group", 2),
    ("Not stated", 3),
)
AGE_BANDS_BY_TYPE = {
    CaseType.EARLY_HELP: (AgeBand.UNDER_1, AgeBand.AGE_1_4, AgeBand.AGE_5_9, AgeBand.AGE_10_15),
    CaseType.CIN: (
        AgeBand.UNBORN,
        AgeBand.UNDER_1,
        AgeBand.AGE_1_4,
        AgeBand.AGE_5_9,
        AgeBand.AGE_10_15,
        AgeBand.AGE_16_17,
    ),
    CaseType.CP: (
        AgeBand.UNBORN,
        AgeBand.UNDER_1,
        AgeBand.AGE_1_4,
        AgeBand.AGE_5_9,
        AgeBand.AGE_10_15,
    ),
    CaseType.CLA: (
        AgeBand.UNDER_1,
        AgeBand.AGE_1_4,
        AgeBand.AGE_5_9,
        AgeBand.AGE_10_15,
        AgeBand.AGE_16_17,
    ),
    CaseType.CARE_LEAVER: (AgeBand.AGE_18_PLUS,),
    CaseType.CWD: (AgeBand.AGE_1_4, AgeBand.AGE_5_9, AgeBand.AGE_10_15, AgeBand.AGE_16_17),
    CaseType.FOSTERING: (AgeBand.UNKNOWN,),
    CaseType.ADOPTION: (AgeBand.UNKNOWN,),
}
LEGAL_STATUSES = {
    CaseType.CLA: (
        "C1 Interim care order",
        "C2 Full care order",
        "V2 Section 20",
        "E1 Placement order",
    ),
    CaseType.CP: ("CP plan",),
    CaseType.CARE_LEAVER: ("Former relevant", "Relevant"),
}
CASES_PER_TEAM = 150


@transaction.atomic
def build_cases(
    *, seed: int = 2026, per_team: int = CASES_PER_TEAM, today: dt.date | None = None
) -> int:
    """Create the demo cases that do not exist yet; returns how many were created."""
    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 2)
    teams = {t.name: t for t in Team.objects.all()}
    workers: dict[int, list[User]] = {}
    for user in User.objects.filter(
        role__in=[Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER], team__isnull=False
    ).order_by("email"):
        workers.setdefault(user.team_id, []).append(user)
    ethnicities = [e for e, _ in ETHNICITIES]
    ethnicity_weights = [w for _, w in ETHNICITIES]
    cases = []
    number = 100000
    for _area, team_specs in STRUCTURE:
        for team_name, case_types in team_specs:
            team = teams.get(team_name)
            if team is None or not case_types:
                continue
            for _ in range(per_team):
                number += 1
                case_type = CaseType(rng.choice(case_types))
                worker_pool = workers.get(team.id) or [None]
                statuses = LEGAL_STATUSES.get(case_type, ("",))
                cases.append(
                    Case(
                        external_id=f"DEMO{number}",
                        case_type=case_type,
                        team=team,
                        allocated_worker=rng.choice(worker_pool),
                        legal_status=rng.choice(statuses),
                        opened_on=today - dt.timedelta(days=rng.randint(14, 1100)),
                        age_band=rng.choice(AGE_BANDS_BY_TYPE[case_type]),
                        gender=rng.choices([Gender.FEMALE, Gender.MALE, Gender.OTHER], [48, 50, 2])[
                            0
                        ],
                        ethnicity=rng.choices(ethnicities, ethnicity_weights)[0],
                        disability=case_type == CaseType.CWD or rng.random() < 0.08,
                        status=CaseStatus.OPEN,
                    )
                )
    existing = set(
        Case.objects.filter(external_id__in=[c.external_id for c in cases]).values_list(
            "external_id", flat=True
        )
    )
    new = [c for c in cases if c.external_id not in existing]
    Case.objects.bulk_create(new, batch_size=1000)
    return len(new)
