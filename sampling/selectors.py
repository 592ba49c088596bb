"""Reads of the sampling app for pages, commands and other apps. Each runs a fixed
number of queries whatever the size of the frame."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count, F, QuerySet, Value
from django.urls import reverse

from accounts.compiled import rows_for
from accounts.errors import RowError
from accounts.models import Role, ServiceArea, Team, User

from .annex_a import squash
from .frame_version import FRAME
from .models import (
    AnnexList,
    Case,
    CaseStatus,
    CaseType,
    DataVersion,
    Sample,
    SampleCase,
    SampleKind,
    SampleStatus,
    Snapshot,
    SnapshotStatus,
)


def confirmed_monthly_sample(*, period: dt.date) -> Sample | None:
    """The month's confirmed monthly sample, if it has one (for allocation)."""
    return Sample.objects.filter(
        kind=SampleKind.MONTHLY, period=period.replace(day=1), status=SampleStatus.CONFIRMED
    ).first()


def months_confirmed(*, periods: list[dt.date]) -> set[dt.date]:
    """Which of these months already have a confirmed monthly sample (one query)."""
    return set(
        Sample.objects.filter(
            kind=SampleKind.MONTHLY, status=SampleStatus.CONFIRMED, period__in=periods
        ).values_list("period", flat=True)
    )


def monthly_sample(*, period: dt.date) -> Sample | None:
    """The month's monthly sample, confirmed or draft."""
    period = period.replace(day=1)
    return confirmed_monthly_sample(period=period) or (
        Sample.objects.filter(
            kind=SampleKind.MONTHLY, period=period, status=SampleStatus.DRAFT
        ).first()
    )


@dataclass(frozen=True, slots=True)
class FrameImport:
    """An import as the frame page shows it (SQLite gives the date as text: made a date)."""

    pk: int
    annex_list: str
    as_of: dt.date
    open_count: int | None
    file_name: str
    url: str
    status_label: str
    tag_colour: str


def _frame_snapshots() -> tuple[dict[str, FrameImport], list[FrameImport]]:
    """The newest imported snapshot of each list, by list, and the 15 most recent imports,
    with the columns the frame shows, in one query: for each list a look-up in the
    `snapshot_latest_idx` index (a subquery for every import took 22 ms at ten years of
    weekly imports), then the newest in `snapshot_recent_idx`. SQL, because the ORM spent
    longer building the five look-ups than PostgreSQL spent running them."""
    table = connection.ops.quote_name(Snapshot._meta.db_table)
    columns = "id, annex_list, as_of, open_count, status, file_name, created_at"
    if connection.vendor == "postgresql":
        sql = (
            f"(SELECT true AS newest, s.* FROM unnest(%s::text[]) AS list(code) CROSS JOIN"
            f" LATERAL (SELECT {columns} FROM {table} WHERE annex_list = list.code AND"
            f" status = %s ORDER BY as_of DESC LIMIT 1) s)"
            f" UNION ALL (SELECT false, {columns} FROM {table} ORDER BY created_at DESC LIMIT 15)"
            " ORDER BY newest DESC, created_at DESC"
        )
        params = [list(AnnexList.values), SnapshotStatus.IMPORTED]
    else:
        # The embedded SQLite default has no LATERAL: the newest of each list by a window.
        sql = (
            f"SELECT * FROM (SELECT 1 AS newest, {columns} FROM (SELECT {columns},"
            " ROW_NUMBER() OVER (PARTITION BY annex_list ORDER BY as_of DESC) AS n"
            f" FROM {table} WHERE status = %s) WHERE n = 1)"
            f" UNION ALL SELECT * FROM (SELECT 0, {columns} FROM {table}"
            " ORDER BY created_at DESC LIMIT 15)"
            " ORDER BY newest DESC, created_at DESC"
        )
        params = [SnapshotStatus.IMPORTED]
    as_of_field = Snapshot._meta.get_field("as_of")
    head, tail = _import_address()
    labels = dict(SnapshotStatus.choices)
    latest: dict[str, FrameImport] = {}
    recent: list[FrameImport] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for newest, pk, annex_list, as_of, open_count, status, file_name, _ in cursor:
            # What the page shows of it, worked out here rather than by a `{% url %}`
            # and an included template a row; not a model instance (a dearer thing to make).
            snapshot = FrameImport(
                pk=pk,
                annex_list=annex_list,
                as_of=as_of if isinstance(as_of, dt.date) else as_of_field.to_python(as_of),
                open_count=open_count,
                file_name=file_name,
                url=f"{head}{pk}{tail}",
                status_label=labels.get(status, status),
                tag_colour=SNAPSHOT_TAG_COLOURS.get(status, "blue"),
            )
            if newest:
                latest[annex_list] = snapshot
            else:
                recent.append(snapshot)
    return latest, recent


