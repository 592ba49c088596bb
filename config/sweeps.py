"""Every scheduled sweep, in the order `run_sweeps` runs them.

Each entry names a service that takes `today` (a date) as a keyword argument and does what
is due as of that day. Beat runs each on its schedule through `config.tasks.run_sweep`;
`python manage.py run_sweeps --today YYYY-MM-DD` runs them all as of any date.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Literal

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sweep:
    name: str
    service: str
    every: Literal["day", "hour"] = "day"
    hour: int = 6
    minute: int = 0


SWEEPS: tuple[Sweep, ...] = (
    Sweep(
        "send-pending-notice-emails", "accounts.services.sweep_pending_notice_emails", "hour", 0, 5
    ),
    Sweep("access-log-retention", "accounts.access_log.sweep_access_log_retention", "day", 2, 10),
    Sweep("case-list-files", "sampling.retention.sweep_case_list_files", "day", 2, 20),
    Sweep("import-frame-folder", "sampling.services.sweep_import_frame_folder", "hour", 0, 20),
    # The year's rest months (P&Q 2-3), before the month's sample is sized and drawn.
    Sweep("year-plan", "accounts.services.sweep_year_plan", "day", 6, 15),
    Sweep("draft-monthly-sample", "sampling.services.sweep_draft_monthly_sample", "day", 6, 30),
    Sweep("propose-allocation", "audits.services.sweep_propose_allocation", "day", 7, 0),
    Sweep("allocation-reminders", "audits.services.sweep_allocation_reminders", "day", 7, 15),
    Sweep("allocation-overdue", "audits.services.sweep_overdue_allocations", "day", 7, 30),
    Sweep("amendments-overdue", "audits.services.sweep_amendments_overdue", "day", 7, 45),
    Sweep("inadequate-pathways", "audits.services.sweep_inadequate_pathways", "day", 8, 0),
    # Remedial actions (remediation): made from finished audits, following their cases,
    # reminded and escalated; the four-month compliance review opened and sent.
    Sweep("create-actions", "remediation.services.sweep_create_actions", "hour", 0, 35),
    Sweep(
        "actions-follow-case-team",
        "remediation.services.sweep_actions_follow_case_team",
        "hour",
        0,
        40,
    ),
    Sweep("case-action-prompts", "remediation.services.sweep_case_action_prompts", "day", 8, 10),
    Sweep("action-reminders", "remediation.services.sweep_action_reminders", "day", 8, 15),
    Sweep("actions-overdue", "remediation.services.sweep_actions_overdue", "day", 8, 20),
    Sweep("action-escalation", "remediation.services.sweep_action_escalation", "day", 8, 25),
    Sweep(
        "open-compliance-reviews",
        "remediation.services.sweep_open_compliance_reviews",
        "day",
        8,
        30,
    ),
    Sweep(
        "send-compliance-reviews",
        "remediation.services.sweep_send_compliance_reviews",
        "day",
        8,
        35,
    ),
    # Reporting: each month's report once every audit of the month is due.
    Sweep("monthly-reports", "reporting.reports.services.sweep_build_monthly_reports", "day", 9, 0),
    Sweep("month-summaries", "reporting.dashboard.summary.sweep_month_summaries", "day", 5, 30),
)


def get(name: str) -> Sweep:
    for sweep in SWEEPS:
        if sweep.name == name:
            return sweep
    raise KeyError(f"No sweep is called {name!r}.")


def run(name: str, *, today: dt.date) -> object:
    """Run one sweep as of `today` and record that it ran."""
    from accounts.services import sweep_run_record

    sweep = get(name)
    service = import_string(sweep.service)
    logger.info("sweep %s as of %s", name, today.isoformat())
    with sweep_run_record(name=name, today=today):
        return service(today=today)
