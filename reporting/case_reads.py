"""The case page's case, read with SQL built once a process (issue 16)."""

from __future__ import annotations

from functools import cache

from django.db import DEFAULT_DB_ALIAS

from accounts.compiled import rows_for
from accounts.models import ServiceArea, Team, User
from sampling.models import Case

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
