"""The queries built once a process are prepared on PostgreSQL (issue 16): planned once a
connection, then only run, with their text (statuses) written into the SQL so the database
plans for the status asked; a builder whose text comes from a request keeps it a parameter.
The rows are Django's own either way."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import override_settings

from accounts import compiled
from accounts.models import Notice
from accounts.selectors import header_facts
from reporting.case_reads import case_for_page
from sampling.models import Case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statements"),
]


def _statements(containing: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{containing}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def _notices_with_subject(person_id: int, subject: str):
    return (
        Notice.objects.filter(recipient_id=person_id, subject=subject)
        .order_by("pk")
        .values_list("pk", "subject")
    )


def test_a_built_query_is_prepared_once_with_its_text_written_in(org):
    subject = "Prepared 'quoted' 100% notice"
    mine = Notice.objects.create(recipient=org.auditor, subject=subject, key="p-1")
    Notice.objects.create(recipient=org.team_manager, subject=subject, key="p-2")
    Notice.objects.create(recipient=org.auditor, subject="Another", key="p-3")
    for _ in range(3):
        rows = compiled.rows_for(_notices_with_subject, org.auditor.pk, subject)
        assert rows == [(mine.pk, subject)] == list(_notices_with_subject(org.auditor.pk, subject))
    (statement,) = _statements("Prepared ''quoted'' 100% notice")
    assert '"recipient_id" = $1' in statement  # the person is a parameter, the text is not
    # Another person: the same statement; another text: a statement of its own.
    assert compiled.rows_for(_notices_with_subject, org.team_manager.pk, subject) != rows
    assert len(_statements("Prepared ''quoted'' 100% notice")) == 1
    assert compiled.rows_for(_notices_with_subject, org.auditor.pk, "Another") != []
    assert len(_statements('_notice"."subject" = \'Another\'')) == 1


def test_text_from_a_request_stays_a_parameter_one_statement_for_every_value(org):
    """A case's ID comes from the address: one statement, whatever the ID."""
    Case.objects.create(external_id="PREP-1", team=org.north_team, case_type="CIN")
    Case.objects.create(external_id="PREP-2", team=org.north_team, case_type="CIN")
    assert case_for_page("PREP-1").external_id == "PREP-1"
    assert case_for_page("PREP-2").external_id == "PREP-2"
    assert case_for_page("PREP-'3") is None
    (statement,) = _statements('"sampling_case"."external_id" = $1')
    assert "PREP" not in statement


def test_every_pages_header_query_is_prepared(org):
    assert header_facts(user=org.auditor)[1] == 0
    Notice.objects.create(recipient=org.auditor, subject="Unread", key="h-1")
    assert header_facts(user=org.auditor)[1] == 1
    assert len(_statements('"read_at" IS NULL')) == 1


@override_settings(PREPARED_READS=False)
def test_with_prepared_reads_off_nothing_is_prepared(org):
    """Behind a pooler that cannot keep prepared statements (DATABASE_PREPARED_READS=0)."""
    Notice.objects.create(recipient=org.auditor, subject="Not prepared", key="o-1")
    assert compiled.rows_for(_notices_with_subject, org.auditor.pk, "Not prepared") != []
    assert _statements("Not prepared") == []


def _oldest_moving(first: str, second: str):
    from remediation.models import RemedialAction

    return (
        RemedialAction.objects.filter(status__in=[first, second])
        .order_by("created_on")
        .values_list("pk")[:5]
    )


def test_even_the_plan_made_once_for_every_run_is_for_the_statuses_asked(org):
    """The plan PostgreSQL makes once and keeps for every later run of a prepared statement
    (a generic plan) holds the statuses themselves, not a parameter: it may use an index of
    some statuses (`action_moving_created`, of every status but the finished ones), which a
    plan for any status could not."""
    from remediation.models import ActionStatus

    args = (str(ActionStatus.OPEN), str(ActionStatus.FULFILLED))
    compiled.rows_for(_oldest_moving, *args)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%"remediation_remedialaction"."created_on" ASC LIMIT 5%'],
        )
        ((name, statement),) = cursor.fetchall()
    assert "'open'" in statement and "$1" not in statement
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f'EXPLAIN EXECUTE "{name}"')
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "'{open,fulfilled}'" in plan and "$" not in plan, plan


def test_a_prepared_statement_is_planned_once_for_any_person(org):
    """PostgreSQL plans a prepared statement once, for any values (a generic plan), not
    again at each run for the person given (a custom plan), which it may choose when it
    guesses the generic plan dearer: the connection asks for the generic plan
    (`plan_cache_mode`, set in the settings with prepared reads)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
    Notice.objects.create(recipient=org.auditor, subject="Planned once", key="g-1")
    people = [org.auditor.pk, org.team_manager.pk] * 4
    for person in people:
        compiled.rows_for(_notices_with_subject, person, "Planned once")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%'Planned once'%"],
        )
        assert cursor.fetchall() == [(len(people), 0)]
