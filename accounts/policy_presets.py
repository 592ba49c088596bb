"""The five seed policies as presets of the Policy row (SPEC §11).

Each value cites the paragraph it comes from. Where a seed is silent the preset keeps the
product's default and says so.
"""

from __future__ import annotations

from typing import Any

from .models import (
    ActionDeadlineRule,
    AuditDeadlineRule,
    DisputeRoute,
    FinishedAuditRecipient,
    PolicyPreset,
    Role,
)

_COMMON: dict[str, Any] = {
    "strata": ["service_area", "case_type"],
    "min_per_stratum": 1,
    "lookback_months": 12,
    "default_quota": 1,
    "quotas": {},
    "yearly_cap": None,
    "max_break_percent": 20,
    "own_team_roles": [],
    "own_team_only_roles": [],
    "other_area_roles": [],
    "paired_percent": 0,
    "paired_auditors": 2,
    "allocate_without_review": False,
    "yearly_break_months": None,
    # Who agrees an exemption from an allocated audit. The seeds that are silent keep P&Q's
    # arrangement (4): the Assistant Director, and QA staff's strategic lead for QA staff.
    "exemption_approver_roles": [Role.ASSISTANT_DIRECTOR],
    "qa_exemptions_by_strategic_lead": True,
    # Only Bury names deferment (7.2); the others reallocate or refuse.
    "deferment_allowed": False,
    "sampling_working_day": 1,
    "reminder_lead_working_days": 5,
    "overdue_escalation_months": 2,
    "amendment_working_days": 3,
    "reaudit_window_months": 2,
    "inadequate_review_weeks": 4,
    "action_reminder_working_days": 5,
    "action_escalation_working_days": 10,
    "compliance_review_months": None,
    # Disputes: P&Q 22's moderation by a senior manager not connected with the case, where
    # the seed says nothing of its own (Bury, Leeds).
    "dispute_route": DisputeRoute.MODERATION,
    # The inadequate pathway is P&Q's (25-26); the other seeds have none, so it is off
    # unless a council turns it on. Hillingdon 2.10's urgent notice is sent regardless.
    "inadequate_pathway": False,
    # Only P&Q requires the worker's input before the audit is finalised (8, 18).
    "worker_input_before_submit": False,
    # Who is sent the finished audit: the team manager, with the worker (P&Q 23, Bury 6.5,
    # Hillingdon 2.13-2.14, Leeds 7.2).
    "finished_audit_recipients": [
        FinishedAuditRecipient.TEAM_MANAGER,
        FinishedAuditRecipient.WORKER,
    ],
    # Whether the audit's own date for an action stands when later than the rule's.
    "action_own_date_stands": False,
}

