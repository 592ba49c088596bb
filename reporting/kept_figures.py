"""Figures on the home pages that are the same for every reader allowed to see them and
cost a count over every case (issue 16), kept in the process by a version of their data:
the service areas' teams and open cases (a senior manager's every area, a service manager's
own) and the QA panel's open cases.

The version is the newest row of the change history (every update and delete of a case,
every write to a team or service area: `accounts.history.TRACKED`) and the newest case (a
case's insert is not in the history), read as two columns of the page's counts
(`reporting.selectors`), so checking it costs no query of its own. A new version reads the
figures afresh; a kept figure is also read afresh after `DASHBOARD_CACHE_SECONDS` (0: never
kept; the tests' setting, as a rolled-back test can hand the next the same ids)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import Exact

from accounts.compiled import rows_for
from accounts.models import Persona, ServiceArea, Team, User
from sampling.models import Case, CaseStatus


def _area_figures(*args):
    """Each service area by name (or the one whose id is the first argument), its teams and
    open cases (the last argument, the open status). The open cases are counted by team in a
    subquery (one pass over the cases' team index), not by joining every case to every area
    and counting distinct."""
    *area, open_ = args
    areas = ServiceArea.objects.filter(pk=area[0]) if area else ServiceArea.objects.all()
    # COUNT(*) of each area's rows, no GROUP BY: the cases are counted team by team on
    # their (team, status) index.
    count = Func(function="COUNT", template="COUNT(*)", output_field=IntegerField())
    open_by_area = (
        Case.objects.filter(status=open_, team__service_area=OuterRef("pk"))
        .order_by()
        .annotate(n=count)
        .values("n")
    )
    teams_by_area = (
        Team.objects.filter(service_area=OuterRef("pk")).order_by().annotate(n=count).values("n")
    )
    return (
        areas.annotate(team_count=Subquery(teams_by_area), open_cases=Subquery(open_by_area))
        .order_by("name")
        .values_list("name", "team_count", "open_cases")
    )


def area_version_columns() -> dict:
    """The version of the data the service areas' figures count, as two columns of the home
    page's counts: the newest change history row (every update and delete of a case, and
    every write to a team or service area: `accounts.history.TRACKED`) and the newest case
    (a case's insert is not in the history)."""
    from accounts.security_models import Change

    return {
        "version.changes": Subquery(Change.objects.order_by("-pk").values("pk")[:1]),
        "version.cases": Subquery(Case.objects.order_by("-pk").values("pk")[:1]),
    }


def open_cases_unless_kept(arg):
    """The QA panel's count of every open case (1 ms at ten years of data), unless the data
    version (`area_version_columns`) is the one the process kept the count for (the slots
    kept_changes and kept_cases): then NULL, and the database does not count (PostgreSQL
    runs a subquery of a CASE only when its branch is taken)."""
    from accounts.counting import count_columns

    counted, _known = count_columns(
        {"open": Case.objects.filter(status=arg(CaseStatus.OPEN)).values("status")}
    )
    versions = area_version_columns()
    same = Q(Exact(versions["version.changes"], arg.slot("kept_changes"))) & Q(
        Exact(versions["version.cases"], arg.slot("kept_cases"))
    )
    return CaseWhen(
        When(same, then=Value(None)), default=counted["open"], output_field=IntegerField()
    )


# The count of open cases the QA panel showed last in this process: (data version, count,
# when read by `time.monotonic()`). The count is the same for every reader of the panel.
_kept_open_cases: list[tuple] = []


def kept_count() -> tuple | None:
    """The kept count of open cases and its data version, (version, count), unless none is
    kept, it is older than `DASHBOARD_CACHE_SECONDS` or keeping is off (0)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    kept = _kept_open_cases[0] if seconds > 0 and _kept_open_cases else None
    if kept is None or time.monotonic() - kept[2] >= seconds:
        return None
    return kept[0], kept[1]


def kept_slots(kept: tuple | None) -> dict:
    """The facts' slots for the kept count's version (-1, which no data has, for none)."""
    (changes, cases) = kept[0] if kept else (-1, -1)
    return {"kept_changes": changes, "kept_cases": cases}


def open_cases(facts: dict, kept: tuple | None) -> int:
    """The QA panel's open cases: the kept count when the facts' query found its data
    version unchanged (NULL), else the query's count, kept for its version."""
    if facts["qa.open_cases"] is None and kept is not None:
        return kept[1]
    count = facts["qa.open_cases"]
    version = (facts["version.changes"], facts["version.cases"])
    if all(isinstance(part, int) for part in version):
        _kept_open_cases[:] = [(version, count, time.monotonic())]
    return count


# The service areas' figures read lately in this process, by (area or None for every area,
# data version): (the figures, when read, by `time.monotonic()`). See `area_figures`.
_kept_areas: dict[tuple, tuple[list, float]] = {}


def area_figures(*, user: User, version: tuple | None = None) -> list[dict]:
    """The service areas on a service or senior manager's home page, each with its teams and
    open cases (name, team_count, open_cases): a senior manager every area, a service
    manager their own. Read by `_area_figures`, its SQL built once a process.

    With `version` (`area_version_columns`, read with the page's counts) the figures are
    kept in the process for `DASHBOARD_CACHE_SECONDS` (0: not kept), by the area (every
    area for a senior manager) and the version: the same for every reader who may see that
    area, so kept figures never show anyone an area they could not see; and read afresh
    once a case, team or area has changed (a new version), so they are never staler than
    the data. Counting every open case took 2 ms at ten years of data (issue 16)."""
    area_id = None
    if not user.has_persona(Persona.SENIOR_MANAGER):
        area_id = user.team.service_area_id if user.team_id else user.service_area_id
    seconds = settings.DASHBOARD_CACHE_SECONDS
    key = (area_id, version)
    now = time.monotonic()
    if version is not None and seconds > 0:
        kept = _kept_areas.get(key)
        if kept is not None and now - kept[1] < seconds:
            return [dict(row) for row in kept[0]]
    args = ([area_id] if area_id else []) + [str(CaseStatus.OPEN)]
    figures = [
        {"name": name, "team_count": teams, "open_cases": open_cases}
        for name, teams, open_cases in rows_for(_area_figures, *args)
    ]
    if version is not None and seconds > 0:
        if len(_kept_areas) > 64:  # older versions and areas: at most a few a process
            _kept_areas.clear()
        _kept_areas[key] = ([dict(row) for row in figures], now)
    return figures
