"""Change history: every change to case, audit, grade, action, allocation, policy and person
records, bulk updates included, with who, when, before and after, on PostgreSQL and SQLite
(issue 14). The database's triggers write it, so no service has to remember to."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from accounts.history import acting_as, changes_of, triggers_install
from accounts.models import Change, Policy, User
from audits.models import Allocation, AllocationStatus, RunStatus
from audits.services import allocation_confirm, allocation_propose
from sampling.models import Case
from tests.audits.factories import case_in, confirmed_sample
from tests.audits.factories_form import started_audit

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
NOV = dt.date(2026, 11, 1)


@pytest.fixture
def proposed(org):
    from accounts.services import policy_load_preset

    policy_load_preset(preset="bury")
    User.objects.exclude(pk__in=[org.auditor.pk, org.team_manager.pk]).update(in_audit_pool=False)
    cases = [case_in(org.south_team), case_in(org.north_team, worker=org.social_worker)]
    confirmed_sample(period=NOV, cases=cases)
    return allocation_propose(period=NOV, today=dt.date(2026, 11, 2))


def test_the_bulk_update_that_confirms_an_allocation_leaves_a_history_row_for_each(org, proposed):
    """Allocation confirm moves every proposed allocation with one UPDATE: each still has
    its row, with the QA officer who confirmed it and the status before and after."""
    allocations = list(proposed.allocations.all())
    assert len(allocations) == 2
    with acting_as(org.qa_officer):
        run = allocation_confirm(run=proposed, by=org.qa_officer, today=dt.date(2026, 11, 2))
    assert run.status == RunStatus.CONFIRMED
    for allocation in allocations:
        change = Change.objects.get(
            model="audits.allocation", object_id=str(allocation.pk), operation="update"
        )
        assert change.actor_id == org.qa_officer.pk
        assert change.before["status"] == AllocationStatus.PROPOSED
        assert change.after["status"] == AllocationStatus.ALLOCATED
        assert change.before["deadline"] is None and change.after["deadline"]


def test_a_bulk_update_through_the_page_is_attributed_to_the_person_signed_in(
    org, proposed, client_for, django_capture_on_commit_callbacks
):
    """The page queues the confirmation for the worker (issue 18); the history still names
    the person who confirmed it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org.qa_officer).post(
            f"/audits/allocation/{NOV:%Y-%m}/", {"action": "confirm"}, follow=False
        )
    assert response.status_code in (200, 302)
    confirmed = Allocation.objects.filter(status=AllocationStatus.ALLOCATED)
    assert confirmed.count() == 2
    actors = set(
        Change.objects.filter(model="audits.allocation", operation="update").values_list(
            "actor_id", flat=True
        )
    )
    assert actors == {org.qa_officer.pk}


def test_a_grade_saved_by_a_conditional_update_is_recorded_with_before_and_after(org):
    """Sections save with `UPDATE … WHERE revision = n`, which model signals never see."""
    from audits.services import section_save

    audit = started_audit(org)
    key = audit.definition["sections"][0]["key"]
    levels = audit.definition["scales"][audit.definition["sections"][0]["scale"]]
    with acting_as(org.auditor):
        section_save(
            audit=audit,
            key=key,
            grade=levels[0]["value"],
            evidence="First.",
            revision=0,
            by=org.auditor,
        )
        section_save(
            audit=audit,
            key=key,
            grade=levels[1]["value"],
            evidence="First.",
            revision=1,
            by=org.auditor,
        )
    changed = Change.objects.filter(model="audits.sectionanswer", operation="update").last()
    assert changed.before == {"grade": levels[0]["value"], "revision": 1}
    assert changed.after == {"grade": levels[1]["value"], "revision": 2}
    assert changed.actor_id == org.auditor.pk
    history = changes_of(audit)
    assert any(
        line.before == levels[0]["value"] and line.after == levels[1]["value"]
        for entry in history
        for line in entry["lines"]
    )


