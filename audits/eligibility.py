"""Who may audit which case: the seeds' rules about people (SPEC §3-4).

Pure: it works on small frozen facts loaded once for the whole pool, so that allocating
300 cases to 120 auditors asks the database nothing per case.

- Never a case the auditor holds or has had involvement in (its worker on an earlier case
  list, or the child's IRO), nor one their team has had involvement in (Hillingdon 2.1),
  nor one from a team they belong to or are directly
  responsible for, nor one whose allocated worker they line-manage (Hillingdon 2.1;
  Bradford 2: "from teams that they are not directly responsible for") — unless the policy
  says their role audits its own team; roles the policy names audit only their own team,
  as a rule (Leeds 5.4: team managers audit a sample of their own teams' files).
- Roles the policy names audit only cases from another service area (Leeds 5.2-5.3: heads
  of service and service delivery managers).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class AuditorFacts:
    id: int
    name: str
    role: str
    role_label: str
    team_id: int | None
    team_name: str
    area_id: int | None
    area_name: str
    # Teams they manage, and teams whose manager reports to them (Bradford 2).
    responsible_team_ids: frozenset[int]
    # People they line-manage.
    report_ids: frozenset[int]

    @property
    def where(self) -> str:
        return self.team_name or self.area_name or "no team"


@dataclass(frozen=True)
class CaseFacts:
    id: int
    external_id: str
    team_id: int | None
    team_name: str
    area_id: int | None
    area_name: str
    worker_id: int | None
    # Who has had involvement in it (Hillingdon 2.1): the teams and workers that held it on
    # earlier case lists, and the child's IRO or CP chair named on earlier audits.
    past_team_ids: frozenset[int] = frozenset()
    past_worker_ids: frozenset[int] = frozenset()
    iro_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Rules:
    own_team_roles: frozenset[str]
    other_area_roles: frozenset[str]
    # Roles that audit only their own team (Leeds 5.4); they may audit it too.
    own_team_only_roles: frozenset[str] = frozenset()

    @classmethod
    def from_policy(cls, policy) -> Rules:
        only = frozenset(policy.own_team_only_roles)
        return cls(
            own_team_roles=frozenset(policy.own_team_roles) | only,
            other_area_roles=frozenset(policy.other_area_roles),
            own_team_only_roles=only,
        )


class Refusal(StrEnum):
    HOLDS_CASE = "holds the case"
    OWN_TEAM = "belongs to or is responsible for its team"
    LINE_MANAGER = "line-manages its worker"
    INVOLVED = "has had involvement in it (an earlier worker or IRO)"
    TEAM_INVOLVED = "their team has had involvement in it"
    SAME_AREA = "works in its service area and audits only other areas"
    NOT_OWN_TEAM = "audits only their own team's cases"


def _own_team(auditor: AuditorFacts, case: CaseFacts) -> bool:
    return case.team_id is not None and (
        case.team_id == auditor.team_id or case.team_id in auditor.responsible_team_ids
    )


def _team_involved(auditor: AuditorFacts, case: CaseFacts) -> bool:
    """Their team, or a team they are responsible for, held the case on an earlier list."""
    teams = set(auditor.responsible_team_ids)
    if auditor.team_id is not None:
        teams.add(auditor.team_id)
    return bool(teams & case.past_team_ids)


def refusal(auditor: AuditorFacts, case: CaseFacts, rules: Rules) -> Refusal | None:
    """Why this auditor may not audit this case, or None when they may."""
    if case.worker_id is not None and case.worker_id == auditor.id:
        return Refusal.HOLDS_CASE
    if auditor.id in case.past_worker_ids or auditor.id in case.iro_ids:
        return Refusal.INVOLVED
    if auditor.role in rules.own_team_only_roles and not _own_team(auditor, case):
        return Refusal.NOT_OWN_TEAM
    own_team_allowed = auditor.role in rules.own_team_roles
    if not own_team_allowed:
        if _own_team(auditor, case):
            return Refusal.OWN_TEAM
        if case.worker_id is not None and case.worker_id in auditor.report_ids:
            return Refusal.LINE_MANAGER
        if _team_involved(auditor, case):
            return Refusal.TEAM_INVOLVED
    if (
        auditor.role in rules.other_area_roles
        and auditor.area_id is not None
        and auditor.area_id == case.area_id
    ):
        return Refusal.SAME_AREA
    return None


def refusal_text(auditor: AuditorFacts, case: CaseFacts, why: Refusal) -> str:
    """The refusal in a sentence, for the page that moves a case."""
    if why is Refusal.HOLDS_CASE:
        return f"{auditor.name} is the allocated worker for case {case.external_id}."
    if why is Refusal.OWN_TEAM:
        relation = "belongs to" if case.team_id == auditor.team_id else "is responsible for"
        return (
            f"{auditor.name} {relation} {case.team_name}, the team of case {case.external_id}, "
            f"and the policy does not let a {auditor.role_label} audit their own team."
        )
    if why is Refusal.LINE_MANAGER:
        return f"{auditor.name} line-manages the allocated worker for case {case.external_id}."
    if why is Refusal.INVOLVED:
        was = "its IRO or CP chair" if auditor.id in case.iro_ids else "its worker"
        return f"{auditor.name} has had involvement in case {case.external_id}: they were {was}."
    if why is Refusal.TEAM_INVOLVED:
        return (
            f"{auditor.name}'s team has had involvement in case {case.external_id}: it held "
            "the case on an earlier case list."
        )
    if why is Refusal.NOT_OWN_TEAM:
        return (
            f"The policy has a {auditor.role_label} audit only their own team's cases, and "
            f"case {case.external_id} is from {case.team_name or 'no team'}."
        )
    return (
        f"The policy has a {auditor.role_label} audit cases from another service area, and "
        f"case {case.external_id} is from {case.area_name}, {auditor.name}'s own."
    )


def prefers(auditor: AuditorFacts, case: CaseFacts, rules: Rules) -> bool:
    """A role that audits its own team gets its own team's cases first (Leeds 5.4)."""
    return auditor.role in rules.own_team_roles and _own_team(auditor, case)


def eligibility_reason(auditor: AuditorFacts, case: CaseFacts, rules: Rules) -> str:
    """Why the auditor may audit the case, recorded with the allocation.

    For example: "Team Manager, Family Support 3; case from Children in Care 2 (Children
    Looked After): another team, another service area; not the worker's line manager".
    """
    parts = []
    if case.team_id is None:
        parts.append("no team")
    elif _own_team(auditor, case):
        parts.append(f"their own team, which the policy lets a {auditor.role_label} audit")
    else:
        parts.append("another team")
    if case.area_id is not None and case.area_id != auditor.area_id:
        if auditor.role in rules.other_area_roles:
            parts.append("another service area, as the policy asks of their role")
        else:
            parts.append("another service area")
    elif case.area_id is not None:
        parts.append("the same service area")
    worker = (
        "line manager of the worker, which the policy allows"
        if case.worker_id is not None and case.worker_id in auditor.report_ids
        else "not the worker's line manager"
    )
    source = case.team_name or "no team"
    if case.area_name:
        source += f" ({case.area_name})"
    return (
        f"{auditor.role_label}, {auditor.where}; case from {source}: {', '.join(parts)}; {worker}"
    )
