"""About 6,000 synthetic open cases for the demo authority, with Annex A-like fields.

Deterministic for a seed; existing case IDs are left as they are.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from accounts.demo import STRUCTURE
from accounts.models import Role, Team, User

from .models import AgeBand, Case, CaseStatus, CaseType, Ethnicity, Gender, LegalStatus

# DfE ethnicity codes, as the lists give them.
ETHNICITIES = (
    (Ethnicity.WBRI, 60),
    (Ethnicity.WOTH, 6),
    (Ethnicity.MWBC, 4),
    (Ethnicity.MOTH, 4),
    (Ethnicity.APKN, 8),
    (Ethnicity.AIND, 3),
    (Ethnicity.ABAN, 2),
    (Ethnicity.BAFR, 5),
    (Ethnicity.BCRB, 3),
    (Ethnicity.OOTH, 2),
    (Ethnicity.NOBT, 3),
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
    CaseType.CLA: (LegalStatus.C1, LegalStatus.C2, LegalStatus.V2, LegalStatus.E1),
    CaseType.CARE_LEAVER: (LegalStatus.FORMER_RELEVANT, LegalStatus.RELEVANT),
}
CASES_PER_TEAM = 150


@transaction.atomic
def build_cases(*, today: dt.date, seed: int = 2026, per_team: int = CASES_PER_TEAM) -> int:
    """Create the demo cases that do not exist yet, opened in the three years before
    `today`; returns how many were created."""
    rng = random.Random(seed)
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


# The Annex A list each demo case type is published on (List 6 also carries children with
# disabilities and early help cases, told apart by its Case Status column, in words some
# councils' exports use beside Annex A's lettered values).
DEMO_LISTS = {
    CaseType.CIN: ("6", "c) Child in need plan"),
    CaseType.CWD: ("6", "Disabled child"),
    CaseType.EARLY_HELP: ("6", "Early help"),
    CaseType.CP: ("7", ""),
    CaseType.CLA: ("8", ""),
    CaseType.CARE_LEAVER: ("9", ""),
}
# Annex A's lettered values, as the demo lists write them.
_GENDER_WORD = {
    Gender.MALE: "a) Male",
    Gender.FEMALE: "b) Female",
    Gender.UNKNOWN: "c) Not stated/recorded",
    Gender.OTHER: "d) Neither",
}
_ETHNICITY_LETTERED = {
    code: f"{'abcdefghijklmnopqrst'[i]}) {code}" for i, code in enumerate(Ethnicity.values)
}
_ELIGIBILITY_LETTERED = {
    LegalStatus.RELEVANT: "a) Relevant child",
    LegalStatus.FORMER_RELEVANT: "b) Former relevant child",
    LegalStatus.QUALIFYING: "c) Qualifying care leaver",
    LegalStatus.ELIGIBLE: "d) Eligible child",
}


def _legal_cell(case: Case) -> str:
    if case.legal_status in _ELIGIBILITY_LETTERED:
        return _ELIGIBILITY_LETTERED[case.legal_status]
    if case.legal_status in LegalStatus.values:
        return f"{case.legal_status}: {LegalStatus(case.legal_status).label}"
    return case.legal_status


_BAND_AGE = {
    AgeBand.UNDER_1: 0,
    AgeBand.AGE_1_4: 3,
    AgeBand.AGE_5_9: 7,
    AgeBand.AGE_10_15: 12,
    AgeBand.AGE_16_17: 16,
    AgeBand.AGE_18_PLUS: 19,
}


def write_demo_lists(*, folder, as_of: dt.date) -> dict[str, object]:
    """Write the demo authority's open cases as Annex A lists 6, 7, 8 and 9 (CSV), the
    way a case management system exports them each Monday (Bury 6.1)."""
    import csv

    common = [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Allocated Team",
        "Allocated Worker",
    ]
    extra = {
        "6": ["CIN Start Date", "Case Status", "Does the Child have a Disability"],
        "7": ["Child Protection Plan Start Date"],
        "8": ["Date Started to be Looked After", "Child's Legal Status"],
        "9": ["Allocated Personal Advisor", "Eligibility Category"],
    }
    rows: dict[str, list[list[str]]] = {code: [] for code in extra}
    cases = (
        Case.objects.filter(status=CaseStatus.OPEN, case_type__in=list(DEMO_LISTS))
        .select_related("team", "allocated_worker")
        .order_by("external_id")
    )
    for case in cases:
        code, status = DEMO_LISTS[case.case_type]
        if case.age_band == AgeBand.UNBORN:
            continue  # Annex A lists children, not unborn babies
        age = _BAND_AGE.get(case.age_band, 10)
        born = as_of.replace(year=as_of.year - age) - dt.timedelta(days=40)
        worker = case.allocated_worker.full_name if case.allocated_worker else ""
        started = (case.opened_on or as_of).strftime("%d/%m/%Y")
        row = [
            case.external_id,
            _GENDER_WORD[case.gender],
            _ETHNICITY_LETTERED.get(case.ethnicity, case.ethnicity),
            born.strftime("%d/%m/%Y"),
            str(age),
            case.team.name if case.team else "",
            worker,
        ]
        if code == "6":
            row += [started, status, "a) Yes" if case.disability else "b) No"]
        elif code == "7":
            row += [started]
        elif code == "8":
            row += [started, _legal_cell(case)]
        else:
            row += [worker, _legal_cell(case)]
        rows[code].append(row)
    paths = {}
    for code, body in rows.items():
        path = folder / f"demo-annex-a-list-{code}-{as_of.isoformat()}.csv"
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(common + extra[code])
            writer.writerows(body)
        paths[code] = path
    return paths


def import_demo_lists(*, as_of: dt.date) -> int:
    """Import this week's demo lists as dated snapshots, through the same import QA staff
    use. A list already imported for that day is left as it is. Returns lists imported."""
    import tempfile
    from pathlib import Path

    from accounts.errors import ImportRejected

    from .models import Snapshot, SnapshotStatus
    from .services import frame_import_file

    imported = 0
    with tempfile.TemporaryDirectory() as tmp:
        for code, path in write_demo_lists(folder=Path(tmp), as_of=as_of).items():
            if Snapshot.objects.filter(
                annex_list=code, status=SnapshotStatus.IMPORTED, as_of__gte=as_of
            ).exists():
                continue
            try:
                snapshot = frame_import_file(path=path, as_of=as_of, annex_list=code)
            except ImportRejected:
                continue
            imported += snapshot.status == SnapshotStatus.IMPORTED
    return imported
