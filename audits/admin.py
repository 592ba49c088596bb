from django.contrib import admin

from .models import Allocation, AllocationHistory, AllocationRun, ExemptionRequest


class HistoryInline(admin.TabularInline):
    model = AllocationHistory
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "why"]


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    list_display = ["period", "status", "seed", "confirmed_at"]
    readonly_fields = ["sample", "seed", "unallocated", "notes", "proposed_at", "confirmed_at"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["case", "auditor", "period", "status", "deadline", "completed_at"]
    list_filter = ["status", "period"]
    search_fields = ["case__external_id", "auditor__full_name", "auditor__email"]
    raw_id_fields = ["run", "sample", "case", "auditor", "replaces"]
    inlines = [HistoryInline]


@admin.register(ExemptionRequest)
class ExemptionRequestAdmin(admin.ModelAdmin):
    list_display = ["allocation", "approver", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["allocation", "requested_by", "approver", "decided_by", "reallocated_to"]
