"""The home page's reads whose SQL is built once a process (`reporting.selectors`,
`remediation.access`) ask what the selectors they mirror ask, person by person: the same
rows, in the same order, and each is built once (not Django's fallback)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from accounts import compiled
from accounts.models import Persona
from accounts.selectors import policy_get
from audits import lifecycle
from audits.models import AllocationStatus
from audits.selectors import audits_for_team_manager, audits_shared_with, open_allocations_of
from audits.services import audit_share_for_comment, audit_submit
from remediation import access
from reporting import case_reads, selectors
from reporting.home_rows import (
    ALLOCATION_ROW_COLUMNS,
    CASE_ROW_COLUMNS,
    audit_row_values,
    grade_labels,
)
from sampling.models import Case, CaseStatus
from tests.audits.factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


def _people(org):
    return [
        org.auditor,
        org.team_manager,
        org.service_manager,
        org.social_worker,
        org.qa_officer,
        org.senior_manager,
        org.strategic_lead,
        org.admin,
        org.outsider,
    ]


def _built(builder, *args) -> bool:
    compiled.rows_for(builder, *args)
    kinds = tuple(type(a) for a in args)
    return compiled._built[(builder, compiled.connection.vendor, kinds)] is not None


def _a_shared_draft_and_a_finished_audit(org) -> None:
    """A draft shared for comment and a finished audit with the team manager."""
    policy = policy_get()
    policy.qa_check_percent = 0  # the finished audit goes to the team manager, not QA
    policy.save()
    shared = fill_in(started_audit(org))
    audit_share_for_comment(audit=shared, by=org.auditor)
    finished = fill_in(started_audit(org))
    audit_submit(audit=finished, by=org.auditor, today=TODAY)


def test_the_home_lists_read_what_their_selectors_read(org):
    _a_shared_draft_and_a_finished_audit(org)
    for person in _people(org):
        mine = selectors.CompiledList(
            selectors._my_audits, person.pk, str(AllocationStatus.ALLOCATED)
        )[0:11]
        assert (
            mine
            == [
                tuple(getattr_path(a, c) for c in ALLOCATION_ROW_COLUMNS)
                for a in open_allocations_of(auditor=person)
            ][:11]
        )
        managed = list(person.managed_teams.values_list("pk", flat=True))
        with_me = selectors.CompiledList(
            selectors._audits_with_me, person.pk, lifecycle.WITH_TEAM_MANAGER
        )[0:11]
        assert with_me == list(
            audit_row_values(audits_for_team_manager(user=person, team_ids=managed))[:11]
        )
        for_comment = selectors.CompiledList(
            selectors._audits_for_comment, person.pk, lifecycle.SHARED
        )[0:11]
        assert for_comment == list(audit_row_values(audits_shared_with(user=person))[:11])
        cases = compiled.rows_for(selectors._my_cases, person.pk, str(CaseStatus.OPEN))
        assert cases == list(
            Case.objects.filter(allocated_worker=person, status=CaseStatus.OPEN)
            .order_by("external_id")
            .values_list(*CASE_ROW_COLUMNS)[:11]
        )
    assert selectors.CompiledList(
        selectors._audits_for_comment, org.social_worker.pk, lifecycle.SHARED
    )[0:11], "the shared draft is listed"
    assert selectors.CompiledList(
        selectors._audits_with_me, org.team_manager.pk, lifecycle.WITH_TEAM_MANAGER
    )[0:11], "the finished audit is listed"
    for builder, status in (
        (selectors._my_cases, str(CaseStatus.OPEN)),
        (selectors._managed_teams, str(CaseStatus.OPEN)),
        (selectors._window(selectors._audits_for_comment, 0, 11), lifecycle.SHARED),
        (selectors._window(selectors._my_audits, 0, 11), str(AllocationStatus.ALLOCATED)),
    ):
        assert _built(builder, org.auditor.pk, status)


def test_the_audit_lists_read_the_overall_scale_not_the_definition(org):
    """The home page's lists of audits read the levels of each form version's overall scale
    (a few hundred characters), not its whole definition, and name the grade as
    `Audit.overall_label` does."""
    audit = fill_in(started_audit(org))
    audit_share_for_comment(audit=audit, by=org.auditor)
    audit.refresh_from_db()
    assert audit.overall_grade, "the filled-in audit is graded"
    ((*_, grade, levels, _status),) = selectors.CompiledList(
        selectors._audits_for_comment, org.social_worker.pk, lifecycle.SHARED
    )[0:11]
    definition = audit.form_version.definition
    assert json.loads(levels) == definition["scales"][definition["overall"]["scale"]]
    assert grade_labels(levels)[grade] == audit.overall_label
    assert grade_labels(None) == {}


def getattr_path(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def test_the_teams_a_person_manages_and_oversees_are_those_of_the_rule(org):
    from accounts.models import Team

    for person in _people(org):
        person = type(person).objects.get(pk=person.pk)  # no kept teams
        mine = access._overseen_q(person)
        overseen = (
            set(Team.objects.filter(mine).exclude(manager=person).values_list("pk", flat=True))
            if mine is not None
            else set()
        )
        managed = set()
        if person.has_persona(Persona.TEAM_MANAGER, Persona.SERVICE_MANAGER):
            managed = set(Team.objects.filter(manager=person).values_list("pk", flat=True))
        assert set(access.managed_team_ids(person)) == managed
        assert set(access.overseen_team_ids(person)) == overseen
    service_manager = type(org.service_manager).objects.get(pk=org.service_manager.pk)
    assert access.overseen_team_ids(service_manager), "the service manager oversees teams"


def test_the_areas_on_the_home_page_are_counted_as_before(org):
    from accounts.models import ServiceArea

    expected = [
        {
            "name": area.name,
            "team_count": area.teams.count(),
            "open_cases": Case.objects.filter(
                team__service_area=area, status=CaseStatus.OPEN
            ).count(),
        }
        for area in ServiceArea.objects.order_by("name")
    ]
    assert selectors.area_figures(user=org.senior_manager) == expected
    own = org.service_manager.team.service_area if org.service_manager.team_id else None
    own = own or org.service_manager.service_area
    assert selectors.area_figures(user=org.service_manager) == [
        row for row in expected if row["name"] == own.name
    ]


def test_the_home_counts_built_once_count_what_django_counts(org):
    """Each person's home counts (`reporting.selectors.home_counts`, its SQL built once a
    process with stand-ins for the person, the day and the statuses) are those Django
    counts from the same querysets, with actions overdue, fulfilled, signed off and a
    Management Decision waiting."""
    import datetime as dt

    from accounts.counting import count_all
    from accounts.services import policy_load_preset
    from remediation import built_once
    from remediation.built_once import AsIs
    from remediation.models import ActionStatus
    from remediation.services import action_fulfil, decision_record
    from tests.remediation.factories import remedial_actions

    policy_load_preset(preset="bury")
    today = dt.date(2026, 11, 20)
    actions = remedial_actions(org, n=3, finished_on=dt.date(2026, 1, 5))
    decision_record(action=actions[0], by=org.team_manager, reason="Left", today=today)
    action_fulfil(action=actions[1], by=org.team_manager, fulfilled_on=today, today=today)
    type(actions[2]).objects.filter(pk=actions[2].pk).update(status=ActionStatus.COMPLETED)
    seen = set()
    for person in _people(org):
        person = type(person).objects.get(pk=person.pk)
        panel = person.has_persona(
            Persona.TEAM_MANAGER, Persona.SERVICE_MANAGER, Persona.SOCIAL_WORKER
        )
        overseen = panel and bool(access.overseen_team_ids(person))
        area = access.overseen_area(person) if overseen else None
        for case_count in (False, True):
            shape = selectors.HomeCounts(
                panel=panel,
                managed=panel and bool(access.managed_team_ids(person)),
                overseen=overseen,
                by_area=area is not None,
                case_count=case_count,
            )
            expected = count_all(
                selectors._home_counts(shape, AsIs(person=person.pk, today=today, area=area))
            )
            assert selectors.home_counts(shape, person.pk, today, area) == expected, person
            kept = built_once._shapes[selectors._home_counts_row_of(shape), ("home counts", shape)]
            built = [v for k, v in compiled._built.items() if k[0] is kept.builder]
            assert built and all(built), "built once, not Django's fallback"
            seen.add(shape)
            if person == org.team_manager and not case_count:
                assert expected["actions:team.unfinished"] == 3
                assert expected["actions:team.overdue"] == 1
            if person == org.service_manager and not case_count:
                assert expected["actions:oversight.decisions"] == 1
                assert expected["actions:oversight.to_authorise"] == 1
    assert len(seen) >= 4


def test_the_team_managers_two_lists_read_together_give_each_lists_own_window(org):
    """On PostgreSQL the two lists of audits are read in one query (`read_together`): each
    list's window the same rows, in the same order, as it reads on its own."""
    _a_shared_draft_and_a_finished_audit(org)
    person = org.team_manager
    for windows in (
        {"audits_with_me": (0, 11), "audits_for_comment": (0, 11)},
        {"audits_with_me": (10, 21), "audits_for_comment": (0, 11)},
    ):
        context = {
            "audits_with_me": selectors.CompiledList(
                selectors._audits_with_me, person.pk, lifecycle.WITH_TEAM_MANAGER
            ),
            "audits_for_comment": selectors.CompiledList(
                selectors._audits_for_comment, person.pk, lifecycle.SHARED
            ),
        }
        selectors.read_together(context, windows)
        for name, (start, stop) in windows.items():
            alone = selectors.CompiledList(*_args_of(context[name]))[start:stop]
            assert context[name][start:stop] == alone
            if connection.features.supports_slicing_ordering_in_compound:
                assert (start, stop) in context[name].read
    assert alone, "the shared draft is listed"
    if connection.features.supports_slicing_ordering_in_compound:
        assert _built(
            selectors._both_windows((0, 11), (0, 11)),
            person.pk,
            lifecycle.WITH_TEAM_MANAGER,
            lifecycle.SHARED,
        )


