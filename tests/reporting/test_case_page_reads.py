"""The case page's reads (issue 16): its audits with SQL built once a process, the same as
the ORM query they replace, person by person; and who may open the case and whether they
manage its team, answered from the case's team as the page read it (no query for the
person's teams) exactly as the teams they manage and oversee say."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import compiled
from accounts.models import User
from audits import lifecycle
from audits.models import Audit
from audits.selectors import audits_of_case, may_view
from audits.selectors import case as audit_selectors
from remediation import access
from reporting import case_reads
from reporting.case_reads import manages_case_team, may_view_case
from tests.accounts.factories import UserFactory
from tests.remediation.factories import finished_audit

pytestmark = pytest.mark.django_db

PERSONAS = (
    "auditor",
    "team_manager",
    "service_manager",
    "social_worker",
    "qa_officer",
    "senior_manager",
    "strategic_lead",
    "admin",
    "outsider",
)


def _fresh(person) -> User:
    """The person as a request reads them: nothing kept from an earlier question."""
    return User.objects.get(pk=person.pk)


def test_the_case_pages_audits_are_those_the_orm_reads(org):
    draft = finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=org.social_worker,
        status=lifecycle.IN_PROGRESS,
    )
    case = draft.case
    finished_audit(auditor=org.qa_officer, case=case, status=lifecycle.CLOSED)
    finished_audit(auditor=UserFactory(), case=case, status=lifecycle.SHARED)
    read_case = case_reads.case_for_page(case.external_id)
    for persona in PERSONAS:
        person = _fresh(getattr(org, persona))
        audits, open_count = audits_of_case(case=read_case, user=person)
        every = list(
            Audit.objects.filter(allocation__case=case)
            .select_related("allocation__auditor")
            .order_by("-created_at")
        )
        expected = [a for a in every if may_view(person, a)]
        assert [a.pk for a in audits] == [a.pk for a in expected], persona
        assert open_count == sum(a.status != lifecycle.CLOSED for a in every)
        for got, want in zip(audits, expected, strict=True):
            for field in ("status", "iro_id", "finished_at", "closed_at", "created_at"):
                assert getattr(got, field) == getattr(want, field)
            assert got.allocation.period == want.allocation.period
            assert got.allocation.case is read_case
            assert got.allocation.auditor.full_name == want.allocation.auditor.full_name
    compiled.rows_for(audit_selectors._case_audit_rows, case.pk)
    assert compiled._built[(audit_selectors._case_audit_rows, connection.vendor, (int,))]


def test_who_may_open_a_case_is_what_their_teams_say(org):
    mine = finished_audit(auditor=org.auditor, team=org.north_team, worker=org.social_worker)
    other = finished_audit(auditor=org.auditor, team=org.south_team)
    cases = [mine.case, other.case]
    for persona in PERSONAS:
        for case in cases:
            read_case = case_reads.case_for_page(case.external_id)
            person = _fresh(getattr(org, persona))
            managed = case.team_id in access.managed_team_ids(person)
            expected = (
                person.has_perm("accounts.quality_assure")
                or case.allocated_worker_id == person.pk
                or managed
                or case.team_id in access.overseen_team_ids(person)
            )
            person = _fresh(person)
            assert may_view_case(user=person, case=read_case) == expected, (persona, case)
            assert manages_case_team(user=_fresh(person), case=read_case) == managed


def test_a_case_with_no_team_is_opened_by_qa_staff_and_its_worker_only(org):
    audit = finished_audit(auditor=org.auditor, team=org.north_team, worker=org.social_worker)
    case = audit.case
    case.team = None
    case.save()
    read_case = case_reads.case_for_page(case.external_id)
    for persona in PERSONAS:
        person = _fresh(getattr(org, persona))
        expected = person.has_perm("accounts.quality_assure") or persona == "social_worker"
        assert may_view_case(user=_fresh(person), case=read_case) == expected, persona
        assert not manages_case_team(user=person, case=read_case)


def test_the_team_manager_opens_their_teams_case_without_reading_their_teams(org, client_for):
    audit = finished_audit(auditor=org.auditor, team=org.north_team, worker=org.social_worker)
    client = client_for(org.team_manager)
    url = f"/cases/{audit.case.external_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert not any(q["sql"].startswith('SELECT DISTINCT "accounts_team"') for q in ctx)
