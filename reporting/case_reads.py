"""The case page's reads: the case, read with SQL built once a process, what the page shows
of it and who may open it (issue 16)."""

from __future__ import annotations

from functools import cache

from django.db import DEFAULT_DB_ALIAS

from accounts.compiled import rows_for, text_varies
from accounts.models import Persona, ServiceArea, Team, User
from sampling.models import Case, CaseStatus

# The case page's case: every column of the case, and the few of its team, the team's
# service area and manager, and its allocated worker that the page shows.
_CASE_RELATED = (
    "team__name",
    "team__service_area_id",
    "team__service_area__name",
    "team__manager_id",
    "team__manager__full_name",
    "allocated_worker__full_name",
)


@cache
def _case_columns() -> tuple[str, ...]:
    return tuple(field.attname for field in Case._meta.concrete_fields)


@text_varies  # a case's id from the address: one prepared statement for every case
def _case_by_external_id(external_id: str):
    return Case.objects.filter(external_id=external_id).values_list(
        *_case_columns(), *_CASE_RELATED
    )[:1]


def case_for_page(external_id: str) -> Case | None:
    """The case with this id, its team (with the team's service area and manager) and
    allocated worker, as `select_related` would give them but reading only the columns the
    page shows of the related rows (any other is read if asked for), in one query whose SQL
    is built once a process."""
    rows = rows_for(_case_by_external_id, external_id)
    if not rows:
        return None
    names = _case_columns()
    row = rows[0]
    case = Case.from_db(DEFAULT_DB_ALIAS, names, row[: len(names)])
    team_name, area_id, area_name, manager_id, manager_name, worker_name = row[len(names) :]
    if case.team_id is not None:
        team = Team.from_db(
            DEFAULT_DB_ALIAS,
            ("id", "name", "service_area_id", "manager_id"),
            (case.team_id, team_name, area_id, manager_id),
        )
        team.service_area = ServiceArea.from_db(
            DEFAULT_DB_ALIAS, ("id", "name"), (area_id, area_name)
        )
        team.manager = (
            None
            if manager_id is None
            else User.from_db(DEFAULT_DB_ALIAS, ("id", "full_name"), (manager_id, manager_name))
        )
        case.team = team
    else:
        case.team = None
    case.allocated_worker = (
        None
        if case.allocated_worker_id is None
        else User.from_db(
            DEFAULT_DB_ALIAS, ("id", "full_name"), (case.allocated_worker_id, worker_name)
        )
    )
    return case


def case_page(*, case: Case, user: User, today) -> dict:
    """A case's facts, its audits and their status, its actions, and whether anything on
    it is still open (Bury 9.6); for its team manager, the prompt a reopened case with
    earlier unfinished actions needs (Bury 9.7). The audits listed are those the reader may
    see (issue 14: not an auditor's draft before it is shared with the case); for QA staff,
    who has opened the child's records."""
    from audits.selectors import audits_of_case
    from remediation.models import UNFINISHED
    from remediation.selectors import case_actions

    audits, open_audits = audits_of_case(case=case, user=user)
    actions = case_actions(case=case)
    earlier = []
    if case.reopened_on and case.status == CaseStatus.OPEN:
        earlier = [a for a in actions if not a.is_finished and a.created_on < case.reopened_on]
    return {
        "case": case,
        "audits": audits,
        "actions": actions,
        "open_audits": open_audits,
        "unfinished_actions": sum(a.status in UNFINISHED for a in actions),
        "earlier_unfinished": earlier,
        "is_team_manager": manages_case_team(user=user, case=case),
        "today": today,
        "openings": (
            case_openings(case=case) if user.has_perm("accounts.view_access_log") else None
        ),
    }


def case_openings(*, case: Case, limit: int = 100) -> list:
    """Who has opened this child's records (the case page, its audits and their PDFs, its
    actions), newest first, from the access log (issue 14)."""
    from accounts.models import AccessRecord

    return list(
        AccessRecord.objects.filter(case_external_id=case.external_id)
        .select_related("user")
        .only("at", "kind", "path", "address", "user__full_name", "user__role")[:limit]
    )


def may_view_case(*, user: User, case: Case) -> bool:
    """QA staff, the case's team manager, the service managers over its team and its
    allocated worker."""
    from remediation import access

    if user.has_perm("accounts.quality_assure"):
        return True
    if case.allocated_worker_id == user.pk:
        return True
    if case.team_id is None:
        return False
    if manages_case_team(user=user, case=case):
        return True
    # Only a service manager oversees teams (`access.overseen_team_ids`): anyone else is
    # answered without reading the teams.
    if not user.has_persona(Persona.SERVICE_MANAGER):
        return False
    return case.team_id in access.overseen_team_ids(user)


def manages_case_team(*, user: User, case: Case) -> bool:
    """Whether the person manages the case's team: `case.team_id in
    access.managed_team_ids(user)` (a team manager or service manager's teams are those
    whose manager they are), answered from the case's team as the case page read it, with
    no query for the person's teams."""
    return (
        case.team_id is not None
        and case.team.manager_id == user.pk
        and user.has_persona(Persona.TEAM_MANAGER, Persona.SERVICE_MANAGER)
    )
