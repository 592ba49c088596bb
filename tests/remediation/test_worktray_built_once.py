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
from remediation.worktray import _tray_counts, _tray_query, _tray_rows, worktray
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
                by_team = list(_tray_counts(tray.shape, AsIs(**tray.slots)))
                assert tray.counts["unfinished"] == sum(row[0] for row in by_team)
                assert _built(_tray_query("counts", tray.shape))
                if tray.scope == "figures":
                    assert tray.rows(per_page=2) == []
                    continue
                shape = replace(tray.shape, teams_named=bool(tray.teams))
                expected = list(_tray_rows(shape, AsIs(**tray.slots)))
                rows = tray.rows(per_page=2)
                assert rows[0:2] + rows[2:4] + rows[4:6] == expected[:6], (person, show)
                assert [row[0] for row in expected] == [a.pk for a in tray.actions]
                assert rows.count() == len(expected)
                if expected:
                    assert _built(_tray_query("rows", shape, 0, 2))
                listed += len(expected)
    assert listed