def test_case_policy_and_person_changes_are_recorded_without_the_password(org):
    case = case_in(org.north_team)
    Case.objects.filter(pk=case.pk).update(team=org.south_team)
    change = Change.objects.get(model="sampling.case", object_id=str(case.pk))
    assert change.before == {"team_id": org.north_team.pk}
    assert change.after == {"team_id": org.south_team.pk}
    assert change.actor_id is None  # the system

    with acting_as(org.admin):
        Policy.objects.update_or_create(pk=1, defaults={"qa_check_percent": 35})
        org.social_worker.set_password("another-password-entirely")
        org.social_worker.full_name = "Sky Renamed"
        org.social_worker.save()
    person = Change.objects.filter(model="accounts.user", operation="update").last()
    assert person.after == {"full_name": "Sky Renamed"} and person.actor_id == org.admin.pk
    assert not Change.objects.filter(after__has_key="password").exists()
    assert Change.objects.filter(model="accounts.policy", actor_id=org.admin.pk).exists()


def test_a_save_that_changes_nothing_records_nothing(org):
    before = Change.objects.count()
    org.north_team.save()
    Case.objects.filter(pk=case_in(org.north_team).pk).update(team=org.north_team)
    assert Change.objects.count() == before


def test_installing_the_triggers_twice_is_safe(org):
    triggers_install()
    triggers_install()
    org.north_team.name = "North Family Support Team"
    org.north_team.save()
    renamed = Change.objects.filter(
        model="accounts.team", operation="update", after__has_key="name"
    )
    assert list(renamed.values_list("after", flat=True)) == [{"name": "North Family Support Team"}]


@pytest.mark.skipif(
    os.environ.get("CASEFILE_HISTORY_INNER") == "1", reason="already the inner SQLite run"
)
def test_the_same_history_tests_pass_on_sqlite():
    """The triggers are written for both databases; CI runs on PostgreSQL, so this runs the
    tests above again on SQLite in a child process (and on PostgreSQL when run there)."""
    if connection.vendor == "sqlite":
        pytest.skip("this run is on SQLite already")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["CASEFILE_HISTORY_INNER"] = "1"
    env["CELERY_BROKER_DIR"] = str(ROOT / "var" / "celery-history-test")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", __file__],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "passed" in result.stdout


def _audit_graded_by_its_auditor(org):
    """A started audit whose first section the auditor has graded; the audit and the grade."""
    from audits.services import section_save

    audit = started_audit(org)
    section = audit.definition["sections"][0]
    grade = audit.definition["scales"][section["scale"]][0]
    with acting_as(org.auditor):
        section_save(
            audit=audit,
            key=section["key"],
            grade=grade["value"],
            evidence="Seen.",
            revision=0,
            by=org.auditor,
        )
    return audit, grade


def test_the_audit_page_shows_its_history_of_changes(org, client_for):

    audit, grade = _audit_graded_by_its_auditor(org)
    client = client_for(org.auditor)
    assert (
        f'href="/audit/{audit.pk}/changes/"' in client.get(f"/audit/{audit.pk}/").content.decode()
    )
    page = client.get(f"/audit/{audit.pk}/changes/").content.decode()
    assert "Every change to this audit" in page
    assert "Ari Auditor" in page and f"Grade: – → {grade['value']}" in page


