"""The service navigation, by what the signed-in person may do."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # None: everyone signed in
    staff_only: bool = False


# Later apps add their entries here; an entry whose URL does not exist yet is left out.
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "reporting:home"),
    NavItem("Policy", "accounts:policy", "accounts.manage_policy"),
    NavItem("Organisation", "accounts:organisation", "accounts.import_staff"),
    NavItem("Cases", "sampling:frame", "accounts.manage_sampling"),
    NavItem("Samples", "sampling:samples", "accounts.manage_sampling"),
    NavItem("Allocation", "audits:allocation-index", "accounts.manage_allocation"),
    NavItem("QA checks", "audit:qa-queue", "accounts.quality_assure"),
    NavItem("Your audits", "audits:mine", "accounts.conduct_audits"),
    NavItem("Breaks", "accounts:breaks", "accounts.conduct_audits"),
    NavItem("Actions", "remediation:list", "accounts.manage_team_actions"),
    NavItem("Actions", "remediation:list", "accounts.view_own_cases"),
    NavItem("Compliance", "remediation:compliance", "accounts.quality_assure"),
    NavItem("Notices", "accounts:notices"),
    NavItem("Admin", "admin:index", staff_only=True),
)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    context: dict = {"authority_name": settings.AUTHORITY_NAME}
    if user is None or not user.is_authenticated:
        return context
    items = []
    for item in NAV_ITEMS:
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.staff_only and not user.is_staff:
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if any(i["href"] == href for i in items):  # one entry for several permissions
            continue
        active = request.path == href if href == "/" else request.path.startswith(href)
        items.append({"label": item.label, "href": href, "active": active})
    from accounts.selectors import unread_notice_count

    context["nav_items"] = items
    context["unread_notices"] = unread_notice_count(user=user)
    return context
