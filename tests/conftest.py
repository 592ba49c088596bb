"""Fixtures every test may use: named personas in a small synthetic authority, a real
Chromium for browser tests, and the axe-core check every browser test runs on each page."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import Role, User

from .accounts.factories import PASSWORD, ServiceAreaFactory, TeamFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the Django calls the tests
# make in that thread are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LONDON = ZoneInfo("Europe/London")


# The whole suite on any day ----------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        default=os.environ.get("CASEFILE_TEST_TODAY") or None,
        help=(
            "Run the whole suite as if it were this day, from 09:30 London time with the clock "
            "ticking on (also CASEFILE_TEST_TODAY). Tests that fix their own day still do."
        ),
    )


_travel = pytest.StashKey[time_machine.travel]()


def pytest_configure(config):
    value = config.getoption("--today")
    if not value:
        return
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--today {value!r} is not a date like 2028-02-29") from None
    traveller = time_machine.travel(dt.datetime.combine(day, dt.time(9, 30), LONDON), tick=True)
    traveller.start()
    config.stash[_travel] = traveller


def pytest_unconfigure(config):
    traveller = config.stash.get(_travel, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    if config.getoption("--today"):
        return f"today: {config.getoption('--today')} (travelled by --today)"
    return None


@pytest.fixture
def on_day(time_machine):
    """Fix the clock for one test: `on_day(dt.date(2026, 11, 10))` makes it 09:30 that day
    in London, standing still, whatever day the suite runs on."""

    def travel(day: dt.date, at: dt.time = dt.time(9, 30)) -> dt.date:
        time_machine.move_to(dt.datetime.combine(day, at, LONDON), tick=False)
        return day

    return travel


def pytest_sessionstart(session):
    """On SQLite the test database is a file per run (config/settings.py): make its folder,
    and remove the files of earlier runs that were killed before they could."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if not (database["ENGINE"].endswith("sqlite3") and name):
        return
    folder = Path(name).parent
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("run-*.sqlite3*"):
        pid = old.name.split("-")[1].split(".")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            old.unlink(missing_ok=True)


# Property-based tests: a few dozen examples each in `make test`, the same ones every run
# (derandomized, so CI cannot pass one day and fail the next); HYPOTHESIS_PROFILE=thorough
# runs thousands of fresh ones. No deadline: a slow example is not a failure (no timed tests).
_HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("default", max_examples=30, derandomize=True, **_HYPOTHESIS)
hypothesis_settings.register_profile(
    "thorough", max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "2000")), **_HYPOTHESIS
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A rolled-back test can hand the next one the same ids, and so the same data version:
    # the dashboard's figures are not kept between requests in tests, except in
    # tests/reporting/test_dashboard_cache.py, which gives each test a cache of its own.
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in the test's own thread unless the test starts a real worker."""
    from config.celery import app

    eager = request.node.get_closest_marker("celery_worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@dataclass
class Org:
    """A small synthetic authority with one person for each persona (SPEC §1)."""

    north: object
    south: object
    north_team: object
    south_team: object
    qa_officer: User
    auditor: User
    team_manager: User
    service_manager: User
    senior_manager: User
    social_worker: User
    admin: User
    outsider: User
    strategic_lead: User


@pytest.fixture
def org(db) -> Org:
    north = ServiceAreaFactory(name="North")
    south = ServiceAreaFactory(name="South")
    senior = UserFactory(
        email="senior@example.test",
        full_name="Sam Senior",
        role=Role.ASSISTANT_DIRECTOR,
        in_audit_pool=True,
    )
    service_manager = UserFactory(
        email="sm@example.test",
        full_name="Sid Service",
        role=Role.SERVICE_MANAGER,
        service_area=north,
        line_manager=senior,
        in_audit_pool=True,
    )
    strategic_lead = UserFactory(
        email="lead@example.test",
        full_name="Lee Lead",
        role=Role.HEAD_OF_SERVICE,
        service_area=north,
        line_manager=senior,
        in_audit_pool=True,
    )
    north.strategic_lead = strategic_lead
    north.head_of_service = strategic_lead
    north.save()
    north_team = TeamFactory(name="North Family Support", service_area=north)
    south_team = TeamFactory(name="South Children in Care", service_area=south)
    team_manager = UserFactory(
        email="tm@example.test",
        full_name="Tia Manager",
        role=Role.TEAM_MANAGER,
        team=north_team,
        line_manager=service_manager,
        in_audit_pool=True,
    )
    north_team.manager = team_manager
    north_team.save()
    south_manager = UserFactory(
        email="tm.south@example.test",
        full_name="Sol Southern",
        role=Role.TEAM_MANAGER,
        team=south_team,
        in_audit_pool=True,
    )
    south_team.manager = south_manager
    south_team.save()
    return Org(
        north=north,
        south=south,
        north_team=north_team,
        south_team=south_team,
        qa_officer=UserFactory(
            email="qa@example.test",
            full_name="Quinn Assure",
            role=Role.QA_OFFICER,
            service_area=north,
            in_audit_pool=True,
        ),
        auditor=UserFactory(
            email="auditor@example.test",
            full_name="Ari Auditor",
            role=Role.ADVANCED_PRACTITIONER,
            team=south_team,
            line_manager=south_manager,
            in_audit_pool=True,
        ),
        team_manager=team_manager,
        service_manager=service_manager,
        senior_manager=senior,
        social_worker=UserFactory(
            email="sw@example.test",
            full_name="Sky Worker",
            role=Role.SOCIAL_WORKER,
            team=north_team,
            line_manager=team_manager,
        ),
        admin=UserFactory(
            email="admin@example.test",
            full_name="Ash Admin",
            role=Role.ADMIN,
        ),
        outsider=UserFactory(
            email="outsider@example.test",
            full_name="Oz Outside",
            role=Role.SOCIAL_WORKER,
            team=south_team,
            line_manager=south_manager,
        ),
        strategic_lead=strategic_lead,
    )


PERSONAS = (
    "qa_officer",
    "auditor",
    "team_manager",
    "service_manager",
    "senior_manager",
    "social_worker",
    "admin",
)


@pytest.fixture
def client_for(client):
    """A test client signed in as the person given."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in


# Browser tests ---------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def pytest_collection_modifyitems(session, config, items):
    """No silent skips and no wall of errors: with browser tests selected and no browser,
    stop at once with one line (`make test` finds or installs one: scripts/ensure-browser)."""
    if any(item.get_closest_marker("browser") for item in items):
        path = chromium_path()
        if not os.access(path, os.X_OK):
            pytest.exit(
                f"The browser tests need Chromium and there is none at {path}: run `make test` "
                "(it finds or installs one), set CHROMIUM_PATH, or add -m 'not browser'.",
                returncode=4,
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


def assert_accessible(page) -> None:
    """Run axe-core on the page as it stands; fail on any violation, listing each, and on
    any breach of the page's content security policy.

    axe-core goes in through the browser's developer protocol (the page's CSP allows no
    inline script, so a script tag of it would be refused, as it should be)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate("() => window.__cspViolations || []")
    assert violations == [], f"content security policy breached on {page.url}: {violations}"
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    assert results == [], f"axe-core found violations on {page.url}: {results}"


_AXE: list[str] = []


def _axe_source() -> str:
    if not _AXE:
        _AXE.append(AXE_SCRIPT.read_text() + "\n;undefined;")
    return _AXE[0]


@pytest.fixture
def context(context):
    """Every page records breaches of its content security policy (issue 14)."""
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations"
        ".push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
    )
    return context


def sign_in_through_page(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
