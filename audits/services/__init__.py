"""Every write and rule of the audits app. Import from here, not from the modules."""

from .allocation import (
    allocation_confirm,
    allocation_mark_completed,
    allocation_mark_started,
    allocation_move,
    allocation_place,
    allocation_propose,
    allocation_transition,
)
from .audit_form import (
    action_add,
    action_remove,
    audit_set_iro,
    audit_share_for_comment,
    audit_start,
    audit_submit,
    audit_take_back,
    contact_escalate,
    conversation_add,
    overall_save,
    section_save,
    views_save,
    worker_input_missing_record,
)
from .challenge import (
    challenge_escalate,
    challenge_respond,
    comment_add,
    moderation_assign,
    moderation_decide,
    moderation_request,
    review_session_record,
)
from .exemptions import exemption_decide, exemption_request
from .forms import form_draft, form_draft_edit, form_make_current, form_preset_load, form_publish
from .inadequate import (
    pathway_meeting_record,
    pathway_review_record,
    sweep_inadequate_pathways,
)
from .paired import consensus_record
from .pdf import audit_pdf
from .qa_grades import qa_check_decide
from .routing import (
    audit_close,
    qa_accept,
    qa_return,
    supervision_record,
    sweep_amendments_overdue,
)
from .safeguarding import safeguarding_raise
from .sending import allocation_confirm_enqueue, allocation_confirm_queued
from .sweeps import (
    sweep_allocation_reminders,
    sweep_overdue_allocations,
    sweep_propose_allocation,
)
from .thematic import allocation_propose_thematic
from .themes import theme_add, theme_set_active
from .transition import audit_transition

__all__ = [
    "form_draft_edit",
    "theme_add",
    "theme_set_active",
    "action_add",
    "action_remove",
    "allocation_confirm",
    "allocation_confirm_enqueue",
    "allocation_confirm_queued",
    "allocation_mark_completed",
    "allocation_mark_started",
    "allocation_move",
    "allocation_place",
    "allocation_propose",
    "allocation_propose_thematic",
    "allocation_transition",
    "audit_close",
    "audit_pdf",
    "audit_set_iro",
    "audit_share_for_comment",
    "audit_start",
    "audit_submit",
    "audit_take_back",
    "audit_transition",
    "challenge_respond",
    "comment_add",
    "consensus_record",
    "contact_escalate",
    "conversation_add",
    "exemption_decide",
    "exemption_request",
    "form_draft",
    "form_make_current",
    "form_preset_load",
    "form_publish",
    "challenge_escalate",
    "moderation_assign",
    "moderation_decide",
    "moderation_request",
    "review_session_record",
    "overall_save",
    "pathway_meeting_record",
    "pathway_review_record",
    "qa_accept",
    "qa_check_decide",
    "qa_return",
    "safeguarding_raise",
    "section_save",
    "supervision_record",
    "sweep_allocation_reminders",
    "sweep_amendments_overdue",
    "sweep_inadequate_pathways",
    "sweep_overdue_allocations",
    "sweep_propose_allocation",
    "views_save",
    "worker_input_missing_record",
]
