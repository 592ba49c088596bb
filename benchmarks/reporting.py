"""The dashboard and the monthly report at scale (issue 13), on PostgreSQL:

- a large council over ten years: 15,000 open cases, 300 audits a month (36,000 audits, each
  with its nine sections), about 100,000 remedial actions;
- national scale: 2.7 million audits over ten years (22,500 a month, 1,500 teams, 400,000
  cases), with the sections of the last 13 months and the actions of the last 24 (what the
  dashboard reads; the older rows only make the tables bigger).

The rows are written with PostgreSQL's generate_series (INSERT … SELECT), not through the
services, so ten years take minutes, not hours. It prints the dashboard's server time (the
whole request, through Django's test client, median of three after a warm-up) for a month,
a quarter and twelve months, its number of queries at each scale, and the time to build the
monthly report and its PDF.

Run: DATABASE_URL=postgres://… python -m benchmarks.reporting [--scale large|national|both]
[--reuse]. With --reuse the rows go into a kept database per scale
(`bench_<name>_large`, `bench_<name>_national`), written the first time and reused after
(migrations still run, so a new migration is applied to it); drop it with `dropdb`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from benchmarks._db import setup_django, throwaway_database

TODAY = dt.date(2026, 12, 10)
# Actions finish as they age, as a council's do: those raised over six months before TODAY are
# authorised or closed by a Management Decision (all but one in fifty, still moving), and
# every finished action has the day it was closed. Newer ones are spread over every state.
AGED_ACTIONS = f"""UPDATE remediation_remedialaction SET
        status = CASE WHEN id % 8 IN (5, 7) THEN 'closed_by_decision' ELSE 'authorised' END,
        fulfilled_on = CASE WHEN id % 8 IN (5, 7) THEN NULL
            ELSE COALESCE(fulfilled_on, due_on - (id % 20)::int + 5) END
    WHERE created_on < DATE '{TODAY}' - 183 AND id % 50 <> 0
        AND status NOT IN ('authorised', 'closed_by_decision');
    UPDATE remediation_remedialaction
    SET closed_on = LEAST(COALESCE(fulfilled_on, due_on) + 14, DATE '{TODAY}' - 1)
    WHERE status IN ('authorised', 'closed_by_decision') AND closed_on IS NULL"""
LAST = dt.date(2026, 11, 1)
MONTHS = 120
SECTIONS = (
    "risk_and_need",
    "assessments",
    "plans_and_reviews",
    "child_voice",
    "family_engagement",
    "partnership",
    "management_oversight",
    "records",
    "impact",
)
GRADES = "ARRAY['outstanding','good','good','good','good','good','requires_improvement','requires_improvement','requires_improvement','inadequate']"  # noqa: E501
CASE_TYPES = "ARRAY['cin','cp','cla','care_leaver','early_help']"


@dataclass(frozen=True)
class Scale:
    name: str
    areas: int
    teams_per_area: int
    cases: int
    per_month: int
    auditors: int
    section_months: int
    action_months: int

    @property
    def teams(self) -> int:
        return self.areas * self.teams_per_area

    @property
    def audits(self) -> int:
        return self.per_month * MONTHS


LARGE = Scale("large council", 5, 8, 15_000, 300, 160, MONTHS, MONTHS)
NATIONAL = Scale("national", 150, 10, 400_000, 22_500, 25_000, 13, 24)


def month_start(index: int) -> dt.date:
    """The first day of month `index` (1 = the first of the ten years)."""
    first = LAST.year * 12 + LAST.month - 1 - (MONTHS - index)
    return dt.date(first // 12, first % 12 + 1, 1)


def build(scale: Scale) -> dict[str, float]:
    """Write the rows; returns seconds taken by each table."""
    from django.db import connection

    from accounts.models import Role, User
    from accounts.services import persona_groups_ensure, policy_load_preset, user_sync_groups
    from audits.models import ThemeTag
    from audits.services import form_preset_load

    policy_load_preset(preset="bury")
    persona_groups_ensure()
    form = form_preset_load(key="bradford", make_current=True)
    themes = list(ThemeTag.objects.order_by("pk").values_list("pk", flat=True))
    senior = User.objects.create_user(
        "bench-senior@example.test", None, full_name="Senior", role=Role.ASSISTANT_DIRECTOR
    )
    user_sync_groups(user=senior)
    qa = User.objects.create_user(
        "bench-qa@example.test", None, full_name="QA officer", role=Role.QA_OFFICER
    )
    user_sync_groups(user=qa)
    timings: dict[str, float] = {}
    t, c, a, p = scale.teams, scale.cases, scale.per_month, scale.auditors
    user_base = 1000
    frame = c // t
    strata = json.dumps(
        [
            {"stratum": f"T{i}", "frame": frame, "eligible": frame, "size": a // t}
            for i in range(1, t + 1)
        ]
    )
    first_section = MONTHS - scale.section_months + 1
    first_action = MONTHS - scale.action_months + 1
    last_g = MONTHS * a
    # g: an audit's number, 1..MONTHS × per_month; m = its month (1..MONTHS); the case is
    # spread over every case by a step prime to the number of cases.
    g_month = f"(((g - 1) / {a}) + 1)"
    period = f"(DATE '{month_start(1)}' + ({g_month} - 1) * INTERVAL '1 month')::date"
    deadline = f"({period} + INTERVAL '1 month' - INTERVAL '1 day')::date"
    case = f"(1 + ((g * 7) % {c}))"
    overdue = f"({g_month} = {MONTHS} AND g % 11 = 0)"
    late = "(g % 17 = 0)"
    done = f"(CASE WHEN {late} THEN {deadline} + 3 ELSE {period} + 20 END)"
    grade = f"({GRADES})[1 + ((g + ({case} % {t})) % 10)]"
    steps = [
        (
            "teams",
            f"""INSERT INTO accounts_servicearea (id, name) SELECT i, 'Area ' || i
                FROM generate_series(1, {scale.areas}) i;
            INSERT INTO accounts_team (id, name, service_area_id)
                SELECT i, 'Team ' || i, 1 + (i - 1) / {scale.teams_per_area}
                FROM generate_series(1, {t}) i""",
        ),
        (
            "auditors",
            f"""INSERT INTO accounts_user (id, password, is_superuser, email, full_name, role,
                in_audit_pool, is_active, is_staff, date_joined, team_id)
            SELECT {user_base} + i, '!', false, 'auditor' || i || '@example.test',
                'Auditor ' || i, 'team_manager', true, true, false, now(), 1 + i % {t}
            FROM generate_series(1, {p}) i""",
        ),
        (
            "cases",
            f"""INSERT INTO sampling_case (id, external_id, case_type, legal_status, age_band,
                gender, ethnicity, status, source_list, team_source, worker_source, audit_open,
                updated_at, team_id)
            SELECT i, 'C' || i, ({CASE_TYPES})[1 + i % 5], '', 'unknown', 'u', '', 'open', '',
                '', '', false, now(), 1 + i % {t}
            FROM generate_series(1, {c}) i""",
        ),
        (
            "samples",
            f"""INSERT INTO sampling_sample (id, kind, period, name, status, seed, strata,
                filters, size, method, min_per_stratum, lookback_months, requested_size,
                pool_size, frame_snapshots, frame_size, exclusions, strata_table, notes,
                history, created_at)
            SELECT m, 'monthly', (DATE '{month_start(1)}' + (m - 1) * INTERVAL '1 month')::date,
                '', 'confirmed', m, '["team"]', '{{}}', {a}, 'stratified', 1, 12, {a}, {p},
                '[]', {c}, '{{}}', %s::jsonb, '[]', '[]', now()
            FROM generate_series(1, {MONTHS}) m;
            INSERT INTO audits_allocationrun (id, period, kind, sample_id, seed, status,
                unallocated, notes, proposed_at)
            SELECT m, (DATE '{month_start(1)}' + (m - 1) * INTERVAL '1 month')::date, 'monthly',
                m, m, 'confirmed', '[]', '', now()
            FROM generate_series(1, {MONTHS}) m""",
        ),
        (
            "sample cases",
            f"""INSERT INTO sampling_samplecase (id, sample_id, case_id, stratum, weight)
            SELECT g, {g_month}, {case}, 'T' || (1 + {case} % {t}), 1.0
            FROM generate_series(1, {last_g}) g""",
        ),
        (
            "allocations",
            f"""INSERT INTO audits_allocation (id, run_id, sample_id, case_id, auditor_id,
                period, status, eligibility_reason, created_at, allocated_on, deadline,
                started_at, completed_at)
            SELECT g, {g_month}, {g_month}, {case}, {user_base} + 1 + g % {p}, {period},
                'allocated', 'benchmark', now(), {period}, {deadline},
                CASE WHEN {overdue} THEN NULL ELSE {period} + TIME '10:00' END,
                CASE WHEN {overdue} THEN NULL ELSE {done} + TIME '16:00' END
            FROM generate_series(1, {last_g}) g""",
        ),
        (
            "audits",
            f"""INSERT INTO audits_audit (id, allocation_id, form_version_id, status,
                period_to, overall_grade, overall_reason, outcomes_met, good_elements,
                strengths, learning, revision, supervision_note, worker_input_missing_reason,
                created_at, submitted_at, finished_at, started_at)
            SELECT g, g, {form.pk}, CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'with_team_manager'
                END, {period}, {grade}, '', '', '',
                CASE WHEN g % 4 = 0 THEN 'Clear chronology.' ELSE '' END,
                CASE WHEN g % 3 = 0 THEN 'Plans need dates.' ELSE '' END, 0, '', '', now(),
                {done} + TIME '12:00', {done} + TIME '16:00', {period} + TIME '10:00'
            FROM generate_series(1, {last_g}) g WHERE NOT {overdue}""",
        ),
        (
            "sections",
            f"""INSERT INTO audits_sectionanswer (id, audit_id, key, grade, evidence, status,
                revision, updated_at)
            SELECT (g - 1) * 9 + k, g, (ARRAY{list(SECTIONS)})[k],
                ({GRADES})[1 + ((g + k) % 10)], '', 'completed', 1, now()
            FROM generate_series({(first_section - 1) * a + 1}, {last_g}) g,
                generate_series(1, 9) k
            WHERE NOT {overdue}""",
        ),
        (
            "themes",
            f"""INSERT INTO audits_audit_themes (audit_id, themetag_id)
            SELECT g, (ARRAY{themes})[1 + g % {len(themes)}]
            FROM generate_series(1, {last_g}) g WHERE NOT {overdue}
            UNION ALL
            SELECT g, (ARRAY{themes})[1 + (g + 3) % {len(themes)}]
            FROM generate_series(1, {last_g}) g WHERE g % 3 = 0 AND NOT {overdue}""",
        ),
        (
            "qa checks",
            f"""INSERT INTO audits_qacheck (audit_id, by_id, at, outcome, reason, qa_grades,
                auditor_grades)
            SELECT g, {qa.pk}, {done} + TIME '11:00',
                CASE WHEN g % 25 = 0 THEN 'returned' ELSE 'accepted' END, '',
                jsonb_build_object('overall', ({GRADES})[1 + ((g + 1) % 10)]),
                jsonb_build_object('overall', {grade})
            FROM generate_series(1, {last_g}) g WHERE g % 5 = 0 AND NOT {overdue}""",
        ),
        (
            "concerns and pathways",
            f"""INSERT INTO audits_safeguardingconcern (audit_id, raised_by_id, raised_at,
                concern, action_taken)
            SELECT g, {user_base} + 1 + g % {p}, {period} + 5 + TIME '09:00', 'benchmark', ''
            FROM generate_series(1, {last_g}) g WHERE g % 97 = 0 AND NOT {overdue};
            INSERT INTO audits_inadequatepathway (case_id, audit_id, cycle, status, graded_on,
                review_due, reaudit_due, reaudit_problem, head_of_service_involved, resolved_on,
                meeting_note, review_note)
            SELECT {case}, g, 1,
                CASE WHEN {g_month} > {MONTHS - 3} THEN 'open' ELSE 'resolved' END, {done},
                {done} + 28, ({done} + INTERVAL '2 months')::date, '', false,
                CASE WHEN {g_month} > {MONTHS - 3} THEN NULL ELSE {done} + 70 END, '', ''
            FROM generate_series(1, {last_g}) g
            WHERE {grade} = 'inadequate' AND NOT {overdue}""",
        ),
        (
            "actions",
            f"""INSERT INTO audits_smartaction (id, audit_id, what, who, due_on, created_at,
                created_by_id)
            SELECT (g - 1) * 3 + k, g, 'Update the chronology', 'Team manager',
                {done} + 35, now(), {user_base} + 1 + g % {p}
            FROM generate_series({(first_action - 1) * a + 1}, {last_g}) g,
                generate_series(1, 3) k
            WHERE k <= 2 + (CASE WHEN g % 9 < 7 THEN 1 ELSE 0 END) AND NOT {overdue};
            INSERT INTO remediation_remedialaction (id, smart_action_id, audit_id, case_id,
                team_id, carried_by_team_manager, awaits_supervision, absence_note, what, who,
                created_on, received_on, due_on, status, fulfilled_note, created_at, fulfilled_on)
            SELECT s.id, s.id, s.audit_id, al.case_id, 1 + al.case_id % {t}, false, false, '',
                s.what, s.who, s.due_on - 35, s.due_on - 35, s.due_on,
                (ARRAY['open','fulfilled','completed','authorised','authorised',
                    'closed_by_decision','authorised','decision_pending'])[1 + s.id % 8],
                '', now(),
                CASE WHEN s.id % 8 IN (1, 2, 3, 4, 6) THEN s.due_on - (s.id % 20)::int + 5 END
            FROM audits_smartaction s JOIN audits_allocation al ON al.id = s.audit_id""",
        ),
        ("actions finished as they age", AGED_ACTIONS),
    ]
    with connection.cursor() as cursor:
        for name, sql in steps:
            started = time.perf_counter()
            for statement in sql.split(";\n"):
                params = [strata] if "%s" in statement else None
                cursor.execute(statement, params)
            timings[name] = time.perf_counter() - started
        started = time.perf_counter()
        for table in (
            "accounts_servicearea",
            "accounts_team",
            "accounts_user",
            "sampling_case",
            "sampling_sample",
            "sampling_samplecase",
            "audits_allocationrun",
            "audits_allocation",
            "audits_audit",
            "audits_sectionanswer",
            "audits_smartaction",
            "remediation_remedialaction",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - started
    return timings


def _time_page(client, label: str, query: str) -> None:
    """The dashboard's server time for one URL: the median of three after a warm-up."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = f"{reverse('reporting:dashboard')}?{query}"
    warm = client.get(url)
    assert warm.status_code == 200, (warm.status_code, warm.headers)
    times, cpu = [], []
    for _ in range(3):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        assert response.status_code == 200
    sql = sum(float(q["time"]) for q in queries.captured_queries)
    # The sections are built side by side by threads on their own connections, which the
    # request's connection does not see: count every query once more with one thread.
    from django.conf import settings

    threads, settings.DASHBOARD_THREADS = settings.DASHBOARD_THREADS, 1
    try:
        with CaptureQueriesContext(connection) as every:
            client.get(url)
    finally:
        settings.DASHBOARD_THREADS = threads
    print(
        f"  dashboard, {label:<18} {1000 * statistics.median(times):6.0f} ms "
        f"(median of 3; Python {1000 * statistics.median(cpu):.0f} ms of CPU in all threads, "
        f"SQL {1000 * sql:.0f} ms on the request's connection), {len(every)} queries",
        flush=True,
    )


