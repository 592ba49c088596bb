"""A synthetic authority for demos and tests: service areas, teams and about 300 staff.

Every name is made up by combining two short lists; no real person is described. The build
is deterministic and creates only what is missing, so running it twice changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Role, ServiceArea, Team, User
from .services import persona_groups_ensure, user_sync_groups

DEMO_DOMAIN = "demo.casefile.test"
DEMO_PASSWORD = "casefile-demo"

FIRST_NAMES = [
    "Ada",
    "Bea",
    "Cal",
    "Dara",
    "Eli",
    "Fen",
    "Gus",
    "Hana",
    "Ivo",
    "Jude",
    "Kit",
    "Lior",
    "Mae",
    "Nico",
    "Ona",
    "Pip",
    "Quin",
    "Rae",
    "Sol",
    "Tam",
    "Uma",
    "Vic",
    "Wren",
    "Xan",
    "Yara",
    "Zed",
    "Arlo",
    "Bryn",
    "Cleo",
    "Dev",
    "Esme",
    "Finn",
    "Gwen",
    "Hal",
    "Isla",
    "Jax",
    "Kai",
    "Lena",
    "Milo",
    "Nell",
]
LAST_NAMES = [
    "Ashdown",
    "Birchley",
    "Coldharbour",
    "Dunmore",
    "Elmstead",
    "Fairweather",
    "Greystone",
    "Hollins",
    "Ironside",
    "Juniper",
    "Kestrel",
    "Larkhill",
    "Marchmont",
    "Northcote",
    "Oakridge",
    "Penhallow",
    "Quarrington",
    "Redmayne",
    "Saltmarsh",
    "Thornbury",
    "Underwood",
    "Vantage",
    "Wickersley",
    "Yarrowby",
    "Ambleside",
    "Brackenbury",
    "Cheverton",
    "Dovecote",
    "Eastwick",
    "Fernhill",
    "Goldthorpe",
    "Hartwell",
    "Inglenook",
    "Kingsmere",
    "Lowther",
    "Millbrook",
    "Netherby",
    "Orchardson",
    "Pemberley",
    "Rosedale",
]

# (service area, [(team name, case types)])
STRUCTURE: list[tuple[str, list[tuple[str, tuple[str, ...]]]]] = [
    (
        "Early Help and Front Door",
        [(f"Early Help {n}", ("early_help",)) for n in range(1, 5)]
        + [("Front Door (MASH)", ("cin",))]
        + [(f"Assessment {n}", ("cin", "cp")) for n in range(1, 4)],
    ),
    (
        "Safeguarding and Family Support",
        [(f"Family Support {n}", ("cin", "cp")) for n in range(1, 11)],
    ),
    (
        "Children Looked After",
        [(f"Children in Care {n}", ("cla",)) for n in range(1, 9)],
    ),
    (
        "Care Leavers and Disability",
        [(f"Leaving Care {n}", ("care_leaver",)) for n in range(1, 5)]
        + [(f"Children with Disabilities {n}", ("cwd",)) for n in range(1, 5)],
    ),
    (
        "Permanence and Quality",
        [(f"Fostering {n}", ("fostering",)) for n in range(1, 4)]
        + [(f"Adoption {n}", ("adoption",)) for n in range(1, 3)]
        + [("Safeguarding and Reviewing Unit", ()), ("Performance and Quality", ())],
    ),
]


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    persona: str
    role: Role
    description: str


# The persona sign-ins listed in the README.
DEMO_SIGN_INS = (
    DemoSignIn(
        f"qa@{DEMO_DOMAIN}", "QA staff", Role.QA_OFFICER, "QA officer, Performance and Quality"
    ),
    DemoSignIn(
        f"auditor@{DEMO_DOMAIN}",
        "Auditor",
        Role.ADVANCED_PRACTITIONER,
        "Advanced practitioner in the audit pool",
    ),
    DemoSignIn(
        f"teammanager@{DEMO_DOMAIN}",
        "Team manager",
        Role.TEAM_MANAGER,
        "Team manager of Family Support 1",
    ),
    DemoSignIn(
        f"servicemanager@{DEMO_DOMAIN}",
        "Service manager",
        Role.SERVICE_MANAGER,
        "Service manager, Safeguarding and Family Support",
    ),
    DemoSignIn(
        f"senior@{DEMO_DOMAIN}", "Senior manager", Role.ASSISTANT_DIRECTOR, "Assistant Director"
    ),
    DemoSignIn(
        f"socialworker@{DEMO_DOMAIN}",
        "Social worker",
        Role.SOCIAL_WORKER,
        "Social worker in Family Support 1",
    ),
    DemoSignIn(f"admin@{DEMO_DOMAIN}", "Admin", Role.ADMIN, "System administrator"),
)


class _Names:
    def __init__(self, rng: random.Random):
        pairs = [(f, la) for f in FIRST_NAMES for la in LAST_NAMES]
        rng.shuffle(pairs)
        self._pairs = iter(pairs)

    def next(self) -> tuple[str, str]:
        first, last = next(self._pairs)
        return f"{first} {last}", f"{first}.{last}@{DEMO_DOMAIN}".lower()


@transaction.atomic
def build_organisation(*, seed: int = 2026) -> dict[str, int]:
    """Create the demo authority's areas, teams and staff where they are missing."""
    rng = random.Random(seed)
    names = _Names(rng)
    password = make_password(DEMO_PASSWORD)
    groups = persona_groups_ensure()
    existing = {u.email: u for u in User.objects.all()}
    made = {"people": 0, "teams": 0, "areas": 0}
    special = {s.email: s for s in DEMO_SIGN_INS}

    def person(role: Role, *, team=None, area=None, manager=None, pool=False, email=None) -> User:
        full_name, generated = names.next()
        email = email or generated
        user = existing.get(email)
        if user is None:
            user = User(
                email=email,
                full_name=full_name,
                role=role,
                team=team,
                service_area=area,
                line_manager=manager,
                in_audit_pool=pool,
                password=password,
                is_staff=role == Role.ADMIN,
            )
            user.save()
            user_sync_groups(user=user, groups=groups)
            existing[email] = user
            made["people"] += 1
        return user

    director = person(Role.STRATEGIC_DIRECTOR, pool=True)
    assistant_directors = [
        person(Role.ASSISTANT_DIRECTOR, manager=director, pool=True, email=f"senior@{DEMO_DOMAIN}"),
        person(Role.ASSISTANT_DIRECTOR, manager=director, pool=True),
    ]
    person(Role.ADMIN, manager=director, email=f"admin@{DEMO_DOMAIN}")
    person(Role.ADMIN, manager=director)

    for area_index, (area_name, teams) in enumerate(STRUCTURE):
        area, created = ServiceArea.objects.get_or_create(name=area_name)
        made["areas"] += created
        ad = assistant_directors[area_index % 2]
        head = person(Role.HEAD_OF_SERVICE, area=area, manager=ad, pool=True)
        managers = [
            person(
                Role.SERVICE_MANAGER,
                area=area,
                manager=head,
                pool=True,
                email=f"servicemanager@{DEMO_DOMAIN}" if area_index == 1 and n == 0 else None,
            )
            for n in range(2)
        ]
        if area.head_of_service_id is None:
            area.head_of_service = head
        if area.strategic_lead_id is None:
            area.strategic_lead = managers[0]
        area.save()
        for team_index, (team_name, case_types) in enumerate(teams):
            team, created = Team.objects.get_or_create(
                name=team_name, defaults={"service_area": area}
            )
            made["teams"] += created
            service_manager = managers[team_index % 2]
            first_family_team = team_name == "Family Support 1"
            if team_name == "Performance and Quality":
                lead = person(Role.PRINCIPAL_SOCIAL_WORKER, team=team, manager=head, pool=True)
                if team.manager_id is None:
                    team.manager = lead
                    team.save(update_fields=["manager"])
                for n in range(5):
                    person(
                        Role.QA_OFFICER,
                        team=team,
                        manager=lead,
                        pool=True,
                        email=f"qa@{DEMO_DOMAIN}" if n == 0 else None,
                    )
                continue
            tm = person(
                Role.TEAM_MANAGER,
                team=team,
                manager=service_manager,
                pool=True,
                email=f"teammanager@{DEMO_DOMAIN}" if first_family_team else None,
            )
            if team.manager_id is None:
                team.manager = tm
                team.save(update_fields=["manager"])
            if team_name == "Safeguarding and Reviewing Unit":
                for _ in range(12):
                    person(Role.IRO, team=team, manager=tm, pool=True)
                continue
            if team_index % 2 == 0:
                person(Role.PRACTICE_SUPERVISOR, team=team, manager=tm, pool=True)
            if team_index % 3 == 0:
                person(
                    Role.ADVANCED_PRACTITIONER,
                    team=team,
                    manager=tm,
                    pool=True,
                    email=f"auditor@{DEMO_DOMAIN}" if first_family_team else None,
                )
            worker_role = (
                Role.PERSONAL_ADVISER if "care_leaver" in case_types else Role.SOCIAL_WORKER
            )
            for n in range(5):
                person(
                    worker_role,
                    team=team,
                    manager=tm,
                    email=f"socialworker@{DEMO_DOMAIN}" if first_family_team and n == 0 else None,
                )
    missing = [email for email in special if email not in existing]
    assert not missing, f"demo sign-ins not created: {missing}"
    return made