def _args_of(listed):
    return (listed.builder, *listed.args)


def test_the_case_pages_case_is_the_case_with_its_team_area_manager_and_worker(org):
    case = started_audit(org).allocation.case
    read = case_reads.case_for_page(case.external_id)
    expected = Case.objects.select_related(
        "team__service_area", "team__manager", "allocated_worker"
    ).get(pk=case.pk)
    for field in Case._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname)
    assert read.team.name == expected.team.name
    assert read.team.service_area.name == expected.team.service_area.name
    assert getattr(read.team.manager, "full_name", None) == getattr(
        expected.team.manager, "full_name", None
    )
    assert getattr(read.allocated_worker, "full_name", None) == getattr(
        expected.allocated_worker, "full_name", None
    )
    assert case_reads.case_for_page("NO-SUCH-CASE") is None
    assert _built(case_reads._case_by_external_id, case.external_id)


@pytest.mark.parametrize("persona", ["qa_officer", "admin"])
def test_the_qa_panels_facts_are_read_with_sql_built_once(org, client_for, persona):
    """The QA panel's and next month's breaks' counts and facts: one query, its SQL built
    once a process (not Django's fallback, which builds it every time) on PostgreSQL
    (SQLite compares with true as a parameter: built every time there)."""
    from remediation import built_once

    assert client_for(getattr(org, persona)).get("/").status_code == 200
    if connection.vendor != "postgresql":
        return
    shapes = [
        s
        for (_make, key), s in built_once._shapes.items()
        if isinstance(key, tuple) and key[:1] == ("home facts",)
    ]
    assert shapes
    for shape in shapes:
        assert any(
            key[0] is shape.builder and found is not None for key, found in compiled._built.items()
        )