# The colour of an import's status tag (templates/sampling/frame.html); blue for the rest.
SNAPSHOT_TAG_COLOURS = {
    SnapshotStatus.IMPORTED: "green",
    SnapshotStatus.REJECTED: "red",
    SnapshotStatus.FAILED: "red",
}


@cache
def _import_address() -> tuple[str, str]:
    """An import's address split around its id: one reverse() a process."""
    head, _, tail = reverse("sampling:import-detail", args=[0]).rpartition("0")
    return head, tail


def _unmatched_rows(open_: str, team: str, worker: str, blank: str):
    """Each kind's names on open cases that match nobody, with their case counts: one
    query, the two kinds' counts together. Every value it compares with is an argument, so
    that its SQL is built once a process (`accounts.compiled.rows_for`)."""
    parts = [
        Case.objects.filter(status=open_, **{f"{target}__isnull": True})
        .exclude(**{field: blank})
        .order_by()
        .annotate(kind=Value(kind), name=F(field))
        .values_list("kind", "name")
        .annotate(n=Count("id"))
        for kind, field, target in (
            (team, "team_source", "team"),
            (worker, "worker_source", "allocated_worker"),
        )
    ]
    return parts[0].union(parts[1], all=True).order_by("kind", "name")


def unmatched_names() -> dict[str, list[dict]]:
    """Team and worker names on open cases that match nobody here, with their case counts,
    for QA staff to map (one query: `_unmatched_rows`)."""
    grouped: dict[str, dict[str, dict]] = {"team": {}, "worker": {}}
    for kind, name, n in rows_for(_unmatched_rows, str(CaseStatus.OPEN), "team", "worker", ""):
        entry = grouped[kind].setdefault(squash(name), {"name": name, "cases": 0})
        entry["cases"] += n
    return {
        kind: sorted(entries.values(), key=lambda e: (-e["cases"], e["name"]))
        for kind, entries in grouped.items()
    }


# The counts of every case, kept per process with the data version they were read under
# (`sampling.frame_version`), by database: (token, rows).
_kept_counts: dict[str, tuple[str, list[tuple]]] = {}


def _open_case_counts() -> list[tuple]:
    """The cases counted by status, type and service area (the team's), in one pass
    over the cases (a few hundred groups at most, however many cases): grouped by team
    first, then each team's area joined, which is cheaper than grouping by the join.

    The same statement reads the frame's data version (`sampling.frame_version`: a token
    that every committed write to what is counted changes) and counts only when the token
    is not the one this process kept its counts under; so the counts are read again after
    every write, and only then. Outside a transaction only (in one, PostgreSQL's token does
    not show the transaction's own writes until it commits): inside, it counts every time."""
    case = connection.ops.quote_name(Case._meta.db_table)
    team = connection.ops.quote_name(Team._meta.db_table)
    area = connection.ops.quote_name(ServiceArea._meta.db_table)
    version = connection.ops.quote_name(DataVersion._meta.db_table)
    counts = (
        "SELECT status, case_type, team_id, count(*) AS n,"
        " count(*) FILTER (WHERE reopened_on IS NOT NULL) AS reopened,"
        f" count(*) FILTER (WHERE audit_open) AS audit_open FROM {case}"
    )
    changed = "v.token IS NULL OR v.token <> %s"
    if connection.vendor == "postgresql":
        # The LATERAL count runs only when the token differs (a one-time filter).
        grouped = f"LATERAL ({counts} WHERE {changed} GROUP BY 1, 2, 3) g ON true"
    else:  # SQLite has no LATERAL, and counts whatever the token.
        grouped = f"({counts} GROUP BY 1, 2, 3) g ON {changed}"
    sql = (
        "SELECT v.token, g.status, g.case_type, a.name, g.n, g.reopened, g.audit_open FROM"
        f" (SELECT (SELECT token FROM {version} WHERE name = %s) AS token) v"
        f" LEFT JOIN {grouped} LEFT JOIN {team} t ON t.id = g.team_id"
        f" LEFT JOIN {area} a ON a.id = t.service_area_id"
    )
    database = connection.settings_dict["NAME"]
    kept = None if connection.in_atomic_block else _kept_counts.get(database)
    with connection.cursor() as cursor:
        cursor.execute(sql, [FRAME, kept[0] if kept else ""])
        rows = cursor.fetchall()
    token = rows[0][0] if rows else None
    if kept is not None and token == kept[0]:
        return kept[1]
    counted = [row[1:] for row in rows if row[1] is not None]
    if token is not None and not connection.in_atomic_block:
        _kept_counts[database] = (token, counted)
    return counted


