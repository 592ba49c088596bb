"""The history triggers are told who is acting before each write they see, and only then
(issue 16): the access record that every case, audit and action page writes has no
trigger, so its INSERT goes without the actor's setting (a round trip to PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import history
from accounts.history import TRACKED, _needs_actor, acting_as
from accounts.security_models import AccessKind, AccessRecord


class _Connection:
    """Stands in for Django's connection: notes each setting sent."""

    def __init__(self):
        self.sent: list = []
        self._casefile_actor_sent = True
        self.connection = self

    def cursor(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, params):
        self.sent.append(params)


def _write(sql: str) -> list:
    fake = _Connection()
    with acting_as(7):
        history._pass_actor(lambda *a: None, sql, [], False, {"connection": fake})
    return fake.sent


def test_the_access_records_insert_goes_without_the_actor():
    assert _write('INSERT INTO "accounts_accessrecord" ("user_id") VALUES (%s)') == []


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "audits_audit" ("status") VALUES (%s)',
        'UPDATE "sampling_case" SET "status" = %s',
        "INSERT INTO sampling_case (external_id) VALUES (%s)",
        'DELETE FROM "accounts_accessrecord" WHERE "at" < %s',
    ],
)
def test_every_other_write_is_told_the_actor(sql):
    assert _write(sql) == [["7"]]


@pytest.mark.django_db
def test_the_untracked_write_is_the_access_records_insert_as_django_writes_it(org):
    assert "accounts.accessrecord" not in TRACKED
    assert AccessRecord._meta.db_table == "accounts_accessrecord"
    with CaptureQueriesContext(connection) as ctx:
        AccessRecord.objects.create(
            user=org.qa_officer, at=timezone.now(), kind=AccessKind.CASE, path="/cases/x/"
        )
    (insert,) = [q["sql"] for q in ctx if q["sql"].startswith("INSERT")]
    assert not _needs_actor(insert)
