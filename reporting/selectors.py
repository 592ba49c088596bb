"""Reads for the home pages and reports. Reporting may read every app."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from accounts.models import Persona, ServiceArea, Team, User
from accounts.selectors import (
    break_months,
    may_see_break_requests,
    months_ahead,
    notices_for,
    policy_get,
)
from audits.models import AllocationStatus
from audits.selectors import (
    allocations_of,
    audits_for_team_manager,
    audits_shared_with,
    open_exemption_count,
    run_for,
)
from sampling.models import Case, CaseStatus
from sampling.selectors import sampling_summary

# The home page's lists are paged (the view pages them, `reporting.views.home`); these are
# their queries, narrowed to what the panels show.
HOME_PAGED = ("my_audits", "audits_with_me", "audits_for_comment")
HOME_ALLOCATION_COLUMNS = (
    "status",
    "deadline",
    "started_at",
    "completed_at",
    "case",
    "case__external_id",
)


def home_context(*, user: User, today: dt.date) -> dict:
    """What is the person's to do, one panel for each of their personas. The lists named in
    HOME_PAGED are queries, for the view to show a page of."""
    context: dict = {"personas": user.personas(), "Persona": Persona}
    context["notices"] = list(notices_for(user=user, limit=5))
    # The dashboard and the reports (issue 13): who reads them, by persona alone.
    context["reads_dashboard"] = user.has_persona(
        Persona.QA_STAFF, Persona.SENIOR_MANAGER, Persona.SERVICE_MANAGER, Persona.TEAM_MANAGER
    )
    context["reads_reports"] = user.has_persona(Persona.QA_STAFF, Persona.SENIOR_MANAGER)
    if user.has_persona(Persona.QA_STAFF, Persona.ADMIN):
        context["qa"] = {
            "policy": policy_get(),
            "pool_size": User.objects.filter(in_audit_pool=True, is_active=True).count(),
            "staff_count": User.objects.filter(is_active=True).count(),
            "open_cases": Case.objects.filter(status=CaseStatus.OPEN).count(),
        }
        context["qa"]["allocation"] = run_for(period=today)
        context["qa"]["sampling"] = sampling_summary(today=today)
    if user.has_persona(Persona.TEAM_MANAGER):
        context["managed_teams"] = list(
            Team.objects.filter(manager=user)
            .select_related("service_area")
            .annotate(open_cases=Count("cases", filter=Q(cases__status=CaseStatus.OPEN)))
        )
    if user.has_persona(Persona.SERVICE_MANAGER, Persona.SENIOR_MANAGER):
        areas = ServiceArea.objects.all()
        if not user.has_persona(Persona.SENIOR_MANAGER) and user.area:
            areas = areas.filter(pk=user.area.pk)
        context["areas"] = list(
            areas.annotate(
                team_count=Count("teams", distinct=True),
                open_cases=Count(
                    "teams__cases", filter=Q(teams__cases__status=CaseStatus.OPEN), distinct=True
                ),
            )
        )
    if user.has_persona(Persona.AUDITOR):
        context["my_audits"] = (
            allocations_of(auditor=user)
            .filter(status=AllocationStatus.ALLOCATED, completed_at__isnull=True)
            .select_related(None)
            .select_related("case")
            .only(*HOME_ALLOCATION_COLUMNS)
        )
    context["exemptions_waiting"] = open_exemption_count(user=user)
    if may_see_break_requests(user):
        context["breaks_next_month"] = break_months(
            viewer=user, months=[months_ahead(today, 1)[0]]
        )[0]
    if user.has_persona(Persona.TEAM_MANAGER, Persona.SERVICE_MANAGER, Persona.SOCIAL_WORKER):
        from remediation.selectors import home_panel

        context["actions"] = home_panel(user=user, today=today)
    if user.has_persona(Persona.TEAM_MANAGER):
        context["audits_with_me"] = audits_for_team_manager(user=user)
    if user.has_persona(Persona.TEAM_MANAGER, Persona.SOCIAL_WORKER):
        context["audits_for_comment"] = audits_shared_with(user=user)
    if user.has_persona(Persona.SOCIAL_WORKER):
        cases = Case.objects.filter(allocated_worker=user, status=CaseStatus.OPEN)
        context["my_case_count"] = cases.count()
        context["my_cases"] = list(cases.select_related("team")[:10])
    return context


def case_page(*, case: Case, user: User, today) -> dict:
    """A case's facts, its audits and their status, its actions, and whether anything on
    it is still open (Bury 9.6); for its team manager, the prompt a reopened case with
    earlier unfinished actions needs (Bury 9.7). The audits listed are those the reader may
    see (issue 14: not an auditor's draft before it is shared with the case); for QA staff,
    who has opened the child's records."""
    from audits.selectors import audits_of_case
    from remediation import access
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
        "is_team_manager": case.team_id is not None
        and case.team_id in access.managed_team_ids(user),
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
    return case.team_id in access.managed_team_ids(user) or case.team_id in (
        access.overseen_team_ids(user)
    )


# Who reads the population estimates and agreement figures: those who read the reports
# (senior managers, heads of service, QA staff, service managers, admins) and team managers.
ESTIMATE_READERS = (
    "accounts.view_reports",
    "accounts.quality_assure",
    "accounts.manage_team_actions",
)


def may_read_estimates(*, user: User) -> bool:
    return any(user.has_perm(p) for p in ESTIMATE_READERS)
