"""The admin shows remediation's records for support; changes go through the pages, whose
services keep the history and tell people."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    ActionEvent,
    ActionPlanItem,
    ComplianceItem,
    ComplianceReview,
    Disagreement,
    FollowUp,
    ManagementDecision,
    RemedialAction,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ActionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "by", "at", "note")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RemedialAction)
class RemedialActionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "case", "team", "owner", "status", "due_on", "created_on")
    list_filter = ("status", "team")
    search_fields = ("case__external_id", "what")
    list_select_related = ("case", "team", "owner")
    inlines = [EventInline]


@admin.register(ManagementDecision)
class ManagementDecisionAdmin(ReadOnlyAdmin):
    list_display = ("action", "status", "recorded_by", "recorded_at", "decided_by")
    list_filter = ("status",)


@admin.register(Disagreement)
class DisagreementAdmin(ReadOnlyAdmin):
    list_display = ("action", "status", "raised_by", "referred_to", "safeguarding")
    list_filter = ("status", "safeguarding")


@admin.register(ComplianceReview)
class ComplianceReviewAdmin(ReadOnlyAdmin):
    list_display = ("month", "opened_on", "sent_on")


@admin.register(ComplianceItem)
class ComplianceItemAdmin(ReadOnlyAdmin):
    list_display = ("review", "action", "team", "status", "outstanding")
    list_filter = ("review", "outstanding")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("review", "audit", "held", "by", "at")


@admin.register(ActionPlanItem)
class ActionPlanItemAdmin(admin.ModelAdmin):
    list_display = ("title", "half_year", "responsible_officer", "completed_on", "approved_by")
    list_filter = ("half_year",)