def test_only_a_write_that_may_fire_a_history_trigger_names_the_actor_first():
    """Issue 16: the access log's INSERT (on every page that opens a child's record) fires
    no trigger, so it goes without the round trip that names the actor; an insert into a
    tracked table, and any update or delete (which may cascade into one), still name it."""
    from django.apps import apps

    from accounts.access_log import _insert_sql
    from accounts.history import TRACKED, _needs_actor

    access_insert, _fields = _insert_sql("%s")
    assert not _needs_actor(access_insert)
    assert not _needs_actor('INSERT INTO "django_session" ("session_key") VALUES (%s)')
    for label in TRACKED:
        table = apps.get_model(label)._meta.db_table
        assert _needs_actor(f'INSERT INTO "{table}" ("id") VALUES (%s)'), table
        assert _needs_actor(f"insert into {table}(id) values (1)"), table
    assert _needs_actor('UPDATE "django_session" SET "expire_date" = %s')
    assert _needs_actor('DELETE FROM "accounts_accessrecord" WHERE "at" < %s')
    assert not _needs_actor('SELECT 1 FROM "audits_audit"')


def test_a_history_reads_with_sql_built_once_and_shows_what_django_reads(org):
    """`changes_of` finds the child rows by their inserts, and a record without child rows
    its own changes, with SQL built once a process (`accounts.compiled`; the audit's task
    list shows its history on every view: issue 16): the same changes, people and lines as
    the ORM reads, for a record with child rows and for one without."""
    from accounts import compiled, history

    audit, grade = _audit_graded_by_its_auditor(org)
    with acting_as(org.qa_officer):
        Policy.objects.filter(pk=1).update(authority_name="Anytown")
    policy = Policy.objects.get(pk=1)

    with_children = changes_of(audit)
    assert {c["what"] for c in with_children} >= {"section answer"}
    grades = [c for c in with_children if c["what"] == "section answer"]
    assert grades[-1]["who"].full_name == "Ari Auditor"
    assert grades[-1]["who"].pk == org.auditor.pk
    own = changes_of(policy)
    expected = list(
        Change.objects.filter(model="accounts.policy", object_id="1").select_related("actor")
    )
    assert [(c["at"], c["operation"], c["who"] and c["who"].pk) for c in own] == [
        (e.at, e.get_operation_display(), e.actor_id) for e in expected
    ]
    assert own[-1]["who"].full_name == org.qa_officer.full_name

    built = {
        key[0].__qualname__: value is not None
        for key, value in compiled._built.items()
        if key[0].__module__ == history.__name__
    }
    assert built == {
        "_history_builder.<locals>.history": True,
        "_own_changes_builder.<locals>.own_changes": True,
    }, "built once, not Django's fallback"


def test_a_history_with_child_rows_is_one_query_of_the_record_and_its_rows(
    org, django_assert_num_queries
):
    """Issue 16: the audit's history (its own changes, its grades' and its SMART actions')
    in one query, the same changes as the ORM reads by the child rows' ids; another
    audit's grades, and a row of another kind with the same id, left out."""
    from audits.models import SectionAnswer, SmartAction

    audit, _grade = _audit_graded_by_its_auditor(org)
    other, _ = _audit_graded_by_its_auditor(org)
    answer = SectionAnswer.objects.get(audit=audit)
    # A change of another kind of row whose id is the grade's: not this audit's.
    Change.objects.create(
        model="audits.smartaction",
        object_id=str(answer.pk),
        operation="update",
        before={"what": "x"},
        after={"what": "y"},
        at=other.created_at,
    )
    assert not SmartAction.objects.filter(audit=audit).exists()
    with django_assert_num_queries(1):
        history = changes_of(audit)
    everything = list(Change.objects.order_by("at", "id"))
    rows = {("audits.audit", str(audit.pk))} | {
        (c.model, c.object_id)
        for c in everything
        if c.operation == "insert"
        and c.model.startswith("audits.")
        and c.model != "audits.audit"
        and (c.after or {}).get("audit_id") == audit.pk
    }
    assert ("audits.sectionanswer", str(answer.pk)) in rows
    expected = [c for c in everything if (c.model, c.object_id) in rows]
    assert [(c["at"], c["what"], c["object_id"]) for c in history] == [
        (e.at, apps_label(e.model), e.object_id) for e in expected
    ]


def apps_label(model: str) -> str:
    from django.apps import apps

    return apps.get_model(model)._meta.verbose_name
