"""The dashboard's filters, read from and written to the URL so that a view can be bookmarked
and shared: the period (a month, the quarter or twelve months ending a month, or from one
month to another), a service area, a team and a case type.

``?period=quarter&month=2026-11&area=3&case_type=cp``

A value that cannot be read, or that names an area or team outside the reader's scope, is
left out with a message saying why; the rest of the filters still apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Q

from accounts.models import Team
from sampling.models import CaseType

from ..estimates import months_ending
from .scope import ReaderScope

PERIODS = {
    "month": "A month",
    "quarter": "The quarter ending",
    "year": "Twelve months ending",
    "range": "From one month to another",
}
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
MAX_MONTHS = 120
TREND_MONTHS = 12


def parse_month(text: str) -> dt.date | None:
    """ "2026-11" → 1 November 2026; anything else → None."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return None


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return months_ending(last, count)


def month_end(first: dt.date) -> dt.date:
    following = months_ending(first, 1)[0].replace(day=28) + dt.timedelta(days=4)
    return following.replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class TeamOption:
    id: int
    name: str
    area_id: int
    area_name: str


def teams_in_scope(scope: ReaderScope) -> list[TeamOption]:
    """The teams the reader may see, with their areas (one query)."""
    rows = (
        Team.objects.filter(scope.team_q("id"))
        .order_by("service_area__name", "name")
        .values_list("id", "name", "service_area_id", "service_area__name")
    )
    return [TeamOption(*row) for row in rows]


@dataclass
class Filters:
    period: str
    months: tuple[dt.date, ...]
    area_id: int | None = None
    team_id: int | None = None
    case_type: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)
    teams: list[TeamOption] = field(default_factory=list)
    _query: str | None = field(default=None, repr=False, compare=False)
    _params: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def start(self) -> dt.date:
        return self.months[0]

    @property
    def last_month(self) -> dt.date:
        return self.months[-1]

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return month_end(self.months[-1])

    @property
    def trend_months(self) -> tuple[dt.date, ...]:
        """The twelve months ending with the period, for the trend charts."""
        return tuple(months_ending(self.last_month, TREND_MONTHS))

    @property
    def label(self) -> str:
        if len(self.months) == 1:
            return f"{self.start:%B %Y}"
        return f"{self.start:%B %Y} to {self.last_month:%B %Y}"

    @property
    def area_name(self) -> str:
        for team in self.teams:
            if team.area_id == self.area_id:
                return team.area_name
        return ""

    @property
    def team_name(self) -> str:
        for team in self.teams:
            if team.id == self.team_id:
                return team.name
        return ""

    @property
    def case_type_label(self) -> str:
        return CaseType(self.case_type).label if self.case_type else ""

    @property
    def description(self) -> str:
        """The period and the filters in words, for headings and captions."""
        parts = [self.label]
        if self.team_id:
            parts.append(self.team_name)
        elif self.area_id:
            parts.append(self.area_name)
        if self.case_type:
            parts.append(self.case_type_label)
        return ", ".join(parts)

    def team_area(self) -> dict[int, TeamOption]:
        return {t.id: t for t in self.teams}

    def areas(self) -> list[tuple[int, str]]:
        seen: dict[int, str] = {}
        for team in self.teams:
            seen.setdefault(team.area_id, team.area_name)
        return sorted(seen.items(), key=lambda item: item[1])

    def params(self) -> dict[str, str]:
        """The filters as URL parameters (the defaults left out)."""
        out: dict[str, str] = {"period": self.period}
        if self.period == "range":
            out["from"] = f"{self.start:%Y-%m}"
            out["to"] = f"{self.last_month:%Y-%m}"
        else:
            out["month"] = f"{self.last_month:%Y-%m}"
        if self.area_id:
            out["area"] = str(self.area_id)
        if self.team_id:
            out["team"] = str(self.team_id)
        if self.case_type:
            out["case_type"] = self.case_type
        return out

    def query(self, **extra: object) -> str:
        """The URL query string for these filters and any extra parameters."""
        if self._query is None:
            self._params = self.params()
            self._query = urlencode(self._params)
        if not extra:
            return self._query
        added = {k: str(v) for k, v in extra.items() if v not in (None, "")}
        if not added:
            return self._query
        if added.keys() & self._params.keys():
            return urlencode({**self._params, **added})
        # The page links a few thousand figures: encode only what each adds.
        return f"{self._query}&{urlencode(added)}"

    def case_q(self, prefix: str = "") -> Q:
        """These filters on cases through `prefix` (e.g. "allocation__case__")."""
        q = Q()
        if self.team_id:
            q &= Q(**{f"{prefix}team_id": self.team_id})
        elif self.area_id:
            q &= Q(**{f"{prefix}team__service_area_id": self.area_id})
        if self.case_type:
            q &= Q(**{f"{prefix}case_type": self.case_type})
        return q

    def team_q(self, field: str = "team") -> Q:
        """The area and team filters on a team foreign key named `field` (for actions)."""
        if self.team_id:
            return Q(**{f"{field}_id": self.team_id})
        if self.area_id:
            return Q(**{f"{field}__service_area_id": self.area_id})
        return Q()


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