def frame_overview() -> dict:
    """What the frame page shows: the newest list of each kind, open cases by type and by
    service area, names to map, recent imports. Three queries."""
    by_type: dict[str, int] = {}
    by_area_name: dict[str | None, int] = {}
    totals = {"open": 0, "closed": 0, "reopened": 0, "audit_open": 0}
    for status, case_type, area, n, reopened, audit_open in _open_case_counts():
        if status == CaseStatus.CLOSED:
            totals["closed"] += n
        if status != CaseStatus.OPEN:
            continue
        totals["open"] += n
        totals["reopened"] += reopened
        totals["audit_open"] += audit_open
        by_type[case_type] = by_type.get(case_type, 0) + n
        by_area_name[area] = by_area_name.get(area, 0) + n
    # Ordered by name, cases with no team last, as the database ordered them.
    by_area = sorted(by_area_name.items(), key=lambda row: (row[0] is None, row[0] or ""))
    names = unmatched_names()
    latest, recent = _frame_snapshots()
    return {
        "lists": [(code, label, latest.get(code)) for code, label in AnnexList.choices],
        "by_type": [(label, by_type.get(code, 0)) for code, label in CaseType.choices],
        "by_area": [(name or "No team", n) for name, n in by_area],
        "totals": totals,
        "unmatched_teams": names["team"],
        "unmatched_workers": names["worker"],
        "recent": recent,
    }


def import_summary(snapshot: Snapshot) -> dict:
    """What an import's page shows: the upload's lists (a workbook's sheets are a snapshot
    each) with their refusals, notes and changes (one query beyond the snapshot's)."""
    parts = list(Snapshot.objects.filter(lead=snapshot).order_by("annex_list"))
    lists = [snapshot, *parts]
    row_errors = []
    for item in lists:
        where = f"{item.sheet_name or f'List {item.annex_list}'}: " if parts else ""
        row_errors += [where + str(RowError(*error)) for error in item.errors]
    return {"snapshot": snapshot, "parts": parts, "lists": lists, "row_errors": row_errors}


def cases_waiting_for_team() -> int:
    """Open cases whose list gave no team we know (blank, an error value, or a name not
    yet matched): they wait in Match the names and are left out of draws."""
    return Case.objects.filter(status=CaseStatus.OPEN, team__isnull=True).count()


def cases_without_team_name(limit: int = 20) -> dict:
    """Open cases whose list gave no team name at all (blank or an error value): how many,
    and the first few IDs (two queries)."""
    cases = Case.objects.filter(status=CaseStatus.OPEN, team__isnull=True, team_source="")
    return {
        "count": cases.count(),
        "ids": list(cases.order_by("external_id").values_list("external_id", flat=True)[:limit]),
    }


def may_draw_thematic(user: User) -> bool:
    """QA staff, and heads of service, choose thematic samples (Bury 4.2, Leeds 4.5)."""
    return user.has_perm("accounts.manage_sampling") or (
        user.is_active and user.role == Role.HEAD_OF_SERVICE
    )


def samples_for(*, user: User) -> QuerySet[Sample]:
    """QA staff see every sample; a head of service their own thematic samples."""
    samples = Sample.objects.select_related("created_by", "confirmed_by").order_by(
        "-period", "kind", "-created_at"
    )
    if user.has_perm("accounts.manage_sampling"):
        return samples
    return samples.filter(kind=SampleKind.THEMATIC, created_by=user)


def sample_cases(*, sample: Sample) -> QuerySet[SampleCase]:
    return (
        SampleCase.objects.filter(sample=sample)
        .select_related("case__team__service_area", "case__allocated_worker")
        .order_by("stratum", "case__external_id")
    )


def sampling_summary(*, today: dt.date) -> dict:
    """For the QA panel of the home page: the newest list and this month's sample."""
    latest = Snapshot.objects.filter(status=SnapshotStatus.IMPORTED).order_by("-as_of").first()
    return {
        "latest_snapshot": latest,
        "month_sample": monthly_sample(period=today),
        "month": today.replace(day=1),
    }
