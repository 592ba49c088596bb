"""Reads for the audit pages: who may see and do what, who to tell, and the task list."""

from __future__ import annotations

from typing import Any

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet
from django.http import Http404

from accounts import clock
from accounts.models import Persona, Role, User
from accounts.selectors import escalation_chain, policy_get
from sampling.models import Case

from .. import lifecycle
from ..form_presets import sections_for
from ..models import (
    Audit,
    ChildFamilyViews,
    DisputeStage,
    FormStatus,
    FormTemplate,
    FormVersion,
    Moderation,
    SectionAnswer,
)
from .joined import Joined as _Joined
from .task_list import TaskRow, grade_label, task_rows

MANAGER_ROLES = (Role.SERVICE_MANAGER, Role.GROUP_MANAGER, Role.HEAD_OF_SERVICE)


def audit_queryset() -> QuerySet[Audit]:
    return Audit.objects.select_related(
        "allocation__case__team__manager",
        "allocation__case__team__service_area__strategic_lead",
        "allocation__case__team__service_area__head_of_service",
        "allocation__case__allocated_worker",
        "allocation__auditor",
        "form_version__template",
        "iro",
    )


# The columns a list of audits shows (templates/reporting/_audit_list.html): the case, the
# auditor, the grade in words (from the form version's definition) and the status.
AUDIT_LIST_COLUMNS = (
    "status",
    "overall_grade",
    "form_version",
    "form_version__definition",
    "allocation__case",
    "allocation__case__external_id",
    "allocation__auditor",
    "allocation__auditor__full_name",
)


def audit_list_queryset() -> QuerySet[Audit]:
    """Audits for a list: four narrow joins instead of `audit_queryset`'s dozen (PostgreSQL
    spent longer planning that join than running it)."""
    return Audit.objects.select_related(
        "allocation__case", "allocation__auditor", "form_version"
    ).only(*AUDIT_LIST_COLUMNS)


# People ---------------------------------------------------------------------------------


def case_team_manager(case: Case) -> User | None:
    return case.team.manager if case.team_id else None


def case_service_managers(case: Case) -> list[User]:
    """The service (or group) managers over the case: its team manager's line manager when
    they are one, and the service managers of its area."""
    people: dict[int, User] = {}
    manager = case_team_manager(case)
    if manager and manager.line_manager_id:
        above = manager.line_manager
        if above.role in MANAGER_ROLES:
            people[above.pk] = above
    if case.team_id:
        area = case.team.service_area_id
        for user in User.objects.filter(
            Q(service_area_id=area) | Q(team__service_area_id=area),
            role=Role.SERVICE_MANAGER,
            is_active=True,
        ):
            people.setdefault(user.pk, user)
    return list(people.values())


def case_group_manager(case: Case) -> User | None:
    """The manager above the case's team manager (P&Q 12, 25: the group manager)."""
    manager = case_team_manager(case)
    return manager.line_manager if manager and manager.line_manager_id else None


def case_strategic_lead(case: Case) -> User | None:
    return case.team.service_area.strategic_lead if case.team_id else None


def case_head_of_service(case: Case) -> User | None:
    return case.team.service_area.head_of_service if case.team_id else None


# Access ---------------------------------------------------------------------------------


def is_qa(user: User) -> bool:
    return user.has_perm("accounts.quality_assure")


def is_auditor_of(user: User, audit: Audit) -> bool:
    return audit.allocation.auditor_id == user.pk


def is_case_reader(user: User, audit: Audit) -> bool:
    """The case's social worker, its team manager and the child's IRO."""
    case = audit.case
    return user.pk in {case.allocated_worker_id, getattr(case_team_manager(case), "pk", None)} or (
        audit.iro_id is not None and audit.iro_id == user.pk
    )


def is_moderator_of(user: User, audit: Audit) -> bool:
    return Moderation.objects.filter(audit=audit, moderator=user).exists()


def open_moderation(audit: Audit) -> Moderation | None:
    """The step of the audit's dispute still waiting for a decision, oldest first."""
    return (
        Moderation.objects.filter(audit=audit, decided_at__isnull=True)
        .select_related("moderator")
        .first()
    )


