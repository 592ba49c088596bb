"""The worktray's queries, built once a process for each shape (`remediation.worktray`),
read what Django reads from the same querysets, for every persona and every choice of
what to show, and are not Django's fallback."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from accounts import compiled
from remediation import built_once
from remediation.built_once import AsIs
from remediation.models import ActionStatus, RemedialAction
from remediation.services import action_fulfil, decision_record
from remediation.worktray import (
    FIGURES,
    TEAMS_LISTED,
    _tray_counts,
    _tray_query,
    _tray_rows,
    counted,
    worktray,
)
from tests.accounts.factories import TeamFactory
from tests.remediation.factories import remedial_actions

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


def _built(make) -> bool:
    kept = built_once._shapes[make, make]
    found = [v for k, v in compiled._built.items() if k[0] is kept.builder]
    return bool(found) and all(found)


def test_the_worktray_reads_what_django_reads_for_everyone(org, bury):
    actions = remedial_actions(org, n=3, finished_on=dt.date(2026, 1, 5))
    remedial_actions(org, n=2)
    decision_record(action=actions[0], by=org.team_manager, reason="Left", today=TODAY)
    action_fulfil(action=actions[1], by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    RemedialAction.objects.filter(pk=actions[2].pk).update(status=ActionStatus.COMPLETED)
    people = [
        org.team_manager,
        org.service_manager,
        org.social_worker,
        org.qa_officer,
        org.senior_manager,
        org.auditor,
        org.outsider,
    ]
    listed = 0
    for person in people:
        for show in ("unfinished", "finished", "all"):
            for team_id in (None, org.north_team.pk):
                person = type(person).objects.get(pk=person.pk)
                tray = worktray(user=person, today=TODAY, show=show, team_id=team_id)
                _same_figures(tray)
                if tray.scope == "figures":
                    assert _built(_tray_query("counts", tray.shape))
                    assert tray.rows(per_page=2) == []
                    continue
                shape = replace(tray.shape, teams_named=bool(tray.teams))
                expected = _expected_rows(shape, tray)
                if counted(tray.shape) and expected:
                    # The figures came with the page's rows: no query of their own.
                    assert (
                        _tray_query("counts", tray.shape),
                        _tray_query("counts", tray.shape),
                    ) not in built_once._shapes
                else:
                    assert _built(_tray_query("counts", tray.shape))
                rows = tray.rows(per_page=2)
                assert rows[0:2] + rows[2:4] + rows[4:6] == expected[:6], (person, show)
                assert [row[0] for row in expected] == [a.pk for a in tray.actions]
                assert rows.count() == len(expected)
                if expected:
                    assert _built(_tray_query("rows", shape, 0, 2))
                listed += len(expected)
                # A later page, read with the figures; and one past the last.
                for page in (2, 9):
                    tray = worktray(
                        user=person, today=TODAY, show=show, team_id=team_id, page=page, per_page=2
                    )
                    _same_figures(tray)
                    rows = tray.rows(per_page=2)
                    assert rows[(page - 1) * 2 : page * 2] == expected[(page - 1) * 2 : page * 2]
                built_once._shapes.clear()
    assert listed


def _expected_rows(shape, tray) -> list[tuple]:
    """The rows as Django reads them, without the figures they carry (`counted`)."""
    rows = list(_tray_rows(shape, AsIs(**tray.slots)))
    if counted(shape):
        return [row[: -len(FIGURES)] for row in rows]
    return rows


def _same_figures(tray) -> None:
    by_team = list(_tray_counts(tray.shape, AsIs(**tray.slots)))
    names = FIGURES + (("finished",) if tray.shape.show == "finished" else ())
    assert tray.counts == {n: sum(row[i] for row in by_team) for i, n in enumerate(names)}


def test_a_manager_of_more_teams_than_listed_reads_them_by_their_id(org, bury):
    """Eleven teams are more than `rows_for` takes as arguments: the teams are then a
    subquery of the manager's id, and the page reads the same rows."""
    remedial_actions(org, n=3)
    for n in range(TEAMS_LISTED):
        TeamFactory(
            name=f"Team {n}", service_area=org.north_team.service_area, manager=org.team_manager
        )
    person = type(org.team_manager).objects.get(pk=org.team_manager.pk)
    tray = worktray(user=person, today=TODAY)
    assert tray.shape.listed == 0 and len(tray.teams) == TEAMS_LISTED + 1
    shape = replace(tray.shape, teams_named=True)
    expected = _expected_rows(shape, tray)
    assert len(expected) == 3 and tray.counts["unfinished"] == 3
    assert tray.rows(per_page=50)[0:50] == expected
    assert _built(_tray_query("rows", shape, 0, 50))
    few = worktray(user=person, today=TODAY, team_id=org.north_team.pk)
    assert few.shape.listed == 1 and few.rows(per_page=50)[0:50] == expected


def test_the_reopened_cases_are_read_as_django_reads_them_its_sql_built_once(org, bury):
    """The worktray's warning of reopened cases with earlier unfinished actions (Bury 9.7)."""
    from django.db import connection

    from remediation.selectors import _reopened_rows, reopened_cases_with_actions
    from sampling.models import Case, CaseStatus

    earlier = remedial_actions(org, n=2, finished_on=dt.date(2026, 6, 1))
    remedial_actions(org, n=1)
    case = earlier[0].case
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, closed_on=dt.date(2026, 8, 1), reopened_on=TODAY
    )
    teams = [org.north_team.pk, org.south_team.pk]
    found = reopened_cases_with_actions(team_ids=teams)
    expected = list(_reopened_rows(*teams))
    assert expected and [(c.external_id, c.reopened_on) for c in found] == [
        (case.external_id, TODAY)
    ]
    assert found[0].earlier_actions == [row[3] for row in expected]
    assert compiled._built[_reopened_rows, connection.vendor, (int, int)]
