"""The service navigation, by what the signed-in person may do."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_urlconf, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # The permission (or any of several) that shows the item; None: everyone signed in.
    permission: str | tuple[str, ...] | None = None
    staff_only: bool = False
    # Roles shown the item without the permission (heads of service draw thematic samples
    # and see break requests: Leeds 4.5, P&Q 2-3).
    roles: tuple[str, ...] = ()


# Later apps add their entries here; an entry whose URL does not exist yet is left out.
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "reporting:home"),
    NavItem("Policy", "accounts:policy", "accounts.manage_policy"),
    NavItem("Organisation", "accounts:organisation", "accounts.import_staff"),
    NavItem("Cases", "sampling:frame", "accounts.manage_sampling"),
    NavItem("Samples", "sampling:samples", "accounts.manage_sampling", roles=("head_of_service",)),
    NavItem("Allocation", "audits:allocation-index", "accounts.manage_allocation"),
    NavItem("QA checks", "audit:qa-queue", "accounts.quality_assure"),
    NavItem("Your audits", "audits:mine", "accounts.conduct_audits"),
    NavItem("Breaks", "accounts:breaks", "accounts.conduct_audits"),
    NavItem(
        "Break requests",
        "accounts:break-requests",
        "accounts.manage_allocation",
        roles=("head_of_service",),
    ),
    NavItem(
        "Actions",
        "remediation:list",
        ("accounts.manage_team_actions", "accounts.view_own_cases"),
    ),
    NavItem("Compliance", "remediation:compliance", "accounts.quality_assure"),
    NavItem("Access log", "accounts:access-log", "accounts.view_access_log"),
    # P&Q 25: QA staff and the group manager record the inadequate pathway's meetings.
    NavItem(
        "Inadequate pathways",
        "audit:pathways",
        ("accounts.quality_assure", "accounts.oversee_services"),
        roles=("group_manager", "head_of_service"),
    ),
    # Senior managers, heads of service and QA staff (the whole authority), service
    # managers (their area) and team managers (their teams): reporting.dashboard.scope.
    NavItem(
        "Dashboard",
        "reporting:dashboard",
        ("accounts.quality_assure", "accounts.oversee_services", "accounts.manage_team_actions"),
    ),
    NavItem("Notices", "accounts:notices"),
    NavItem("API keys", "api:keys", "api.manage_api_keys", roles=("admin",)),
    NavItem("Admin", "admin:index", staff_only=True),
)


def _may_see(user, item: NavItem) -> bool:
    permissions = (item.permission,) if isinstance(item.permission, str) else item.permission
    return user.role in item.roles or any(user.has_perm(p) for p in permissions)


@cache
def _href(url_name: str, urlconf: str | None) -> str | None:
    """An item's address, worked out once a process (the URLs do not change as it runs)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


# The addresses every page's layout (base.html) links to: worked out once a process rather
# than with a `{% url %}` or `{% static %}` tag each on every page (issue 16: about a fifth
# of the layout's own time).
_LAYOUT_URLS = {
    "home": "reporting:home",
    "keep_alive": "accounts:keep-alive",
    "notices": "accounts:notices",
    "logout": "accounts:logout",
    "accessibility": "reporting:accessibility",
    "privacy": "reporting:privacy",
}
_LAYOUT_STATIC = {
    "favicon_ico": "govuk/assets/images/favicon.ico",
    "favicon_svg": "govuk/assets/images/favicon.svg",
    "app_css": "build/app.css",
    "js_enabled": "app/js-enabled.js",
    "init_js": "app/init.js",
    "idle_js": "app/idle.js",
}


@cache
def layout_links(urlconf: str | None) -> dict[str, str]:
    """The layout's links and assets by name, for `urlconf`."""
    from django.templatetags.static import static

    links = {name: reverse(url_name, urlconf=urlconf) for name, url_name in _LAYOUT_URLS.items()}
    return links | {name: static(path) for name, path in _LAYOUT_STATIC.items()}


@receiver(setting_changed, dispatch_uid="casefile-nav-urls")
def _forget_hrefs(*, setting: str, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "STATIC_URL", "STORAGES"):  # as Django clears its own
        _href.cache_clear()
        layout_links.cache_clear()


def navigation(request: HttpRequest) -> dict:
    """The header's facts (the authority's name, unread notices: one query) and the items
    the person may see (their permissions, read with their personas in one query)."""
    user = getattr(request, "user", None)
    from accounts.selectors import header_facts

    name, unread = header_facts(user=user)
    context: dict = {"authority_name": name, "word_export": settings.WORD_EXPORT_ENABLED}
    if user is None or not user.is_authenticated:
        return context
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    items = []
    for item in NAV_ITEMS:
        if item.permission and not _may_see(user, item):
            continue
        if item.staff_only and not user.is_staff:
            continue
        href = _href(item.url_name, urlconf)
        if href is None:
            continue
        active = request.path == href if href == "/" else request.path.startswith(href)
        items.append({"label": item.label, "href": href, "active": active})
    context["nav_items"] = items
    context["unread_notices"] = unread
    return context
