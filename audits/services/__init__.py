"""Every write and rule of the audits app. Import from here, not from the modules."""

from .allocation import (
    allocation_confirm,
    allocation_mark_completed,
    allocation_mark_started,
    allocation_move,
    allocation_propose,
    allocation_transition,
)
from .exemptions import exemption_decide, exemption_request
from .sweeps import (
    sweep_allocation_reminders,
    sweep_overdue_allocations,
    sweep_propose_allocation,
)

__all__ = [
    "allocation_confirm",
    "allocation_mark_completed",
    "allocation_mark_started",
    "allocation_move",
    "allocation_propose",
    "allocation_transition",
    "exemption_decide",
    "exemption_request",
    "sweep_allocation_reminders",
    "sweep_overdue_allocations",
    "sweep_propose_allocation",
]
