"""Who reads which part of the dashboard and the reports (issue 13; SPEC §1, §10).

- Senior managers (Strategic Director, Assistant Director, heads of service) and QA staff
  read the whole authority.
- A service manager (or group manager) reads their service area: every team in it, and any
  other team they oversee (a team whose manager reports to them).
- A team manager reads the teams they manage.
- Anyone else (social workers, auditors alone, administrators alone) reads none of it.

The scope is worked out once per request (two small queries at most) and every selector and
drill-down list filters by it, so a list behind a figure never shows what the figure's reader
could not see. Figures are placed by the case's current team (actions by their own team,
which follows the case: Bury 9.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import Persona, Team, User


@dataclass(frozen=True)
class ReaderScope:
    """What one reader may see: the whole authority, or a set of teams."""

    whole: bool
    team_ids: frozenset[int]
    label: str
    # Whole-authority readers also read the stored monthly and six-monthly reports.
    reads_reports: bool = False
    writes_reports: bool = False  # QA staff add commentary and write the narrative

    def case_q(self, prefix: str = "") -> Q:
        """A filter on cases (through `prefix`, e.g. "allocation__case__") for this scope."""
        if self.whole:
            return Q()
        return Q(**{f"{prefix}team_id__in": sorted(self.team_ids)})

    def team_q(self, field: str = "team_id") -> Q:
        if self.whole:
            return Q()
        return Q(**{f"{field}__in": sorted(self.team_ids)})

    def has_team(self, team_id: int | None) -> bool:
        return self.whole or (team_id is not None and team_id in self.team_ids)


def is_qa(user: User) -> bool:
    """QA staff by persona: a superuser administrator is not, by that alone, a reader."""
    return user.has_persona(Persona.QA_STAFF)


def reader_scope(user: User) -> ReaderScope | None:
    """The reader's scope, or None when they may read none of the dashboard."""
    if not user.is_authenticated or not user.is_active:
        return None
    qa = is_qa(user)
    if qa or user.has_persona(Persona.SENIOR_MANAGER):
        return ReaderScope(
            whole=True,
            team_ids=frozenset(),
            label="the whole authority",
            reads_reports=True,
            writes_reports=qa,
        )
    teams: set[int] = set()
    label = ""
    if user.has_persona(Persona.SERVICE_MANAGER):
        area_id = user.team.service_area_id if user.team_id else user.service_area_id
        mine = Q(manager__line_manager=user) | Q(service_area__strategic_lead=user)
        if area_id:
            mine |= Q(service_area_id=area_id)
        teams |= set(Team.objects.filter(mine).values_list("id", flat=True))
        label = "your service area"
    if user.has_persona(Persona.TEAM_MANAGER):
        teams |= set(Team.objects.filter(manager=user).values_list("id", flat=True))
        label = label or "your teams"
    if not label:
        return None
    return ReaderScope(whole=False, team_ids=frozenset(teams), label=label)


def may_read_reports(user: User) -> bool:
    scope = reader_scope(user)
    return scope is not None and scope.reads_reports
