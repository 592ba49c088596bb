"""How the home page's reads reach their rows (issue 16): the lists of audits join no more
than the allocation (the case and the auditor are subqueries by key, which PostgreSQL plans
in less time), and on PostgreSQL the indexes made for them are the ones the plans use. The
rows themselves are compared with the selectors' in tests/reporting/test_home_reads.py."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from accounts import compiled
from audits import lifecycle
from audits.models import AllocationStatus
from reporting import selectors
from tests.reporting.test_home_reads import _a_shared_draft_and_a_finished_audit

pytestmark = pytest.mark.django_db


def _sql(builder, *args) -> str:
    queryset = builder(*args)
    return str(queryset.query.get_compiler(connection=connection).as_sql()[0])


def test_the_audit_lists_join_the_allocation_alone(org):
    person = org.team_manager.pk
    teams = tuple(org.team_manager.managed_teams.values_list("pk", flat=True))
    reads = [
        _sql(selectors._audits_with_me, person, lifecycle.WITH_TEAM_MANAGER),
        _sql(selectors._audits_with_teams, lifecycle.WITH_TEAM_MANAGER, *teams),
        _sql(selectors._audits_for_comment, person, lifecycle.SHARED),
        _sql(selectors._audits_for_comment, person, lifecycle.SHARED, *teams),
    ]
    # The two lists read together only where a union's parts may each have a limit
    # (PostgreSQL: `selectors.read_together`); SQLite reads each on its own.
    if connection.features.supports_slicing_ordering_in_compound:
        reads.append(_sql(selectors._both_windows((0, 11), (0, 11)), person, "a", "b", *teams))
    for sql in reads:
        joins = sql.count(" JOIN ")
        assert joins == sql.count('INNER JOIN "audits_allocation"'), sql
        assert 'JOIN "sampling_case"' not in sql
        assert 'JOIN "accounts_user"' not in sql


def _plan(builder, *args) -> str:
    """The plan PostgreSQL makes for the home read, with sequential scans priced out (the
    test's tables are a few rows: any index beats them in the benchmark's data)."""
    compiled.rows_for(builder, *args)
    kinds = tuple(type(a) for a in args)
    built = compiled._built[(builder, connection.vendor, kinds)]
    assert built is not None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + built.sql, compiled._params(built, args))
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_home_reads_use_the_indexes_made_for_them(org):
    _a_shared_draft_and_a_finished_audit(org)
    teams = tuple(org.team_manager.managed_teams.values_list("pk", flat=True))
    waiting = _plan(
        selectors._window(selectors._audits_with_teams, 0, 11), lifecycle.WITH_TEAM_MANAGER, *teams
    )
    # Their teams' audits read in order from the index of the case team the database keeps
    # on each audit (`audits.case_copies`), not every team's walked and each one's case
    # looked up.
    assert "using audit_team_waiting" in waiting, waiting
    assert "(SubPlan" not in waiting, waiting  # no case looked up to filter by
    assert "Sort" not in waiting.split("SubPlan")[0], waiting
    mine = _plan(
        selectors._window(selectors._my_audits, 0, 11),
        org.auditor.pk,
        str(AllocationStatus.ALLOCATED),
    )
    assert "allocation_auditor_open" in mine, mine
