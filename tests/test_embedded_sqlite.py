"""The embedded default: web, worker and beat share one SQLite file, so its settings must
make concurrent writers wait for each other instead of failing (issue 11)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="checks the embedded SQLite default's settings"
    ),
]


def _pragma(name: str):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_the_sqlite_file_is_in_wal_mode_so_readers_go_on_while_one_process_writes():
    assert _pragma("journal_mode") == "wal"


def test_a_writer_waits_for_the_lock_instead_of_failing_at_once():
    assert _pragma("busy_timeout") == 20_000


def test_transactions_take_the_write_lock_when_they_begin():
    """A DEFERRED transaction that reads and then writes fails with "database is locked"
    when another process wrote in between; IMMEDIATE queues it at BEGIN instead."""
    assert connection.transaction_mode == "IMMEDIATE"


def test_the_tests_use_a_file_not_shared_memory():
    """Shared-cache memory databases lock whole tables and cannot be opened by the web and
    worker processes a test starts."""
    assert not connection.is_in_memory_db()
    assert connection.settings_dict["NAME"].endswith(".sqlite3")
