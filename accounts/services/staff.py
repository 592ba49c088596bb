"""Import the staff list: people, their roles, teams, service areas, line managers and
audit-pool membership, from a CSV file or an Excel workbook (its first sheet).

The whole file is checked before anything is written; a file with any bad row imports
nothing, and each problem names its line and column. Importing the same file twice changes
nothing the second time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from ..errors import ImportRejected, RowError
from ..models import Role, ServiceArea, Team, User
from .groups import persona_groups_ensure, user_sync_groups

COLUMNS = (
    "email",
    "full_name",
    "role",
    "team",
    "service_area",
    "line_manager_email",
    "in_audit_pool",
)
REQUIRED = ("email", "full_name", "role")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
MAX_ROWS = 20_000


@dataclass
class StaffRow:
    line: int
    email: str
    full_name: str
    role: Role
    team: str
    service_area: str
    line_manager_email: str
    in_audit_pool: bool


@dataclass
class StaffImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: list[str] = field(default_factory=list)
    areas_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.teams_created or self.areas_created)


def _header_key(text: str) -> str:
    return "_".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _xlsx_rows(raw: bytes) -> Iterator[list[str]]:
    """The first sheet of a workbook as rows of text (a whole number without its .0)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRejected(
            [RowError(0, "", "The workbook cannot be opened. Save it again as .xlsx.")]
        ) from exc
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [
                str(int(v)) if isinstance(v, float) and v.is_integer() else str(v or "")
                for v in row
            ]
    finally:
        book.close()


def parse_staff_csv(stream: IO[bytes] | IO[str]) -> list[StaffRow]:
    """Read and check every row of the staff list (CSV, or the first sheet of an Excel
    workbook); raise ImportRejected listing every problem found."""
    raw = stream.read()
    reader: Iterator[list[str]]
    if isinstance(raw, bytes) and raw.startswith(b"PK\x03\x04"):
        reader = _xlsx_rows(raw)
    else:
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ImportRejected(
                    [
                        RowError(
                            0, "", "The file is not UTF-8 text. Save it as CSV UTF-8 and try again."
                        )
                    ]
                ) from exc
        reader = csv.reader(io.StringIO(raw))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([RowError(1, "", "The file is empty.")]) from None
    keys = [_header_key(h) for h in header]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise ImportRejected([RowError(1, c, f"The header has no “{c}” column.") for c in missing])
    index = {key: i for i, key in enumerate(keys) if key in COLUMNS}

    errors: list[RowError] = []
    rows: list[StaffRow] = []
    seen_emails: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(RowError(line, "", f"The file has more than {MAX_ROWS:,} rows."))
            break

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        email = cell("email").lower()
        before = len(errors)
        if not email:
            errors.append(RowError(line, "email", "Enter an email address."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(RowError(line, "email", f"“{email}” is not an email address."))
            if email in seen_emails:
                errors.append(
                    RowError(line, "email", f"{email} is also on line {seen_emails[email]}.")
                )
            seen_emails.setdefault(email, line)
        full_name = cell("full_name")
        if not full_name:
            errors.append(RowError(line, "full_name", "Enter the person's full name."))
        role = Role.lookup(cell("role")) if cell("role") else None
        if role is None:
            errors.append(
                RowError(
                    line,
                    "role",
                    f"“{cell('role')}” is not a role. Use one of: "
                    + ", ".join(r.label for r in Role)
                    + ".",
                )
            )
        team, area = cell("team"), cell("service_area")
        if team and not area:
            errors.append(RowError(line, "service_area", f"Enter the service area of {team}."))
        manager_email = cell("line_manager_email").lower()
        if manager_email and manager_email == email:
            errors.append(
                RowError(line, "line_manager_email", "A person cannot be their own line manager.")
            )
        pool_text = cell("in_audit_pool").lower()
        if pool_text not in TRUE_WORDS | FALSE_WORDS:
            errors.append(RowError(line, "in_audit_pool", f"“{pool_text}” is not yes or no."))
        if len(errors) == before and role is not None:
            rows.append(
                StaffRow(
                    line=line,
                    email=email,
                    full_name=full_name,
                    role=role,
                    team=team,
                    service_area=area,
                    line_manager_email=manager_email,
                    in_audit_pool=pool_text in TRUE_WORDS,
                )
            )
    if not rows and not errors:
        errors.append(RowError(2, "", "The file has a header but no people."))
    errors += _check_across_rows(rows)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.line, e.column)))
    return rows


