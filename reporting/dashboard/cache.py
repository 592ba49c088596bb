"""The dashboard's figures, kept for a short while for readers who share a scope (issue 16).

The figures part of the page (its contents list and every section) is the same for every
reader with the same scope, filters and day, and costs tens of queries; at a month's start
many senior managers open the same view. So the rendered figures are kept in the cache:

- **The key includes the reader's scope** (whole authority, or the exact set of teams, and
  whether they read the kept reports), the filters, the day and a version of the data, so a
  reader never sees figures worked out for a wider scope than theirs.
- **The version** is one query of indexed look-ups: the newest row of the change history
  (every write to audits, grades, actions, allocations and cases), of the audits' and
  actions' own histories, of the moderations, QA checks, agreed grades, concerns and
  pathways, and of the summary of closed months. A change to any of them gives a new key,
  so the figures show it at once.
- **The rest** (an edit to a table without a history, such as a learning theme's tag) shows
  within `DASHBOARD_CACHE_SECONDS` (60 by default; 0 turns the cache off).

The lists behind the figures and the downloads are always read live.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from accounts.models import ServiceArea, Team
from accounts.security_models import Change
from audits.models import (
    AllocationHistory,
    AuditEvent,
    Consensus,
    InadequatePathway,
    Moderation,
    QACheck,
    SafeguardingConcern,
)
from remediation.models import ActionEvent
from reporting.models import CompletionSummary, GradeSummary, SummaryMonth

from .filters import Filters, TeamOption
from .scope import ReaderScope

VERSIONED = (
    Change,
    AuditEvent,
    ActionEvent,
    AllocationHistory,
    Moderation,
    QACheck,
    Consensus,
    SafeguardingConcern,
    InadequatePathway,
    CompletionSummary,
    GradeSummary,
)


def _version_parts() -> list[str]:
    parts = [f"(SELECT MAX(id) FROM {m._meta.db_table})" for m in VERSIONED]
    parts.append(f"(SELECT COUNT(*) FROM {SummaryMonth._meta.db_table})")
    return parts


def _version_of(row) -> str:
    return ".".join(str(v or 0) for v in row)


def data_version() -> str:
    """The newest id of each table the figures follow, and the number of summarised months."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(_version_parts()))
        return _version_of(cursor.fetchone())


def version_and_teams(scope: ReaderScope) -> tuple[str, list[TeamOption]]:
    """`data_version()` and the teams the reader may see with their areas
    (`filters.teams_in_scope`), in one query (issue 16: a round trip fewer on every look
    at the dashboard): the version's row joined to each team, or to none."""
    parts = _version_parts()
    team = connection.ops.quote_name(Team._meta.db_table)
    area = connection.ops.quote_name(ServiceArea._meta.db_table)
    params: list[int] = []
    within = "true"
    if not scope.whole:
        ids = sorted(scope.team_ids)
        within = f"t.id IN ({', '.join(['%s'] * len(ids))})" if ids else "false"
        params = ids
    columns = ", ".join(f"v.v{n}" for n in range(len(parts)))
    sql = (
        f"SELECT {columns}, t.id, t.name, t.service_area_id, a.name FROM (SELECT "
        + ", ".join(f"{part} AS v{n}" for n, part in enumerate(parts))
        + f") v LEFT JOIN ({team} t INNER JOIN {area} a ON a.id = t.service_area_id)"
        f" ON {within} ORDER BY a.name, t.name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    n = len(parts)
    teams = [TeamOption(*row[n:]) for row in rows if row[n] is not None]
    return _version_of(rows[0][:n]), teams


def figures_key(*, scope: ReaderScope, filters: Filters, today: dt.date, version: str) -> str:
    reader = "all" if scope.whole else "teams:" + ",".join(str(t) for t in sorted(scope.team_ids))
    text = "|".join(
        [
            reader,
            scope.label,
            str(scope.reads_reports),
            str(scope.writes_reports),
            filters.query(),
            today.isoformat(),
            version,
        ]
    )
    return "dashboard-figures:" + hashlib.sha256(text.encode()).hexdigest()


def cached_figures(
    *,
    scope: ReaderScope,
    filters: Filters,
    today: dt.date,
    render: Callable[[], str],
    version: str | None = None,
) -> SafeString:
    """The figures' HTML from the cache, or `render()`ed and kept. `version`: the data's
    version if the caller has just read it (`version_and_teams`), else it is read here."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return mark_safe(render())  # noqa: S308 - rendered by our own template
    if version is None:
        version = data_version()
    key = figures_key(scope=scope, filters=filters, today=today, version=version)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 - rendered by our own template
