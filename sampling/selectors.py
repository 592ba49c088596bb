"""Reads of the sampling app for pages, commands and other apps. Each runs a fixed
number of queries whatever the size of the frame."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Subquery

from accounts.errors import RowError
from accounts.models import Role, Team, User

from .annex_a import squash
from .models import (
    AnnexList,
    Case,
    CaseStatus,
    CaseType,
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


def latest_snapshots() -> list[Snapshot]:
    """The newest imported snapshot of each list (one query: a look-up in the
    `snapshot_latest_idx` index for each of the five lists, where a subquery for each
    snapshot took 22 ms at ten years of weekly imports), with the columns the frame shows."""
    newest = Q()
    for code in AnnexList.values:
        newest |= Q(
            pk=Subquery(
                Snapshot.objects.filter(annex_list=code, status=SnapshotStatus.IMPORTED)
                .order_by("-as_of")
                .values("pk")[:1]
            )
        )
    return list(
        Snapshot.objects.filter(newest)
        .only("annex_list", "as_of", "open_count")
        .order_by("annex_list")
    )


def unmatched_names() -> dict[str, list[dict]]:
    """Team and worker names on open cases that match nobody here, with their case counts,
    for QA staff to map (two queries)."""
    result: dict[str, list[dict]] = {}
    for kind, field, target in (
        ("team", "team_source", "team"),
        ("worker", "worker_source", "allocated_worker"),
    ):
        grouped: dict[str, dict] = {}
        rows = (
            Case.objects.filter(status=CaseStatus.OPEN, **{f"{target}__isnull": True})
            .exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("id"))
            .order_by(field)
        )
        for row in rows:
            key = squash(row[field])
            entry = grouped.setdefault(key, {"name": row[field], "cases": 0})
            entry["cases"] += row["n"]
        result[kind] = sorted(grouped.values(), key=lambda e: (-e["cases"], e["name"]))
    return result


def frame_overview() -> dict:
    """What the frame page shows: the newest list of each kind, open cases by type and by
    service area, names to map, recent imports. A fixed number of queries."""
    # One pass over the cases, counted by status, type and team (a few hundred rows at
    # most, however many cases), rather than a scan for each table of the page.
    by_type: dict[str, int] = {}
    by_area_name: dict[str | None, int] = {}
    totals = {"open": 0, "closed": 0, "reopened": 0, "audit_open": 0}
    area_of_team = dict(Team.objects.values_list("id", "service_area__name"))
    groups = (
        Case.objects.order_by()
        .values_list("status", "case_type", "team_id")
        .annotate(
            n=Count("id"),
            reopened=Count("id", filter=Q(reopened_on__isnull=False)),
            audit_open=Count("id", filter=Q(audit_open=True)),
        )
    )
    for status, case_type, team_id, n, reopened, audit_open in groups:
        if status == CaseStatus.CLOSED:
            totals["closed"] += n
        if status != CaseStatus.OPEN:
            continue
        totals["open"] += n
        totals["reopened"] += reopened
        totals["audit_open"] += audit_open
        by_type[case_type] = by_type.get(case_type, 0) + n
        area = area_of_team.get(team_id)
        by_area_name[area] = by_area_name.get(area, 0) + n
    # Ordered by name, cases with no team last, as the database ordered them.
    by_area = sorted(by_area_name.items(), key=lambda row: (row[0] is None, row[0] or ""))
    names = unmatched_names()
    latest = {s.annex_list: s for s in latest_snapshots()}
    return {
        "lists": [(code, label, latest.get(code)) for code, label in AnnexList.choices],
        "by_type": [(label, by_type.get(code, 0)) for code, label in CaseType.choices],
        "by_area": [(name or "No team", n) for name, n in by_area],
        "totals": totals,
        "unmatched_teams": names["team"],
        "unmatched_workers": names["worker"],
        "recent": list(
            Snapshot.objects.only("file_name", "annex_list", "as_of", "status").order_by(
                "-created_at"
            )[:15]
        ),
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
