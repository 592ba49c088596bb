"""The copies of a case's columns that the database keeps (`audits.case_copies`, issue 16):
the case's team on each audit (`Audit.case_team`: a team manager finds their teams' audits
on their home page by it) and its ID on each allocation (`Allocation.case_external_id`:
QA staff's review table is read in its order). Whatever writes, each must be the case's
now, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import Change
from audits import case_copies, lifecycle
from audits.models import Allocation, Audit
from reporting import selectors
from sampling.models import Case
from tests.audits.factories_form import started_audit

pytestmark = pytest.mark.django_db


def _team_of(audit: Audit) -> int | None:
    return Audit.objects.values_list("case_team", flat=True).get(pk=audit.pk)


def _reference_of(allocation_id: int) -> str:
    return Allocation.objects.values_list("case_external_id", flat=True).get(pk=allocation_id)


def _waiting_for(person) -> list[int]:
    """The audit ids on the person's home page list of audits waiting for them."""
    rows = selectors._audits_with_me(person.pk, lifecycle.WITH_TEAM_MANAGER)
    return [row[0] for row in rows]


def test_a_new_audit_has_its_case_team(org):
    audit = started_audit(org)
    assert _team_of(audit) == org.north_team.pk


def test_an_audit_follows_its_case_to_another_team_however_the_case_is_written(org):
    audit = started_audit(org)
    Audit.objects.filter(pk=audit.pk).update(status=lifecycle.WITH_TEAM_MANAGER)
    assert _waiting_for(org.team_manager) == [audit.pk]
    case = Case.objects.get(pk=audit.allocation.case_id)
    case.team = org.south_team
    case.save()  # the model's save
    assert _team_of(audit) == org.south_team.pk
    assert _waiting_for(org.team_manager) == []
    assert _waiting_for(org.south_team.manager) == [audit.pk]
    Case.objects.filter(pk=case.pk).update(team=org.north_team)  # a bulk write, as imports do
    assert _team_of(audit) == org.north_team.pk
    Case.objects.filter(pk=case.pk).update(team=None)  # a case no team holds
    assert _team_of(audit) is None
    assert _waiting_for(org.team_manager) == []


def test_a_stale_team_written_by_the_code_does_not_stick(org):
    """A model's full save writes every column, the case team as the object last read it:
    the database puts its own value back, and so for a direct write of the column."""
    audit = started_audit(org)
    stale = Audit.objects.get(pk=audit.pk)
    Case.objects.filter(pk=audit.allocation.case_id).update(team=org.south_team)
    assert stale.case_team_id == org.north_team.pk
    stale.save()
    assert _team_of(audit) == org.south_team.pk
    Audit.objects.filter(pk=audit.pk).update(case_team=org.north_team)
    assert _team_of(audit) == org.south_team.pk


def test_an_audit_follows_its_allocation_to_another_case(org):
    audit = started_audit(org)
    other = Case.objects.create(external_id="CT-OTHER", case_type="CIN", team=org.south_team)
    Allocation.objects.filter(pk=audit.allocation_id).update(case=other)
    assert _team_of(audit) == org.south_team.pk


def test_the_copied_team_is_left_out_of_the_audits_history(org):
    """The case's history tells of its move; the audit's does not repeat it."""
    audit = started_audit(org)
    before = Change.objects.filter(model="audits.audit", object_id=str(audit.pk)).count()
    Case.objects.filter(pk=audit.allocation.case_id).update(team=org.south_team)
    assert Change.objects.filter(model="audits.audit", object_id=str(audit.pk)).count() == before
    moves = Change.objects.filter(model="sampling.case", object_id=str(audit.allocation.case_id))
    assert {"team_id": org.south_team.pk} in [change.after for change in moves]


def _drop_the_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {case_copies.NAME}_of_audit ON audits_audit")
            cursor.execute(f"DROP TRIGGER {case_copies.NAME}_of_allocation ON audits_allocation")
        else:
            for name in case_copies.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {case_copies.NAME}_{name}")


def test_installing_puts_right_what_was_written_without_the_triggers_and_is_safe_twice(org):
    audit = started_audit(org)
    _drop_the_triggers()
    Audit.objects.filter(pk=audit.pk).update(case_team=org.south_team)
    Allocation.objects.filter(pk=audit.allocation_id).update(case_external_id="WRONG")
    assert _team_of(audit) == org.south_team.pk  # no trigger to stop it
    assert _reference_of(audit.allocation_id) == "WRONG"
    assert case_copies.triggers_install() == 2
    assert _team_of(audit) == org.north_team.pk
    assert _reference_of(audit.allocation_id) == audit.allocation.case.external_id
    assert case_copies.triggers_install() == 0
    Audit.objects.filter(pk=audit.pk).update(case_team=org.south_team)
    Allocation.objects.filter(pk=audit.allocation_id).update(case_external_id="WRONG")
    assert _team_of(audit) == org.north_team.pk  # the triggers are back
    assert _reference_of(audit.allocation_id) == audit.allocation.case.external_id


def test_an_allocation_has_its_case_id_and_follows_a_new_one(org):
    audit = started_audit(org)
    case = Case.objects.get(pk=audit.allocation.case_id)
    assert _reference_of(audit.allocation_id) == case.external_id
    case.external_id = "RENAMED-1"
    case.save()
    assert _reference_of(audit.allocation_id) == "RENAMED-1"
    Case.objects.filter(pk=case.pk).update(external_id="RENAMED-2")
    assert _reference_of(audit.allocation_id) == "RENAMED-2"


def test_an_allocations_case_id_written_by_the_code_does_not_stick(org):
    audit = started_audit(org)
    stale = Allocation.objects.get(pk=audit.allocation_id)
    Case.objects.filter(pk=stale.case_id).update(external_id="NOW-1")
    stale.save()  # writes the ID it read
    assert _reference_of(stale.pk) == "NOW-1"
    Allocation.objects.filter(pk=stale.pk).update(case_external_id="OTHER")
    assert _reference_of(stale.pk) == "NOW-1"
    other = Case.objects.create(external_id="CR-OTHER", case_type="CIN", team=org.south_team)
    Allocation.objects.filter(pk=stale.pk).update(case=other)
    assert _reference_of(stale.pk) == "CR-OTHER"
    assert (
        Change.objects.filter(
            model="audits.allocation", object_id=str(stale.pk), after__has_key="case_external_id"
        ).count()
        == 0
    )  # left out of the allocation's history
