"""Who answers for, oversees, sees and decides a team's remedial actions.

The policy has no setting for who authorises a signed-off action, so the rule here is the
one Bury 10.1 and 9.4 describe for a service manager, never the person who signed it off:

- a team's **overseers** are the service managers of its service area (people with the
  service manager persona whose area it is), its strategic lead and head of service, and
  the team manager's own line manager when that person has the service manager persona;
- an overseer **authorises** a completed action (Bury 10.1) and a **Management Decision**
  (Bury 9.4: "a Service Manager or Strategic Lead");
- the team's **manager** owns, fulfils, signs off and records decisions (Bury 9.2-9.3);
- QA staff see everything (P&Q 27); senior managers read the figures (the one-page
  compliance report, the action plan), not each child's action: their role is the reports
  (issue 14), and an action a senior manager oversees as a service manager is theirs to see;
- a social worker sees the actions on the cases allocated to them, and the auditor those
  of their own audits.
"""

from __future__ import annotations

from functools import cache

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from accounts.compiled import rows_for
from accounts.models import Persona, Role, ServiceArea, Team, User

from .models import RemedialAction

SERVICE_MANAGER_ROLES = (Role.SERVICE_MANAGER, Role.GROUP_MANAGER, Role.HEAD_OF_SERVICE)


def is_qa(user: User) -> bool:
    return user.has_perm("accounts.quality_assure")


def reads_everything(user: User) -> bool:
    """Every team's actions, case by case: QA staff (P&Q 27)."""
    return is_qa(user)


def reads_figures(user: User) -> bool:
    """Counts over every team, and the action plan: QA staff and senior managers."""
    return is_qa(user) or user.has_persona(Persona.SENIOR_MANAGER)


def managed_team_ids(user: User) -> list[int]:
    if not hasattr(user, "_managed_team_ids"):
        _load_teams(user)
    return user._managed_team_ids


def _overseen_q(user: User) -> Q | None:
    """The teams a service manager (or strategic lead, head of service) oversees, as a
    filter on teams (before leaving out their own); None for anyone else."""
    if not user.has_persona(Persona.SERVICE_MANAGER):
        return None
    return _overseen_q_of(user.pk, overseen_area(user))


def overseen_area(user: User) -> int | None:
    """The service area whose teams the person oversees as its service manager, if any."""
    area_id = user.team.service_area_id if user.team_id else user.service_area_id
    if area_id and user.role in SERVICE_MANAGER_ROLES:
        return area_id
    return None


def _overseen_q_of(person: int, area_id: int | None) -> Q:
    mine = (
        Q(service_area__strategic_lead=person)
        | Q(service_area__head_of_service=person)
        | Q(manager__line_manager=person)
    )
    if area_id is not None:
        mine |= Q(service_area_id=area_id)
    return mine


def overseen_teams(user: User) -> QuerySet[Team]:
    """The teams a service manager (or strategic lead, head of service) oversees."""
    if not user.has_persona(Persona.SERVICE_MANAGER):
        return Team.objects.none()
    return overseen_teams_of(user.pk, overseen_area(user)).distinct()


def overseen_teams_of(person: int, area_id: int | None) -> QuerySet[Team]:
    """`overseen_teams` of a service manager by id, with the area they oversee as its
    service manager (`overseen_area`), if any."""
    return Team.objects.filter(_overseen_q_of(person, area_id)).exclude(manager_id=person)


def overseen_team_pks_of(person: int, area_id: int | None) -> QuerySet:
    """The ids of `overseen_teams_of`'s teams, by the same rule written without joins: the
    areas the person leads and the managers who report to them each a subquery of its own
    (a team's service area is never empty, so the rule's join of it drops no team). The
    home page's counts ask it three times in one query, and PostgreSQL plans this in less
    time than the joins (issue 16)."""
    mine = Q(
        service_area__in=ServiceArea.objects.filter(
            Q(strategic_lead=person) | Q(head_of_service=person)
        ).values("pk")
    ) | Q(manager__in=User.objects.filter(line_manager=person).values("pk"))
    if area_id is not None:
        mine |= Q(service_area_id=area_id)
    return Team.objects.filter(mine).exclude(manager_id=person).values("pk")


TEAM_COLUMNS = ("pk", "name", "service_area_id", "manager_id")


@cache
def _teams_query(manages: bool, overseer: bool, by_area: bool):
    """`_load_teams`'s query for one kind of person (whether they manage teams, oversee
    some, and oversee an area's): the teams' columns and whether they oversee each. Its
    arguments are the person's id and, `by_area`, the area's; its SQL is built once a
    process (`accounts.compiled.rows_for`)."""

    def teams(person: int, *area: int):
        wanted = Q(manager_id=person) if manages else None
        columns: dict = {}
        if overseer:
            mine = _overseen_q_of(person, area[0] if by_area else None)
            wanted = mine if wanted is None else wanted | mine
            columns["oversees"] = ExpressionWrapper(mine, output_field=BooleanField())
        return (
            Team.objects.filter(wanted)
            .annotate(**columns)
            .values_list(*TEAM_COLUMNS, *columns)
            .distinct()
        )

    return teams


