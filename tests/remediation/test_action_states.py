"""An action's states, each move recorded: open → fulfilled → completed → authorised
(Bury 10.1); the audit closes when its last action is finished (P&Q 23)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.errors import RuleViolation
from accounts.models import Notice
from audits import lifecycle
from audits.models import Audit, AuditEvent
from remediation.models import ActionEvent, ActionStatus, RemedialAction
from remediation.services import (
    action_decline,
    action_fulfil,
    action_mark_worker_absent,
    action_send_back,
    action_transition,
    actions_authorise,
    actions_sign_off,
)
from tests.remediation.factories import remedial_actions

TODAY = dt.date(2026, 11, 20)

ALL_MOVES = [(a, b) for a in ActionStatus for b in ActionStatus if a != b]


@pytest.mark.parametrize(("start", "to"), ALL_MOVES)
def test_the_state_map_allows_only_its_moves_and_records_each(org, bury, start, to):
    """Bury 10.1: fulfilled, then completed (signed off), then authorised; a Management
    Decision closes or reopens (Bury 9.4). Every other move is refused, with nothing
    written."""
    [action] = remedial_actions(org)
    RemedialAction.objects.filter(pk=action.pk).update(status=start)
    action.status = start
    before = ActionEvent.objects.filter(action=action).count()
    if to in RemedialAction.TRANSITIONS[start]:
        action_transition(action=action, to=to, by=org.team_manager, note="why")
        action.refresh_from_db()
        assert action.status == to
        event = ActionEvent.objects.filter(action=action).latest("id")
        assert (event.from_status, event.to_status, event.by, event.note) == (
            start,
            to,
            org.team_manager,
            "why",
        )
    else:
        with pytest.raises(RuleViolation):
            action_transition(action=action, to=to, by=org.team_manager)
        action.refresh_from_db()
        assert action.status == start
        assert ActionEvent.objects.filter(action=action).count() == before


def test_the_team_manager_records_the_day_the_action_was_done(org, bury):
    """Leeds 7.3: the Team Manager records the date the corrective actions were performed."""
    [action] = remedial_actions(org)
    action_fulfil(
        action=action,
        by=org.team_manager,
        fulfilled_on=dt.date(2026, 11, 18),
        today=TODAY,
        note="Chronology updated",
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.FULFILLED
    assert action.fulfilled_on == dt.date(2026, 11, 18)
    assert action.fulfilled_by == org.team_manager


def test_the_named_worker_may_record_it_was_done_but_not_an_outsider(org, bury):
    """Bury 9.2-9.3: the work may fall to the allocated worker; nobody else records it."""
    first, second = remedial_actions(org, n=2)
    action_fulfil(action=first, by=org.social_worker, fulfilled_on=TODAY, today=TODAY)
    with pytest.raises(RuleViolation):
        action_fulfil(action=second, by=org.outsider, fulfilled_on=TODAY, today=TODAY)


def test_a_done_date_in_the_future_is_refused(org, bury):
    """Leeds 7.3: the date it *was* done."""
    [action] = remedial_actions(org)
    with pytest.raises(RuleViolation):
        action_fulfil(
            action=action,
            by=org.team_manager,
            fulfilled_on=TODAY + dt.timedelta(days=1),
            today=TODAY,
        )


def test_a_worker_marked_absent_leaves_the_action_with_the_team_manager(org, bury):
    """Bury 9.5: the worker absent for much of the time allowed, the team manager carries
    it; the worker may then no longer record it as done."""
    [action] = remedial_actions(org)
    action_mark_worker_absent(action=action, by=org.team_manager, note="Long-term sick leave")
    action.refresh_from_db()
    assert action.carried_by_team_manager and action.carrier == org.team_manager
    with pytest.raises(RuleViolation):
        action_fulfil(action=action, by=org.social_worker, fulfilled_on=TODAY, today=TODAY)
    assert ActionEvent.objects.filter(action=action, note__contains="Long-term sick").exists()
    with pytest.raises(RuleViolation):
        action_mark_worker_absent(action=action, by=org.social_worker, note="I am back")


def test_bulk_sign_off_completes_every_fulfilled_action_and_asks_the_service_manager(org, bury):
    """Bury 9.3, 10.1: the team manager signs off completed actions; Bradford 2: the
    service manager tracks them. One notice for the batch."""
    actions = remedial_actions(org, n=3)
    for action in actions:
        action_fulfil(action=action, by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    actions_sign_off(actions=actions, by=org.team_manager, today=TODAY)
    assert set(RemedialAction.objects.values_list("status", flat=True)) == {ActionStatus.COMPLETED}
    assert all(a.completed_by == org.team_manager for a in RemedialAction.objects.all())
    assert (
        Notice.objects.filter(
            recipient=org.service_manager, template="actions-to-authorise"
        ).count()
        == 1
    )


def test_bulk_sign_off_is_all_or_nothing(org, bury):
    """An action not yet done stops the whole batch: nothing is signed off."""
    done, not_done = remedial_actions(org, n=2)
    action_fulfil(action=done, by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    with pytest.raises(RuleViolation, match="only a fulfilled action"):
        actions_sign_off(actions=[done, not_done], by=org.team_manager, today=TODAY)
    done.refresh_from_db()
    assert done.status == ActionStatus.FULFILLED


def test_only_the_team_manager_signs_off(org, bury):
    """Bury 9.3: the Team Manager signs off."""
    [action] = remedial_actions(org)
    action_fulfil(action=action, by=org.social_worker, fulfilled_on=TODAY, today=TODAY)
    for person in (org.social_worker, org.service_manager, org.qa_officer):
        with pytest.raises(RuleViolation):
            actions_sign_off(actions=[action], by=person, today=TODAY)


def _completed(org, n=1):
    actions = remedial_actions(org, n=n)
    for action in actions:
        action_fulfil(action=action, by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    actions_sign_off(actions=actions, by=org.team_manager, today=TODAY)
    return actions


def test_a_service_manager_authorises_and_the_audit_closes_with_its_last_action(org, bury):
    """Bury 10.1: authorised, confirmed by a Service Manager; P&Q 23: the audit returns to
    QA staff when the final action is completed."""
    first, second = _completed(org, n=2)
    actions_authorise(actions=[first], by=org.service_manager, today=TODAY)
    audit = Audit.objects.get(pk=first.audit_id)
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    actions_authorise(actions=[second], by=org.service_manager, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.CLOSED and audit.closed_at is not None
    assert AuditEvent.objects.filter(audit=audit, to_status=lifecycle.CLOSED).count() == 1
    assert (
        Notice.objects.filter(recipient=org.qa_officer, template="audit-actions-finished").count()
        == 1
    )
    first.refresh_from_db()
    assert (first.status, first.authorised_by, first.closed_on) == (
        ActionStatus.AUTHORISED,
        org.service_manager,
        TODAY,
    )


def test_the_team_manager_cannot_authorise_their_own_teams_actions(org, bury):
    """Bury 10.1: authorised means confirmed by someone above the sign-off."""
    [action] = _completed(org)
    with pytest.raises(RuleViolation):
        actions_authorise(actions=[action], by=org.team_manager, today=TODAY)
    with pytest.raises(RuleViolation):
        actions_authorise(actions=[action], by=org.outsider, today=TODAY)


def test_the_strategic_lead_of_the_area_may_authorise(org, bury):
    """Bury 10.1 / 9.4: the area's strategic lead oversees its teams."""
    [action] = _completed(org)
    actions_authorise(actions=[action], by=org.strategic_lead, today=TODAY)
    action.refresh_from_db()
    assert action.status == ActionStatus.AUTHORISED


def test_an_action_not_authorised_reopens_and_the_team_manager_is_told(org, bury):
    """A service manager who finds it not done sends it back with the reason."""
    [action] = _completed(org)
    action_decline(action=action, by=org.service_manager, note="The plan is not on file")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.completed_by is None
    assert Notice.objects.filter(recipient=org.team_manager, template="action-reopened").exists()


def test_the_team_manager_reopens_a_fulfilled_action_not_done_as_asked(org, bury):
    """The team manager signs off only what was done as the audit asked."""
    [action] = remedial_actions(org)
    action_fulfil(action=action, by=org.social_worker, fulfilled_on=TODAY, today=TODAY)
    with pytest.raises(RuleViolation):
        action_send_back(action=action, by=org.team_manager, note=" ")
    action_send_back(action=action, by=org.team_manager, note="Views not recorded yet")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.fulfilled_on is None
