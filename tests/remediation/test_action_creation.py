"""Each SMART action of a finished audit becomes a remedial action owned by the case's
current team manager, with the allocated worker named (Bury 9.2, 9.5; P&Q 23)."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.errors import RuleViolation
from accounts.models import Notice
from audits import lifecycle
from remediation.models import ActionEvent, ActionStatus, RemedialAction
from remediation.services import actions_create_for_audit, sweep_create_actions
from tests.remediation.factories import finished_audit

TODAY = dt.date(2026, 11, 16)


def _audit(org, **kw):
    return finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=kw.pop("worker", org.social_worker),
        actions=[("Update the chronology", None), ("Record the child's views", None)],
        **kw,
    )


def test_actions_are_owned_by_the_current_team_manager_with_the_worker_named(org, bury):
    """Bury 9.2: responsibility rests with the current Team Manager and Allocated Social
    Worker."""
    made = actions_create_for_audit(audit=_audit(org), today=TODAY)
    assert len(made) == 2
    for action in made:
        assert action.owner == org.team_manager
        assert action.team == org.north_team
        assert action.worker == org.social_worker
        assert action.carried_by_team_manager is False
        assert action.status == ActionStatus.OPEN
    assert ActionEvent.objects.filter(to_status=ActionStatus.OPEN).count() == 2


def test_a_case_without_an_active_worker_leaves_the_team_manager_carrying_the_action(org, bury):
    """Bury 9.5: where the worker is absent, responsibility falls to the Team Manager."""
    org.social_worker.is_active = False
    org.social_worker.save()
    [action, _] = actions_create_for_audit(audit=_audit(org), today=TODAY)
    assert action.carried_by_team_manager is True
    assert action.carrier == org.team_manager


def test_making_actions_twice_makes_them_once_and_tells_the_team_manager_once(org, bury):
    """A service or sweep that runs twice does the work once (STYLE: sweeps)."""
    audit = _audit(org)
    actions_create_for_audit(audit=audit, today=TODAY)
    again = actions_create_for_audit(audit=audit, today=TODAY)
    assert again == []
    assert RemedialAction.objects.filter(audit=audit).count() == 2
    assert Notice.objects.filter(key=f"actions-created:{audit.pk}").count() == 2  # TM, worker
    assert (
        Notice.objects.filter(recipient=org.team_manager, template="actions-created").count() == 1
    )


def test_the_sweep_makes_actions_for_every_audit_with_the_team_manager(org, bury):
    """P&Q 23: the audit is assigned to the team manager for oversight of its actions."""
    one, two = _audit(org), _audit(org)
    in_progress = _audit(org, status=lifecycle.IN_PROGRESS)
    assert sweep_create_actions(today=TODAY) == 4
    assert sweep_create_actions(today=TODAY) == 0
    assert RemedialAction.objects.filter(audit__in=[one, two]).count() == 4
    assert not RemedialAction.objects.filter(audit=in_progress).exists()


def test_actions_are_not_made_from_an_audit_still_being_written(org, bury):
    """SPEC §6: actions follow once the audit is with the team manager."""
    with pytest.raises(RuleViolation):
        actions_create_for_audit(audit=_audit(org, status=lifecycle.SUBMITTED), today=TODAY)


def test_actions_are_made_the_moment_the_audit_reaches_its_team_manager(org, bury):
    """P&Q 23, Bury 9.2-9.3: the audit and its actions land on the team manager's list
    together, without waiting for the hourly sweep (the audits app's signal)."""
    from audits.services import action_add, audit_submit
    from tests.audits.factories_form import fill_in, started_audit

    policy = bury
    policy.qa_check_percent = 0
    policy.save()
    audit = fill_in(started_audit(org))
    action_add(
        audit=audit,
        by=org.auditor,
        what="Put the safety plan on file",
        who="TM",
        due_on=TODAY + dt.timedelta(days=20),
    )
    assert not RemedialAction.objects.exists()
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    [action] = RemedialAction.objects.filter(audit=audit)
    assert action.owner == org.team_manager
    assert sweep_create_actions(today=TODAY) == 0
