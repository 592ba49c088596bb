"""Reads for the home pages and reports. Reporting may read every app."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Persona, ServiceArea, Team, User
from accounts.selectors import (
    break_months,
    may_see_break_requests,
    months_ahead,
    notices_for,
    policy_get,
)
from audits.selectors import open_allocations_of, open_exemption_count, run_for
from sampling.models import Case, CaseStatus


def home_context(*, user: User) -> dict:
    """What is the person's to do, one panel for each of their personas."""
    context: dict = {"personas": user.personas(), "Persona": Persona}
    context["notices"] = list(notices_for(user=user, limit=5))
    if user.has_persona(Persona.QA_STAFF, Persona.ADMIN):
        context["qa"] = {
            "policy": policy_get(),
            "pool_size": User.objects.filter(in_audit_pool=True, is_active=True).count(),
            "staff_count": User.objects.filter(is_active=True).count(),
            "open_cases": Case.objects.filter(status=CaseStatus.OPEN).count(),
        }
        context["qa"]["allocation"] = run_for(period=timezone.localdate())
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
        today = timezone.localdate()
        context["my_audits"] = [(a, a.progress(today)) for a in open_allocations_of(auditor=user)]
    context["exemptions_waiting"] = open_exemption_count(user=user)
    if may_see_break_requests(user):
        context["breaks_next_month"] = break_months(
            viewer=user, months=[months_ahead(timezone.localdate(), 1)[0]]
        )[0]
    if user.has_persona(Persona.SOCIAL_WORKER):
        cases = Case.objects.filter(allocated_worker=user, status=CaseStatus.OPEN)
        context["my_case_count"] = cases.count()
        context["my_cases"] = list(cases.select_related("team")[:10])
    return context