def test_the_overseen_teams_without_joins_are_those_of_the_rule(org):
    """`access.overseen_team_pks_of` (the home counts' subquery, written without joins) is
    `overseen_teams_of`, person by person, with their own area, another's and none."""
    from accounts.models import ServiceArea, Team

    areas = [None, *ServiceArea.objects.values_list("pk", flat=True)]
    # A team whose manager reports to the service manager, in another area.
    other = ServiceArea.objects.exclude(pk=access.overseen_area(org.service_manager)).first()
    if other is not None and org.team_manager.line_manager_id is None:
        type(org.team_manager).objects.filter(pk=org.team_manager.pk).update(
            line_manager=org.service_manager
        )
    seen = set()
    for person in _people(org):
        for area in areas:
            expected = set(access.overseen_teams_of(person.pk, area).values_list("pk", flat=True))
            found = set(Team.objects.filter(pk__in=access.overseen_team_pks_of(person.pk, area)))
            assert {t.pk for t in found} == expected, (person, area)
            seen |= expected
    assert seen, "some teams are overseen"


def test_a_team_managers_home_reads_compare_with_their_teams_as_values(org, client_for):
    """A team manager's home page compares the lists and counts with the ids of the teams
    it has read (no subquery of the teams in them), and they give what the subqueries
    give."""
    import datetime as dt

    from django.test.utils import CaptureQueriesContext

    from accounts.counting import count_all
    from remediation.built_once import AsIs

    _a_shared_draft_and_a_finished_audit(org)
    person = org.team_manager
    teams = tuple(person.managed_teams.values_list("pk", flat=True))
    assert 0 < len(teams) <= selectors.TEAMS_AS_VALUES
    waiting = lifecycle.WITH_TEAM_MANAGER
    by_values = selectors.CompiledList(selectors._audits_with_teams, waiting, *teams)[0:11]
    assert by_values == selectors.CompiledList(selectors._audits_with_me, person.pk, waiting)[0:11]
    assert by_values, "the finished audit is listed"
    assert _built(selectors._window(selectors._audits_with_teams, 0, 11), waiting, *teams)
    shared_ = lifecycle.SHARED
    by_values = selectors.CompiledList(selectors._audits_for_comment, person.pk, shared_, *teams)
    alone = selectors.CompiledList(selectors._audits_for_comment, person.pk, shared_)[0:11]
    assert by_values[0:11] == alone
    assert alone, "the shared draft is listed"
    assert _built(
        selectors._window(selectors._audits_for_comment, 0, 11), person.pk, shared_, *teams
    )
    context = {
        "audits_with_me": selectors.CompiledList(selectors._audits_with_teams, waiting, *teams),
        "audits_for_comment": by_values,
    }
    selectors.read_together(context, {"audits_with_me": (0, 11), "audits_for_comment": (0, 11)})
    assert (
        context["audits_with_me"][0:11]
        == selectors.CompiledList(selectors._audits_with_me, person.pk, waiting)[0:11]
    )
    assert context["audits_for_comment"][0:11] == alone
    if connection.features.supports_slicing_ordering_in_compound:
        assert (0, 11) in context["audits_with_me"].read
        assert _built(
            selectors._both_windows((0, 11), (0, 11)), person.pk, waiting, shared_, *teams
        )
    today = dt.date(2026, 11, 20)
    shape = selectors.HomeCounts(
        panel=True, managed=True, overseen=False, by_area=False, case_count=False
    )
    with_values = selectors.HomeCounts(
        panel=True,
        managed=True,
        overseen=False,
        by_area=False,
        case_count=False,
        managed_teams=len(teams),
    )
    expected = count_all(selectors._home_counts(shape, AsIs(person=person.pk, today=today)))
    assert selectors.home_counts(with_values, person.pk, today, None, teams) == expected
    client = client_for(person)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    home = [
        q["sql"]
        for q in queries.captured_queries
        if "remediation_remedialaction" in q["sql"] or "audits_audit" in q["sql"]
    ]
    assert home and not any('"accounts_team" "U0"' in sql for sql in home), home
