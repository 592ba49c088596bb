"""Every write and rule of the accounts app. Import from here, not from the modules."""

from .breaks import break_request, break_withdraw
from .groups import persona_groups_ensure, user_sync_groups
from .notices import notice_mark_read, notice_send_email, notify, sweep_pending_notice_emails
from .organisation import service_area_set_strategic_lead
from .policy import policy_load_preset, policy_update
from .staff import StaffImportResult, staff_import
from .sweeps import sweep_run_record
from .year_plan import sweep_year_plan, year_plan_assign

__all__ = [
    "StaffImportResult",
    "break_request",
    "break_withdraw",
    "notice_mark_read",
    "notice_send_email",
    "notify",
    "persona_groups_ensure",
    "policy_load_preset",
    "service_area_set_strategic_lead",
    "policy_update",
    "staff_import",
    "sweep_pending_notice_emails",
    "sweep_run_record",
    "sweep_year_plan",
    "user_sync_groups",
    "year_plan_assign",
]
