"""Every write and rule of the remediation app. Import from here, not from the modules."""

from .actions import (
    action_decline,
    action_fulfil,
    action_mark_worker_absent,
    action_send_back,
    action_transition,
    actions_authorise,
    actions_create_for_audit,
    actions_due_at_supervision,
    actions_sign_off,
    audit_close_if_done,
    sweep_create_actions,
)
from .cases import (
    actions_follow_case_team,
    sweep_actions_follow_case_team,
    sweep_case_action_prompts,
)
from .compliance import (
    follow_up_record,
    outstanding_for,
    sweep_open_compliance_reviews,
    sweep_send_compliance_reviews,
)
from .decisions import decision_decide, decision_record
from .disagreements import disagreement_raise, disagreement_refer, disagreement_resolve
from .plan import half_year_of, plan_item_save
from .reminders import sweep_action_escalation, sweep_action_reminders, sweep_actions_overdue

__all__ = [
    "action_decline",
    "action_fulfil",
    "action_mark_worker_absent",
    "action_send_back",
    "action_transition",
    "actions_authorise",
    "actions_create_for_audit",
    "actions_due_at_supervision",
    "actions_follow_case_team",
    "actions_sign_off",
    "audit_close_if_done",
    "decision_decide",
    "decision_record",
    "disagreement_raise",
    "disagreement_refer",
    "disagreement_resolve",
    "follow_up_record",
    "half_year_of",
    "outstanding_for",
    "plan_item_save",
    "sweep_action_escalation",
    "sweep_action_reminders",
    "sweep_actions_follow_case_team",
    "sweep_actions_overdue",
    "sweep_case_action_prompts",
    "sweep_create_actions",
    "sweep_open_compliance_reviews",
    "sweep_send_compliance_reviews",
]