def moderated_grade(audit: Audit) -> tuple[Moderation | None, str]:
    """The last decided step that set a grade, and that grade (P&Q 22, Hillingdon 2.12,
    Bradford 3: each decision is final, so the latest stands). Reads the audit's
    prefetched `moderations` when a list prefetched them, so lists make no query each."""
    prefetched = getattr(audit, "_prefetched_objects_cache", {}).get("moderations")
    if prefetched is not None:
        steps = [m for m in prefetched if m.decided_at and m.overall_grade]
        last = max(steps, key=lambda m: (m.decided_at, m.id), default=None)
        return last, last.overall_grade if last else ""
    decided = (
        Moderation.objects.filter(audit=audit, decided_at__isnull=False)
        .exclude(overall_grade="")
        .select_related("moderator")
        .order_by("-decided_at", "-id")
        .first()
    )
    return decided, decided.overall_grade if decided else ""


def _may_view_unless_moderator(user: User, audit: Audit) -> bool:
    if is_auditor_of(user, audit) or is_qa(user):
        return True
    return audit.status in lifecycle.VISIBLE_TO_CASE and is_case_reader(user, audit)


def may_view(user: User, audit: Audit) -> bool:
    """The auditor sees their own audit; the case's worker, team manager and IRO from
    "shared for comment" on (P&Q 18); the moderator; QA staff all. Nobody else."""
    return _may_view_unless_moderator(user, audit) or is_moderator_of(user, audit)


def may_edit(user: User, audit: Audit) -> bool:
    """Only the auditor, and only until the audit is submitted (or while returned)."""
    return is_auditor_of(user, audit) and audit.is_editable


# An audit page's joins: the case with its team and area, the auditor and the form. The
# people around the case (its worker, team manager and their line manager, the area's
# leads, the IRO) come in one more query (`_attach_people`): PostgreSQL spent longer
# planning `audit_queryset`'s thirteen-table join than running it.
AUDIT_PAGE_JOINS = ("allocation__case__team__service_area", "allocation__auditor", "form_version")


def _audit(audit_id: int) -> QuerySet[Audit]:
    return Audit.objects.filter(pk=audit_id)


_PAGE_AUDIT = _Joined(Audit, _audit, *AUDIT_PAGE_JOINS)
# A page that names the people around the case reads the auditor with them
# (`_attach_people`): one table fewer to join, 0.3 ms less planning (issue 16).
_PAGE_AUDIT_WITH_PEOPLE = _Joined(
    Audit, _audit, *(join for join in AUDIT_PAGE_JOINS if join != "allocation__auditor")
)
_NARROW_AUDIT = _Joined(Audit, _audit, "allocation__case", "form_version")


def _audit_with_answer(audit_id: int, key: str) -> QuerySet[Audit]:
    """The audit joined to its answer to one section (none yet: its columns empty)."""
    return Audit.objects.filter(pk=audit_id).annotate(
        section=FilteredRelation("answers", condition=Q(answers__key=key))
    )


# The section page's audit (`_NARROW_AUDIT`'s joins) with the section's saved answer, in
# one query (issue 16).
_SECTION_AUDIT = _Joined(
    Audit,
    _audit_with_answer,
    "allocation__case",
    "form_version",
    extra=("section__revision", "section__grade", "section__evidence"),
)


def _people(*ids: int) -> QuerySet[User]:
    """Five people by id (the places an audit page names them; -1 where a place is empty,
    so the query always takes five and its SQL is kept)."""
    return User.objects.filter(pk__in=ids).order_by()


_PEOPLE = _Joined(User, _people, "line_manager")
_NAMED = 6  # the places an audit page names a person (`_attach_people`)


def _attach_people(audit: Audit) -> None:
    """Read the people an audit page names in one query (`_people`: SQL built once a
    process) and put each where the page looks for it (`allocation.auditor`,
    `case.team.manager`, its `line_manager`, `case.allocated_worker`, the area's
    `strategic_lead` and `head_of_service`, `audit.iro`)."""
    case = audit.allocation.case
    team = case.team if case.team_id else None
    area = team.service_area if team is not None else None
    places = [(audit.allocation, "auditor"), (case, "allocated_worker"), (audit, "iro")]
    if team is not None:
        places.append((team, "manager"))
    if area is not None:
        places += [(area, "strategic_lead"), (area, "head_of_service")]
    wanted = [getattr(obj, f"{name}_id") for obj, name in places]
    if all(pk is None for pk in wanted):
        return
    wanted += [None] * (_NAMED - len(wanted))
    people = {u.pk: u for u in _PEOPLE.all(*(-1 if pk is None else pk for pk in wanted))}
    for obj, name in places:
        person = people.get(getattr(obj, f"{name}_id"))
        if person is not None:
            setattr(obj, name, person)