def _check_across_rows(rows: list[StaffRow]) -> list[RowError]:
    """Checks that need the whole file: team areas agree, one manager a team, line
    managers exist, and no chain of line managers loops back on itself."""
    errors: list[RowError] = []
    team_area: dict[str, tuple[str, int]] = {}
    team_manager: dict[str, int] = {}
    for row in rows:
        if row.team:
            area, first = team_area.setdefault(row.team.lower(), (row.service_area, row.line))
            if area.lower() != row.service_area.lower():
                errors.append(
                    RowError(
                        row.line,
                        "service_area",
                        f"{row.team} is in {area} on line {first}, not {row.service_area}.",
                    )
                )
        if row.team and row.role == Role.TEAM_MANAGER:
            first = team_manager.setdefault(row.team.lower(), row.line)
            if first != row.line:
                errors.append(
                    RowError(
                        row.line,
                        "role",
                        f"{row.team} already has a team manager on line {first}; a team has one.",
                    )
                )
    in_file = {row.email: row for row in rows}
    wanted = {r.line_manager_email for r in rows if r.line_manager_email} - in_file.keys()
    known = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    existing_managers = dict(
        User.objects.filter(email__in=known).values_list("email", "line_manager__email")
    )
    for row in rows:
        if row.line_manager_email and row.line_manager_email not in in_file | dict.fromkeys(known):
            errors.append(
                RowError(
                    row.line,
                    "line_manager_email",
                    f"{row.line_manager_email} is neither in this file nor already a user.",
                )
            )
    # Loops in the line-management chain would send escalations round for ever.
    chain = {r.email: r.line_manager_email for r in rows}
    for email, manager in existing_managers.items():
        chain.setdefault(email, (manager or "").lower())
    for row in rows:
        seen = {row.email}
        step = chain.get(row.email)
        while step:
            if step in seen:
                errors.append(
                    RowError(
                        row.line,
                        "line_manager_email",
                        f"The line managers above {row.email} loop back to them.",
                    )
                )
                break
            seen.add(step)
            step = chain.get(step)
    return errors


@transaction.atomic
def staff_import(*, stream: IO[bytes] | IO[str]) -> StaffImportResult:
    """Create or update the people, teams and service areas of a staff list (CSV).

    Raises ImportRejected, with every problem by line and column, and changes nothing, if
    any row is bad.
    """
    rows = parse_staff_csv(stream)
    result = StaffImportResult()
    groups = persona_groups_ensure()

    areas = {a.name.lower(): a for a in ServiceArea.objects.all()}
    for name in dict.fromkeys(r.service_area for r in rows if r.service_area):
        if name.lower() not in areas:
            areas[name.lower()] = ServiceArea.objects.create(name=name)
            result.areas_created.append(name)

    teams = {t.name.lower(): t for t in Team.objects.select_related("service_area")}
    for row in rows:
        if not row.team:
            continue
        area = areas[row.service_area.lower()]
        team = teams.get(row.team.lower())
        if team is None:
            team = teams[row.team.lower()] = Team.objects.create(name=row.team, service_area=area)
            result.teams_created.append(row.team)
        elif team.service_area_id != area.id:
            team.service_area = area
            team.save(update_fields=["service_area"])

    people = {u.email.lower(): u for u in User.objects.filter(email__in=[r.email for r in rows])}
    created: set[str] = set()
    updated: set[str] = set()
    for row in rows:
        team = teams[row.team.lower()] if row.team else None
        area = areas[row.service_area.lower()] if row.service_area else None
        values = {
            "full_name": row.full_name,
            "role": row.role.value,
            "team": team,
            "service_area": area,
            "in_audit_pool": row.in_audit_pool,
        }
        person = people.get(row.email)
        if person is None:
            person = User(email=row.email, **values)
            person.set_unusable_password()
            person.save()
            people[row.email] = person
            created.add(row.email)
            result.created += 1
            user_sync_groups(user=person, groups=groups)
            continue
        changed = [f for f, v in values.items() if getattr(person, f) != v]
        if changed:
            for f in changed:
                setattr(person, f, values[f])
            person.save(update_fields=changed)
            user_sync_groups(user=person, groups=groups)
            updated.add(row.email)

    managers = {
        u.email.lower(): u
        for u in User.objects.filter(email__in={r.line_manager_email for r in rows} - {""})
    }
    for row in rows:
        person = people[row.email]
        manager = managers.get(row.line_manager_email) if row.line_manager_email else None
        if person.line_manager_id != (manager.id if manager else None):
            person.line_manager = manager
            person.save(update_fields=["line_manager"])
            updated.add(row.email)
        if row.role == Role.TEAM_MANAGER and row.team:
            team = teams[row.team.lower()]
            if team.manager_id != person.id:
                team.manager = person
                team.save(update_fields=["manager"])
        if row.role == Role.HEAD_OF_SERVICE and row.service_area:
            area = areas[row.service_area.lower()]
            if area.head_of_service_id is None:
                area.head_of_service = person
                area.save(update_fields=["head_of_service"])

    result.updated = len(updated - created)
    result.unchanged = len(rows) - result.created - result.updated
    return result