def measure(scale: Scale, *, write: bool = True) -> None:
    """Write the rows (unless they are there already) and print the figures."""
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from audits.models import Audit
    from remediation.models import RemedialAction

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print(cursor.fetchone()[0].split(",")[0], flush=True)
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        timings = build(scale) if write else {}
    if (
        not write
        and RemedialAction.objects.filter(
            status__in=["authorised", "closed_by_decision"], closed_on__isnull=True
        ).exists()
    ):
        # Rows kept from a run before the actions aged (AGED_ACTIONS): age them now.
        with connection.cursor() as cursor:
            for statement in AGED_ACTIONS.split(";\n"):
                cursor.execute(statement)
            cursor.execute("VACUUM ANALYZE remediation_remedialaction")
        print("  kept rows: the actions aged (AGED_ACTIONS)", flush=True)
    built = time.perf_counter() - started
    audits = Audit.objects.count()
    actions = RemedialAction.objects.count()
    print(
        f"\n{scale.name}: {audits:,} audits, {actions:,} actions, {scale.cases:,} cases, "
        f"{scale.teams} teams; rows written in {built:.0f} s "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})",
        flush=True,
    )
    import time_machine

    from reporting.dashboard.summary import drop_month, sweep_month_summaries
    from reporting.models import SummaryMonth

    client = Client()
    with time_machine.travel(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC), tick=True):
        client.force_login(User.objects.get(email="bench-senior@example.test"))
        for month in SummaryMonth.objects.values_list("month", flat=True):
            drop_month(month)
        pages = (
            ("a month", "month=2026-11"),
            ("a quarter", "period=quarter&month=2026-11"),
            ("twelve months", "period=year&month=2026-11"),
            ("a month, one area", "month=2026-11&area=2"),
        )
        print("  every month counted live (no summary):", flush=True)
        for label, query in pages[:1]:
            _time_page(client, label, query)
        t0 = time.perf_counter()
        months = sweep_month_summaries(today=TODAY)
        print(
            f"  month-summaries sweep: {len(months)} closed months in "
            f"{time.perf_counter() - t0:.1f} s; with the summary:",
            flush=True,
        )
        for label, query in pages:
            _time_page(client, label, query)
        from django.conf import settings

        settings.DASHBOARD_CACHE_SECONDS = 60
        _time_page(client, "a month, kept", "month=2026-11")
        settings.DASHBOARD_CACHE_SECONDS = 0
        from reporting.dashboard.build import build_sections
        from reporting.dashboard.filters import month_filters
        from reporting.reports import render
        from reporting.reports.services import WHOLE

        t0 = time.perf_counter()
        sections = build_sections(
            scope=WHOLE, filters=month_filters(month=LAST, scope=WHOLE), today=TODAY
        )
        figures = time.perf_counter() - t0
        context = render.monthly_context(
            month=LAST, version=1, as_of=TODAY, sections=sections, commentary=""
        )
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = render.pdf_bytes("pdf/monthly_report.html", context)
        pdf_time = time.perf_counter() - t0
        pdf_cpu = time.process_time() - c0
        t0 = time.perf_counter()
        html, _, xlsx = render.monthly_files(context)
        files = time.perf_counter() - t0
        print(
            f"  monthly report: figures {figures:.2f} s, PDF {pdf_time:.2f} s "
            f"({pdf_cpu:.2f} s of CPU) "
            f"({len(pdf) // 1024} KB), HTML + PDF + XLSX {files:.2f} s",
            flush=True,
        )


@contextmanager
def kept_database(scale: Scale) -> Iterator[bool]:
    """A database for this scale that outlives the run; yields whether rows must be written."""
    from django.conf import settings
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    key = "large" if scale is LARGE else "national"
    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = f"bench_{os.path.basename(str(name))}_{key}"
    from django.contrib.contenttypes.models import ContentType

    old = connection.settings_dict["NAME"]
    ContentType.objects.clear_cache()  # ids read from the other scale's database
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    from audits.models import Audit

    try:
        yield not Audit.objects.exists()
    finally:
        connection.close()
        settings.DATABASES["default"]["NAME"] = old
        connection.settings_dict["NAME"] = old
        ContentType.objects.clear_cache()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["large", "national", "both"], default="both")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the rows in a database per scale, reuse them"
    )
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    # Each request works the figures out (the kept-figures cache is timed on its own below).
    settings.DASHBOARD_CACHE_SECONDS = 0
    scales = {"large": [LARGE], "national": [NATIONAL], "both": [LARGE, NATIONAL]}[args.scale]
    for scale in scales:
        if args.reuse:
            with kept_database(scale) as empty:
                measure(scale, write=empty)
        else:
            with throwaway_database():
                measure(scale)


if __name__ == "__main__":
    main()
