"""Actions follow their case: to a new team's manager when an import moves it (Bury 9.2:
the *current* team manager), and back into view when a case closes or reopens with actions
unfinished (Bury 9.6-9.7)."""

from __future__ import annotations

import datetime as dt

from accounts.models import Notice
from remediation.models import ActionEvent, ActionStatus
from remediation.services import (
    action_fulfil,
    actions_authorise,
    actions_sign_off,
    sweep_actions_follow_case_team,
    sweep_case_action_prompts,
)
from sampling.models import Case, CaseStatus
from tests.remediation.factories import remedial_actions

TODAY = dt.date(2026, 11, 20)


def _move(case: Case, team) -> None:
    # What a later case-list import does: it updates the case's team in place.
    Case.objects.filter(pk=case.pk).update(team=team)


def test_open_actions_move_to_the_new_team_manager_who_is_told_once(org, bury):
    """Bury 9.2: responsibility rests with the current Team Manager, whenever the omission
    occurred. Finished actions stay with the team that did them."""
    done, open_one, other = remedial_actions(org, n=3)
    action_fulfil(action=done, by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    actions_sign_off(actions=[done], by=org.team_manager, today=TODAY)
    actions_authorise(actions=[done], by=org.service_manager, today=TODAY)
    _move(open_one.case, org.south_team)
    assert sweep_actions_follow_case_team(today=TODAY) == 2
    assert sweep_actions_follow_case_team(today=TODAY) == 0
    south_manager = org.south_team.manager
    for action in (open_one, other):
        action.refresh_from_db()
        assert (action.team, action.owner) == (org.south_team, south_manager)
        assert ActionEvent.objects.filter(action=action, note__contains="South Children").exists()
    done.refresh_from_db()
    assert done.team == org.north_team and done.status == ActionStatus.AUTHORISED
    assert Notice.objects.filter(recipient=south_manager, template="actions-moved").count() == 1
    assert not Notice.objects.filter(recipient=org.team_manager, template="actions-moved").exists()


def test_a_new_manager_of_the_same_team_takes_its_open_actions(org, bury):
    """Bury 9.2: the current Team Manager."""
    [action] = remedial_actions(org)
    org.north_team.manager = org.south_team.manager
    org.north_team.save()
    assert sweep_actions_follow_case_team(today=TODAY) == 1
    action.refresh_from_db()
    assert action.owner == org.south_team.manager


def test_a_case_that_closes_with_actions_unfinished_is_flagged_to_its_team_manager(org, bury):
    """Bury 9.6: closure is contingent on fulfilment of any and all remedial actions."""
    [action] = remedial_actions(org)
    Case.objects.filter(pk=action.case_id).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    assert sweep_case_action_prompts(today=TODAY) == 1
    assert sweep_case_action_prompts(today=TODAY) == 0
    assert Notice.objects.get(template="case-closed-actions").recipient == org.team_manager


def test_a_reopened_case_prompts_its_team_manager_about_earlier_unfinished_actions(
    org, bury, client_for
):
    """Bury 9.7: when a case is reopened, the Team Manager must consider unfulfilled
    remedial actions from previous audits: fulfil them or enter a Management Decision."""
    [action] = remedial_actions(org, finished_on=dt.date(2026, 6, 1))
    case = action.case
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, closed_on=dt.date(2026, 8, 1), reopened_on=TODAY
    )
    assert sweep_case_action_prompts(today=TODAY) == 1
    assert sweep_case_action_prompts(today=TODAY) == 0
    assert Notice.objects.get(template="case-reopened-actions").recipient == org.team_manager

    page = client_for(org.team_manager).get(f"/cases/{case.external_id}/")
    body = page.content.decode()
    assert "reopened on 20 November 2026 with 1 unfinished action from earlier audits" in body
    assert "record a Management Decision" in body
    assert f"/actions/{action.pk}/" in body

    tray = client_for(org.team_manager).get("/actions/").content.decode()
    assert "1 reopened case still has actions from earlier audits" in tray


def test_the_case_page_says_the_case_is_not_finished_while_an_action_is_open(org, bury, client_for):
    """Bury 9.6: a case should not close while an audit or its actions are open."""
    [action] = remedial_actions(org)
    body = client_for(org.qa_officer).get(f"/cases/{action.case.external_id}/").content.decode()
    assert "This case is not finished" in body
    assert "1 audit is still open" in body and "1 remedial action is not finished" in body