def audit_for(
    *, user: User, pk: int, narrow: bool = False, people: bool = True, section: str = ""
) -> Audit:
    """The audit if the person may see it; otherwise not found, so nobody learns that an
    audit they may not see exists. `narrow` joins only the allocation, its case and the form version
    (the autosave's needs: anything else is read if a check asks for it); otherwise the
    page's joins and one query for the people it names (`AUDIT_PAGE_JOINS`), unless the
    page names nobody (`people=False`: a person is then read if a check asks for them).
    Either is read with SQL built once a process (`_Joined`). `section` (with `narrow`):
    the answer to that section is read with the audit, for `section_answer`."""
    if narrow and section:
        found = _SECTION_AUDIT.with_extra(pk, section)
        audit = None
        if found is not None:
            audit, answer = found
            audit.section_answer_read = (section, answer)
    elif narrow:
        audit = _NARROW_AUDIT.get(pk)
    else:
        audit = (_PAGE_AUDIT_WITH_PEOPLE if people else _PAGE_AUDIT).get(pk)
    if audit is None:
        raise Http404("No such audit")
    if people and not narrow:
        _attach_people(audit)
    if not may_view(user, audit):
        raise Http404("No such audit")
    return audit


# The form -------------------------------------------------------------------------------


def current_form_version() -> FormVersion | None:
    """The latest published version of the current form, for audits starting now."""
    template = FormTemplate.objects.filter(is_current=True).first()
    if template is None:
        return None
    return template.versions.filter(status=FormStatus.PUBLISHED).order_by("-number").first()


def section_of(audit: Audit, key: str) -> dict[str, Any]:
    for section in sections_for(audit.definition, audit.case.case_type):
        if section["key"] == key:
            return section
    raise Http404("No such section")


def final_grade(audit: Audit) -> str:
    """The grade that stands: the moderator's decision, else the pair's consensus, else
    the auditor's own (P&Q 22, Bury 8.1)."""
    _moderation, moderated = moderated_grade(audit)
    if moderated:
        return moderated
    # Only a pair's lead audit has a consensus: an audit on its own is not asked for one.
    paired = audit.allocation.pair_group is not None
    consensus = getattr(audit, "consensus", None) if paired and _has(audit, "consensus") else None
    if consensus:
        return consensus.overall_grade
    return audit.overall_grade


def _has(audit: Audit, name: str) -> bool:
    try:
        getattr(audit, name)
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return True


def audits_for_auditor(*, user: User) -> QuerySet[Audit]:
    return audit_queryset().filter(allocation__auditor=user)


def audits_for_team_manager(*, user: User, team_ids: list[int] | None = None) -> QuerySet[Audit]:
    """Finished audits of the manager's teams waiting for their oversight, longest waiting
    first (the home page shows a page of them). `team_ids`: the teams they manage, where
    the page has read them already (the cases are then filtered by team, without joining
    the teams: a shorter plan)."""
    teams = (
        Q(allocation__case__team_id__in=team_ids)
        if team_ids is not None
        else Q(allocation__case__team__manager=user)
    )
    return (
        audit_list_queryset()
        .filter(teams, status=lifecycle.WITH_TEAM_MANAGER)
        .order_by("finished_at", "pk")
    )


def audits_shared_with(*, user: User) -> QuerySet[Audit]:
    """Drafts of audits of the person's cases waiting for their comments, oldest first."""
    return (
        audit_list_queryset()
        .filter(
            Q(allocation__case__allocated_worker=user)
            | Q(allocation__case__team__manager=user)
            | Q(iro=user),
            status=lifecycle.SHARED,
        )
        .order_by("created_at", "pk")
    )


def audits_for_qa(*, status: str) -> QuerySet[Audit]:
    return audit_queryset().filter(status=status).order_by("submitted_at")


def pair_audits(*, pair_group) -> list[Audit]:
    return list(
        audit_queryset()
        .filter(allocation__pair_group=pair_group)
        .prefetch_related(Prefetch("answers", queryset=SectionAnswer.objects.order_by("id")))
        .order_by("allocation_id")
    )