def _load_teams(user: User) -> None:
    """The teams the person manages and those they oversee, in one query, kept on the user
    for the request (every actions page and the home page ask both): `_managed_team_ids`,
    `_overseen_team_ids` (each by name) and `_teams` by id."""
    manages = user.has_persona(Persona.TEAM_MANAGER, Persona.SERVICE_MANAGER)
    overseer = user.has_persona(Persona.SERVICE_MANAGER)
    area_id = overseen_area(user) if overseer else None
    rows = []
    if manages or overseer:
        query = _teams_query(manages, overseer, area_id is not None)
        rows = rows_for(query, user.pk, *([area_id] if area_id is not None else []))
    teams = [
        (Team(pk=pk, name=name, service_area_id=area, manager_id=manager), over)
        for pk, name, area, manager, *over in rows
    ]
    user._teams = {t.pk: t for t, _ in teams}
    user._managed_team_ids = [t.pk for t, _ in teams if manages and t.manager_id == user.pk]
    user._overseen_team_ids = [
        t.pk for t, over in teams if overseer and over[0] and t.manager_id != user.pk
    ]


def remember_managed(user: User, teams: list[Team]) -> None:
    """A page that has read the teams the person manages (the home page) keeps them for
    the request; for someone who oversees none, `_load_teams` then has nothing to ask."""
    if hasattr(user, "_teams") or not user.has_persona(Persona.TEAM_MANAGER):
        return
    if _overseen_q(user) is None:
        user._teams = {t.pk: t for t in teams}
        user._managed_team_ids = [t.pk for t in teams]
        user._overseen_team_ids = []


def overseen_team_ids(user: User) -> list[int]:
    if not hasattr(user, "_overseen_team_ids"):
        _load_teams(user)
    return user._overseen_team_ids


def teams_by_id(user: User, ids: list[int]) -> list[Team]:
    """The person's managed or overseen teams named, by name (read with their ids)."""
    if not hasattr(user, "_teams"):
        _load_teams(user)
    known = [user._teams[i] for i in ids if i in user._teams]
    if len(known) < len(set(ids)):
        return list(Team.objects.filter(pk__in=ids).order_by("name"))
    return sorted(known, key=lambda t: t.name)


def overseers_of(team: Team) -> list[User]:
    """Everyone who oversees the team's actions, in a stable order (see the module's rule)."""
    area: ServiceArea = team.service_area
    mine = (
        Q(pk__in=[pk for pk in (area.strategic_lead_id, area.head_of_service_id) if pk])
        | Q(role__in=SERVICE_MANAGER_ROLES, service_area_id=area.pk)
        | Q(role__in=SERVICE_MANAGER_ROLES, team__service_area_id=area.pk)
    )
    if team.manager_id:
        mine |= Q(reports=team.manager_id)
    people = User.objects.filter(mine, is_active=True, groups__name=Persona.SERVICE_MANAGER)
    if team.manager_id:
        people = people.exclude(pk=team.manager_id)
    return list(people.distinct().order_by("full_name", "pk"))


def service_managers_of(team: Team) -> list[User]:
    """Told when an action is overdue (Bradford 2: service managers track completion): the
    team manager's line manager if a service manager, else the area's service managers."""
    manager = team.manager
    if manager and manager.line_manager_id:
        line = manager.line_manager
        if line.is_active and line.has_persona(Persona.SERVICE_MANAGER):
            return [line]
    area_id = team.service_area_id
    return list(
        User.objects.filter(
            Q(service_area_id=area_id) | Q(team__service_area_id=area_id),
            is_active=True,
            role__in=(Role.SERVICE_MANAGER, Role.GROUP_MANAGER),
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def strategic_lead_of(team: Team) -> User | None:
    """The area's strategic lead, or its head of service when it names none (Bury 9.1, 9.8)."""
    area = team.service_area
    return area.strategic_lead or area.head_of_service


def is_team_manager_of(user: User, action: RemedialAction) -> bool:
    return action.team_id in managed_team_ids(user)


def oversees(user: User, action: RemedialAction) -> bool:
    return action.team_id in overseen_team_ids(user)


def may_view_action(user: User, action: RemedialAction) -> bool:
    if reads_everything(user) or is_team_manager_of(user, action) or oversees(user, action):
        return True
    if user.pk in (action.worker_id, action.case.allocated_worker_id):
        return True
    return action.audit.allocation.auditor_id == user.pk


def may_fulfil(user: User, action: RemedialAction) -> bool:
    """The team manager records the day it was done (Leeds 7.3); the named worker may too,
    unless the manager carries the action for them (Bury 9.5)."""
    if is_team_manager_of(user, action):
        return True
    return not action.carried_by_team_manager and user.pk == action.worker_id


def may_sign_off(user: User, action: RemedialAction) -> bool:
    return is_team_manager_of(user, action)


def may_authorise(user: User, action: RemedialAction) -> bool:
    """An overseer who did not sign it off themselves (Bury 10.1)."""
    return oversees(user, action) and action.completed_by_id != user.pk


def may_decide(user: User, action: RemedialAction) -> bool:
    """A service manager or strategic lead over the team (Bury 9.4)."""
    return oversees(user, action)


def visible_actions(user: User) -> QuerySet[RemedialAction]:
    """Every action the person may see (see the module's rule)."""
    actions = RemedialAction.objects.all()
    if reads_everything(user):
        return actions
    teams = set(managed_team_ids(user)) | set(overseen_team_ids(user))
    return actions.filter(
        Q(team_id__in=teams)
        | Q(worker=user)
        | Q(case__allocated_worker=user)
        | Q(audit__allocation__auditor=user)
    )