PRESETS: dict[str, dict[str, Any]] = {
    # Bury: audits within 20 working days (6.4, 7.2); pool members at least one a month
    # (5.2, 6.2); a random share quality assured by peers (5.2, 6.5); allocations often
    # paired (8.1); actions within 25 working days (6.5, 9.3); a four-month compliance
    # review (10.1). The form reviews the whole record (6.3).
    PolicyPreset.BURY: {
        "authority_name": "Bury Council",
        "audit_deadline_rule": AuditDeadlineRule.WORKING_DAYS,
        "audit_deadline_working_days": 20,
        "period_reviewed_months": 0,
        "strata": ["service_area", "case_type", "team"],
        "qa_check_percent": 20,
        "paired_percent": 20,
        "paired_auditors": 2,
        # 7.2: deferment, dispensation or reallocation is asked of the Consultant Head of
        # Performance and Improvement, the QA lead; the nearest role here is the PSW.
        "exemption_approver_roles": [Role.PRINCIPAL_SOCIAL_WORKER],
        "qa_exemptions_by_strategic_lead": False,
        # 7.2: an auditor who cannot finish in 20 working days asks for "a deferment,
        # dispensation or reallocation": the approver may defer it to next month.
        "deferment_allowed": True,
        "action_deadline_rule": ActionDeadlineRule.WORKING_DAYS,
        "action_deadline_days": 25,
        "compliance_review_months": 4,
    },
    # Hillingdon: cases from open referrals, due by the set date (2.1, 2.13); not allocated
    # to auditors whose team was involved (2.1); the previous 6 months (3); findings to the
    # next supervision (2.14): actions are due at the supervision the team manager records,
    # 20 working days (about a month) until one is recorded.
    PolicyPreset.HILLINGDON: {
        "authority_name": "London Borough of Hillingdon",
        "audit_deadline_rule": AuditDeadlineRule.MONTH_END,
        "period_reviewed_months": 6,
        "qa_check_percent": 10,
        # 2.14: part B "at the next available supervision – or sooner".
        "action_deadline_rule": ActionDeadlineRule.NEXT_SUPERVISION,
        "action_deadline_days": 20,
        # 2.17: an exemption is discussed with the line manager, then agreed with the
        # Principal Social Worker.
        "exemption_approver_roles": [Role.PRINCIPAL_SOCIAL_WORKER],
        "qa_exemptions_by_strategic_lead": False,
        # 2.11: a review session of auditor, worker and team manager, its findings recorded;
        # 2.12: without consensus, mediation by the head of service (and/or SPQA).
        "dispute_route": DisputeRoute.REVIEW_THEN_MEDIATION,
    },
    # Leeds: quotas by role (5.1-5.5; IROs at the phase-1 figure of one); heads of service
    # and SDMs audit another area (5.2, 5.3); team managers audit their own team (5.4);
    # the previous 12 months (3.2.4); not audited in the last 12 months (4.4); corrective
    # actions within 14 days of receipt (7.4).
    PolicyPreset.LEEDS: {
        "authority_name": "Leeds City Council",
        "audit_deadline_rule": AuditDeadlineRule.MONTH_END,
        "period_reviewed_months": 12,
        "quotas": {
            Role.STRATEGIC_DIRECTOR: 1,
            Role.ASSISTANT_DIRECTOR: 1,
            Role.HEAD_OF_SERVICE: 2,
            Role.SERVICE_MANAGER: 4,
            Role.TEAM_MANAGER: 4,
            Role.IRO: 1,
        },
        "own_team_roles": [Role.TEAM_MANAGER],
        # 5.4: "a random sample of 4 case files to be audited from their own teams": a
        # team manager's audits come from their own teams, as a rule, not a preference.
        "own_team_only_roles": [Role.TEAM_MANAGER],
        "other_area_roles": [Role.HEAD_OF_SERVICE, Role.SERVICE_MANAGER],
        "qa_check_percent": 10,
        "action_deadline_rule": ActionDeadlineRule.CALENDAR_DAYS,
        "action_deadline_days": 14,
    },
    # P&Q: allocated by the first working day (1); at most ten a year, so two months'
    # break (2); at most 20% on break (3); exemptions agreed by the Assistant Director or,
    # for QA staff, the Strategic Lead (4); due the last calendar day of the month (6); the
    # last 6 months (15); every finished audit checked, amendments back in 3 working days
    # (20); inadequate cases reviewed after 4 weeks and re-audited within two months (25).
    PolicyPreset.PQ: {
        "authority_name": "Performance and Quality Service authority",
        "audit_deadline_rule": AuditDeadlineRule.MONTH_END,
        "period_reviewed_months": 6,
        "yearly_cap": 10,
        "yearly_break_months": 2,
        "max_break_percent": 20,
        # 4: the Assistant Director for social care staff, the Strategic Lead for
        # Improvement, Performance and Quality for QA staff.
        "exemption_approver_roles": [Role.ASSISTANT_DIRECTOR],
        "qa_exemptions_by_strategic_lead": True,
        "qa_check_percent": 100,
        "amendment_working_days": 3,
        "reaudit_window_months": 2,
        "inadequate_review_weeks": 4,
        # P&Q sets no timescale for actions: the auditor's date stands, and the product's
        # default (25 working days) applies only where the audit sets none.
        "action_deadline_rule": ActionDeadlineRule.WORKING_DAYS,
        "action_deadline_days": 25,
        # 8: completed with input from the allocated worker unless impossible through
        # absence; 18-19: shared with worker, manager and IRO before it is finalised.
        "worker_input_before_submit": True,
        # 25-26: meeting, review after 4 weeks, re-audit within two months, until the case
        # is no longer inadequate.
        "inadequate_pathway": True,
        "action_own_date_stands": True,
    },
    # Bradford: every manager one audit a month, from teams they are not responsible for;
    # sent at the start of the month, due by its end, a reminder a week before with managers
    # copied (2); the most recent 6 months (3); actions with timescales set per action (2),
    # which stand; 20 working days (the product's choice) where the audit sets none.
    PolicyPreset.BRADFORD: {
        "authority_name": "City of Bradford Metropolitan District Council",
        "audit_deadline_rule": AuditDeadlineRule.MONTH_END,
        "period_reviewed_months": 6,
        "default_quota": 1,
        "reminder_lead_working_days": 5,
        "qa_check_percent": 10,
        "action_deadline_rule": ActionDeadlineRule.WORKING_DAYS,
        "action_deadline_days": 20,
        # 3: a disputed grade is reviewed by the Head of Service for Quality Assurance, the
        # actions by the Head of Service for the case-holding area.
        "dispute_route": DisputeRoute.HEADS_OF_SERVICE,
        # App. 1, "Sharing the audit": the team manager (with the worker), the service
        # manager, the CP co-ordinator or IRO, and the quality assurance and audit officer.
        "finished_audit_recipients": [
            FinishedAuditRecipient.TEAM_MANAGER,
            FinishedAuditRecipient.WORKER,
            FinishedAuditRecipient.SERVICE_MANAGER,
            FinishedAuditRecipient.IRO,
            FinishedAuditRecipient.QA_STAFF,
        ],
        # 2: "timescales" are set per action: the auditor's date stands, later or not.
        "action_own_date_stands": True,
    },
}


def preset_values(preset: str) -> dict[str, Any]:
    """Every Policy field value for a preset: the common defaults, then the seed's own."""
    if preset not in PRESETS:
        raise KeyError(f"No policy preset is called {preset!r}.")
    values = {**_COMMON, **PRESETS[preset], "preset": preset}
    values["quotas"] = {str(role): n for role, n in values["quotas"].items()}
    values["own_team_roles"] = [str(r) for r in values["own_team_roles"]]
    values["own_team_only_roles"] = [str(r) for r in values["own_team_only_roles"]]
    values["other_area_roles"] = [str(r) for r in values["other_area_roles"]]
    values["exemption_approver_roles"] = [str(r) for r in values["exemption_approver_roles"]]
    values["finished_audit_recipients"] = [str(r) for r in values["finished_audit_recipients"]]
    return values