def moderator_refusal(
    *, audit: Audit, user: User, stage: str = DisputeStage.MODERATION
) -> str | None:
    """Why this person may not take this step of the audit's dispute, or None.

    Moderation (P&Q 22): a senior manager in a service not connected with the case.
    Refused: the auditor, the case's worker, team manager and IRO, anyone in the case's
    team or service area, and anyone in the line-management chain above the worker or the
    team manager. The steps that name a head of service take them even from the case's own
    area: mediation by the head of service or SPQA (Hillingdon 2.12), the grade to the head
    of service for QA, the actions to the case-holding head of service (Bradford 3)."""
    if not user.is_active:
        return f"{user.full_name} is not an active member of staff."
    if stage != DisputeStage.MODERATION:
        return _head_of_service_refusal(audit=audit, user=user, stage=stage)
    if not user.has_persona(Persona.SENIOR_MANAGER, Persona.SERVICE_MANAGER):
        return f"{user.full_name} is not a senior manager."
    case = audit.case
    if user.pk == audit.allocation.auditor_id:
        return f"{user.full_name} is the auditor."
    if is_case_reader(user, audit):
        return f"{user.full_name} works on the case."
    if case.team_id and user.team_id == case.team_id:
        return f"{user.full_name} is in the case's team."
    area = case.team.service_area if case.team_id else None
    if area and (user.area == area or user.pk in {area.strategic_lead_id, area.head_of_service_id}):
        return f"{user.full_name} works in the case's service area, {area.name}."
    above: set[int] = set()
    for person in (case.allocated_worker, case_team_manager(case)):
        if person is not None:
            above |= {p.pk for p in escalation_chain(user=person)}
    if user.pk in above:
        return f"{user.full_name} line-manages people who work on the case."
    return None


def _head_of_service_refusal(*, audit: Audit, user: User, stage: str) -> str | None:
    case = audit.case
    if user.pk == audit.allocation.auditor_id:
        return f"{user.full_name} is the auditor."
    if is_case_reader(user, audit) or (case.team_id and user.team_id == case.team_id):
        return f"{user.full_name} works on the case."
    if stage == DisputeStage.ACTIONS_REVIEW:
        if user != case_head_of_service(case):
            return f"{user.full_name} is not the head of service for the case's area."
        return None
    if stage == DisputeStage.GRADE_REVIEW:
        named = policy_get().qa_head_of_service_id
        if named is not None and user.pk != named:
            return f"{user.full_name} is not the head of service for quality assurance."
        if named is None and user.role != Role.HEAD_OF_SERVICE:
            return f"{user.full_name} is not a head of service."
        return None
    if user.role != Role.HEAD_OF_SERVICE and not is_qa(user):
        return f"{user.full_name} is not a head of service or in the QA service."
    return None


def moderator_candidates(*, audit: Audit, stage: str = DisputeStage.MODERATION) -> list[User]:
    people = User.objects.filter(
        Q(groups__name__in=["senior_manager", "service_manager", "qa_staff"])
        | Q(role=Role.HEAD_OF_SERVICE),
        is_active=True,
    ).distinct()
    return [
        u
        for u in people.select_related("team__service_area", "service_area")
        if moderator_refusal(audit=audit, user=u, stage=stage) is None
    ]


_UNREAD: Any = object()


def audit_summary(
    audit: Audit, *, rows: list[TaskRow] | None = None, views: Any = _UNREAD, actions=None
) -> dict[str, Any]:
    """Everything the summary, PDF and check-your-answers pages show. A page that has
    already read the task rows, the views or the actions passes them in."""

    definition = audit.definition
    if views is _UNREAD:
        views = ChildFamilyViews.objects.filter(audit=audit).first()
    moderation, moderated = moderated_grade(audit)
    overall_scale = definition["overall"]["scale"]
    final = final_grade(audit)
    return {
        "audit": audit,
        "case": audit.case,
        "definition": definition,
        "rows": task_rows(audit) if rows is None else rows,
        "views": views,
        "actions": list(audit.actions.all()) if actions is None else actions,
        "themes": list(audit.themes.all()),
        "moderation": moderation,
        "overall_label": grade_label(definition, overall_scale, audit.overall_grade),
        "final_label": grade_label(definition, overall_scale, final),
        "moderated_label": grade_label(definition, overall_scale, moderated),
        "period_label": period_label(audit),
    }


def period_label(audit: Audit) -> str:
    if audit.period_from is None:
        return "The whole record"
    return f"{audit.period_from:%-d %B %Y} to {audit.period_to:%-d %B %Y}"


def pdf_context(audit: Audit) -> dict[str, Any]:

    context = audit_summary(audit)
    context["printed_on"] = clock.today()
    return context
