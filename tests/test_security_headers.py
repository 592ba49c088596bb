"""Every page carries the security headers: a content security policy with no inline
script, frame denial, the referrer policy, no MIME sniffing, and HSTS behind TLS; no page
has an inline script or event-handler attribute, or one form inside another (issue 14)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from tests.test_access_log import _patterns

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.fixture
def records(org):
    from accounts.services import policy_load_preset
    from tests.audits.factories_form import started_audit
    from tests.remediation.factories import remedial_actions

    policy_load_preset(preset="bury")
    [action] = remedial_actions(org)
    audit = started_audit(org)
    return {"action": action, "audit": audit}


def _kwargs(name: str, route: str, records) -> dict:
    audit, action = records["audit"], records["action"]
    key = audit.definition["sections"][0]["key"]
    values = {}
    for param, converter in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        kind, param = (param, converter) if param else ("str", converter)
        if kind == "month":
            values[param] = "2026-11"
        elif kind == "uuid":
            values[param] = uuid.uuid4()
        elif kind == "slug":
            values[param] = key
        elif param == "fmt":
            values[param] = "csv"
        elif param == "external_id":
            values[param] = audit.case.external_id
        elif param == "allocation_pk":
            values[param] = audit.allocation_id
        elif name.startswith("audit:"):
            values[param] = audit.pk
        elif name.startswith("remediation:"):
            values[param] = action.pk
        elif name.startswith("audits:"):
            values[param] = audit.allocation_id
        else:
            values[param] = 1
    return values


def _pages(records):
    for name, route in _patterns():
        if name.startswith("admin:") and name not in ("admin:index", "admin:login"):
            continue
        if "(?P<" in route or name.endswith("None"):
            continue
        yield name, reverse(name, kwargs=_kwargs(name, route, records))


def _check(response, url) -> list[str]:
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    if (
        "script-src 'self'" not in csp
        or "unsafe-inline" in csp
        or "frame-ancestors 'none'" not in csp
    ):
        problems.append(f"{url}: CSP {csp!r}")
    for header, value in (
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("X-Content-Type-Options", "nosniff"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ):
        if response.headers.get(header) != value:
            problems.append(f"{url}: {header} {response.headers.get(header)!r}")
    if response.headers.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        if INLINE_SCRIPT.search(html):
            problems.append(f"{url}: inline script")
        if EVENT_ATTRIBUTE.search(html):
            problems.append(f"{url}: event-handler attribute")
        depth = deepest = 0
        for closing in re.findall(r"<(/?)form\b", html):
            depth += -1 if closing else 1
            deepest = max(deepest, depth)
        if deepest > 1:
            problems.append(f"{url}: a form inside a form")
    return problems


@pytest.mark.parametrize("persona", ["qa_officer", "auditor", "team_manager", "senior_manager"])
def test_every_page_has_the_security_headers_and_no_inline_script(
    org, records, client_for, persona
):
    client = client_for(getattr(org, persona))
    problems, statuses = [], {}
    for name, url in _pages(records):
        response = client.get(url)
        statuses[name] = response.status_code
        assert response.status_code < 500, url
        problems += _check(response, url)
    assert problems == [], "\n".join(problems)
    assert sum(1 for s in statuses.values() if s == 200) >= 10


def test_signed_out_pages_have_them_too(client, db):
    for url in (
        "/accounts/sign-in/",
        "/accessibility/",
        "/privacy/",
        "/",
        "/health/",
        "/accounts/password-reset/",
    ):
        assert _check(client.get(url), url) == []


def test_behind_tls_browsers_are_told_to_use_https_for_a_year(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/accounts/sign-in/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