def read_filters(
    params, *, scope: ReaderScope, today: dt.date, teams: list[TeamOption] | None = None
) -> Filters:
    """The filters from URL parameters (a QueryDict or dict), checked against the reader's
    scope. `today` gives the default month."""
    errors: list[tuple[str, str]] = []
    teams = teams if teams is not None else teams_in_scope(scope)
    period = params.get("period") or "month"
    if period not in PERIODS:
        errors.append(("period", "Choose a month, a quarter, twelve months or a range"))
        period = "month"
    this_month = today.replace(day=1)
    months: list[dt.date]
    if period == "range":
        first = parse_month(params.get("from") or "")
        last = parse_month(params.get("to") or "")
        if first is None or last is None:
            errors.append(("from", "Enter the first and last months as YYYY-MM, like 2026-04"))
            period, months = "month", [this_month]
        elif first > last:
            errors.append(("from", "The first month must be the same as or before the last"))
            period, months = "month", [this_month]
        elif len(months_between(first, last)) > MAX_MONTHS:
            errors.append(("from", f"Choose a range of at most {MAX_MONTHS} months"))
            period, months = "month", [this_month]
        else:
            months = months_between(first, last)
    else:
        text = params.get("month")
        last = parse_month(text) if text else this_month
        if last is None:
            errors.append(("month", "Enter the month as YYYY-MM, like 2026-11"))
            last = this_month
        months = months_ending(last, PERIOD_MONTHS[period])
    by_id = {t.id: t for t in teams}
    area_ids = {t.area_id for t in teams}
    area_id = _int(params.get("area"))
    if params.get("area") and area_id not in area_ids:
        errors.append(("area", "Choose a service area from the list"))
        area_id = None
    team_id = _int(params.get("team"))
    if params.get("team"):
        if team_id not in by_id:
            errors.append(("team", "Choose a team from the list"))
            team_id = None
        elif area_id and by_id[team_id].area_id != area_id:
            errors.append(("team", "Choose a team in the service area chosen"))
            team_id = None
    case_type = params.get("case_type") or ""
    if case_type and case_type not in CaseType.values:
        errors.append(("case_type", "Choose a case type from the list"))
        case_type = ""
    return Filters(
        period=period,
        months=tuple(months),
        area_id=area_id,
        team_id=team_id,
        case_type=case_type,
        errors=errors,
        teams=teams,
    )


def month_filters(*, month: dt.date, scope: ReaderScope) -> Filters:
    """One whole month with no other filter: what the monthly report shows."""
    return Filters(period="month", months=(month.replace(day=1),), teams=teams_in_scope(scope))


def span_filters(*, first: dt.date, last: dt.date, scope: ReaderScope) -> Filters:
    """A run of months with no other filter: what the six-monthly report shows."""
    return Filters(
        period="range", months=tuple(months_between(first, last)), teams=teams_in_scope(scope)
    )


@lru_cache(maxsize=32)
def _list_path(kind: str) -> str:
    from django.urls import reverse

    return reverse("reporting:dashboard-list", args=[kind])


def list_href(kind: str, filters: Filters, **extra: object) -> str:
    """The drill-down list behind a figure, with the page's filters and the figure's own."""
    return f"{_list_path(kind)}?{filters.query(**extra)}"
