"""The audit's life through its services: every state move and the refused ones (SPEC §6)."""

from __future__ import annotations

import pytest

from accounts.errors import RuleViolation
from accounts.models import Notice
from accounts.selectors import policy_get
from audits import lifecycle
from audits.errors import SubmissionInvalid
from audits.models import AuditEvent, QACheck
from audits.services import (
    audit_close,
    audit_share_for_comment,
    audit_submit,
    audit_take_back,
    audit_transition,
    qa_accept,
    qa_return,
    supervision_record,
    sweep_amendments_overdue,
)

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


def _qa(percent: int) -> None:
    policy = policy_get()
    policy.qa_check_percent = percent
    policy.save()


def test_starting_an_audit_pins_the_form_version_and_records_the_move(org):
    audit = started_audit(org)
    assert audit.status == lifecycle.IN_PROGRESS
    assert audit.form_version.template.key == "bradford"
    moves = list(AuditEvent.objects.filter(audit=audit).values_list("to_status", flat=True))
    assert moves == [lifecycle.ALLOCATED, lifecycle.IN_PROGRESS]
    audit.allocation.refresh_from_db()
    assert audit.allocation.started_at is not None


def test_the_whole_road_in_progress_shared_submitted_qa_team_manager_closed(org):
    """SPEC §6 and P&Q 18-20, 23-24: each move recorded with who, when and why."""
    _qa(100)
    audit = fill_in(started_audit(org))
    audit_share_for_comment(audit=audit, by=org.auditor)
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.QA_CHECK
    qa_accept(audit=audit, by=org.qa_officer, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    supervision_record(audit=audit, by=org.team_manager, on=TODAY, note="Discussed with Sky.")
    audit_close(audit=audit, by=org.team_manager)
    audit.refresh_from_db()
    assert audit.status == lifecycle.CLOSED
    events = list(AuditEvent.objects.filter(audit=audit).order_by("at", "id"))
    assert [e.to_status for e in events] == [
        lifecycle.ALLOCATED,
        lifecycle.IN_PROGRESS,
        lifecycle.SHARED,
        lifecycle.SUBMITTED,
        lifecycle.QA_CHECK,
        lifecycle.WITH_TEAM_MANAGER,
        lifecycle.CLOSED,
    ]
    assert all(e.by is not None for e in events[1:])
    assert Notice.objects.filter(
        recipient=org.team_manager, key=f"audit-finished:{audit.pk}"
    ).exists()


def test_an_audit_not_drawn_for_qa_goes_straight_to_the_team_manager(org):
    """Bury 6.5: the rest go to the team manager's worktray."""
    _qa(0)
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
    assert audit.qa_selected is False
    audit.allocation.refresh_from_db()
    assert audit.allocation.completed_at is not None


def test_returned_for_amendment_is_due_in_three_working_days_and_goes_back_to_qa(org):
    """P&Q 20: returned with a reason; back within 3 working days."""
    _qa(100)
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    # Friday 13 November 2026: three working days on is Wednesday 18 November.
    check = qa_return(
        audit=audit,
        by=org.qa_officer,
        reason="Evidence for section 3 is thin.",
        today=TODAY.replace(day=13),
    )
    assert check.due_on.isoformat() == "2026-11-18"
    audit.refresh_from_db()
    assert audit.status == lifecycle.RETURNED
    assert audit.is_editable
    assert Notice.objects.filter(
        recipient=org.auditor, key=f"audit-returned:{check.pk}", urgent=True
    ).exists()
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.QA_CHECK
    check.refresh_from_db()
    assert check.resubmitted_at is not None


def test_a_return_needs_a_reason(org):
    _qa(100)
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    with pytest.raises(RuleViolation, match="amended"):
        qa_return(audit=audit, by=org.qa_officer, reason=" ", today=TODAY)


def test_an_overdue_amendment_is_told_once_even_when_the_sweep_runs_twice(org):
    _qa(100)
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    qa_return(audit=audit, by=org.qa_officer, reason="Add the views.", today=TODAY)
    later = TODAY.replace(day=25)
    assert sweep_amendments_overdue(today=later) == 1
    assert sweep_amendments_overdue(today=later) == 0
    assert QACheck.objects.get(audit=audit, outcome="returned").overdue_notified_on == later


@pytest.mark.parametrize(
    "target",
    [lifecycle.WITH_TEAM_MANAGER, lifecycle.CLOSED, lifecycle.QA_CHECK, lifecycle.ALLOCATED],
)
def test_moves_not_in_the_map_are_refused_and_leave_no_history(org, target):
    audit = started_audit(org)
    before = AuditEvent.objects.filter(audit=audit).count()
    with pytest.raises(RuleViolation, match="cannot become"):
        audit_transition(audit=audit, to=target, by=org.auditor)
    audit.refresh_from_db()
    assert audit.status == lifecycle.IN_PROGRESS
    assert AuditEvent.objects.filter(audit=audit).count() == before


def test_a_closed_audit_cannot_be_shared_or_taken_back(org):
    _qa(0)
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    with pytest.raises(RuleViolation):
        audit_share_for_comment(audit=audit, by=org.auditor)
    with pytest.raises(RuleViolation):
        audit_take_back(audit=audit, by=org.auditor)


def test_the_team_manager_closes_only_after_recording_supervision(org):
    """Hillingdon 2.14, Bradford 2: the discussion is recorded as supervision."""
    _qa(0)
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    with pytest.raises(RuleViolation, match="supervision"):
        audit_close(audit=audit, by=org.team_manager)
    with pytest.raises(RuleViolation, match="team manager"):
        supervision_record(audit=audit, by=org.outsider, on=TODAY)


def test_submission_is_refused_with_every_missing_part_named(org):
    audit = started_audit(org)
    with pytest.raises(SubmissionInvalid) as refused:
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    assert "overall_grade" in refused.value.errors
    assert "section-risk_and_need-grade" in refused.value.errors
    assert "views" in refused.value.errors
    audit.refresh_from_db()
    assert audit.status == lifecycle.IN_PROGRESS


def test_submission_applies_the_bradford_one_grade_rule(org):
    """Bradford Appendix 1 on submit, not only in the pure module."""
    audit = fill_in(started_audit(org), grade="requires_improvement", overall="outstanding")
    with pytest.raises(SubmissionInvalid) as refused:
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    assert "no higher than Good" in refused.value.errors["overall_grade"]


def test_only_the_auditor_submits(org):
    audit = fill_in(started_audit(org))
    with pytest.raises(RuleViolation):
        audit_submit(audit=audit, by=org.qa_officer, today=TODAY)


def test_an_audit_with_actions_is_not_closed_by_hand_but_by_its_last_action(org):
    """P&Q 23: the audit stays open until the final action is completed; the remediation
    app closes it when its last action is authorised."""
    from audits.services import action_add

    _qa(0)
    audit = fill_in(started_audit(org))
    action_add(
        audit=audit,
        by=org.auditor,
        what="Update the chronology",
        who="SW",
        due_on=TODAY.replace(day=30),
    )
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    supervision_record(audit=audit, by=org.team_manager, on=TODAY, note="Discussed.")
    with pytest.raises(RuleViolation, match="closes when the last of them is authorised"):
        audit_close(audit=audit, by=org.team_manager)
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER


def test_speaking_to_a_child_on_a_plan_records_whether_a_parent_consented_first(org):
    """Hillingdon 2.3: where a child is subject to a CIN or CP plan, consent is sought from
    the parent before speaking to the child; the audit must say whether it was."""
    from audits.models import ChildFamilyViews
    from audits.services import views_save

    _qa(0)
    audit = fill_in(started_audit(org))  # a CIN case
    views = ChildFamilyViews.objects.get(audit=audit)
    views_save(
        audit=audit,
        revision=views.revision,
        by=org.auditor,
        contacted=ChildFamilyViews.Contacted.CHILD,
        views="I like my new school.",
        parent_consent_before_child=None,
    )
    with pytest.raises(SubmissionInvalid) as refused:
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    assert "parent's consent" in refused.value.errors["views"]
    views.refresh_from_db()
    views_save(
        audit=audit, revision=views.revision, by=org.auditor, parent_consent_before_child=True
    )
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER
