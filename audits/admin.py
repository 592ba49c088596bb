from django.contrib import admin

from .models import (
    Allocation,
    AllocationHistory,
    AllocationRun,
    Audit,
    AuditEvent,
    ExemptionRequest,
    FormTemplate,
    FormVersion,
    InadequatePathway,
    QACheck,
    SafeguardingConcern,
    SectionAnswer,
    SmartAction,
    ThemeTag,
)


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


class AuditEventInline(admin.TabularInline):
    model = AuditEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "why"]


class SectionAnswerInline(admin.TabularInline):
    model = SectionAnswer
    extra = 0
    fields = ["key", "grade", "status", "revision"]
    readonly_fields = fields


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ["allocation", "status", "overall_grade", "submitted_at", "closed_at"]
    list_filter = ["status", "overall_grade"]
    search_fields = ["allocation__case__external_id", "allocation__auditor__full_name"]
    raw_id_fields = ["allocation", "form_version", "iro"]
    inlines = [SectionAnswerInline, AuditEventInline]


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "is_current"]


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["template", "number", "status", "published_at"]
    list_filter = ["status", "template"]
    readonly_fields = ["definition"]


@admin.register(SmartAction)
class SmartActionAdmin(admin.ModelAdmin):
    list_display = ["audit", "who", "due_on"]
    raw_id_fields = ["audit", "created_by"]


@admin.register(SafeguardingConcern)
class SafeguardingConcernAdmin(admin.ModelAdmin):
    list_display = ["audit", "raised_by", "raised_at"]
    raw_id_fields = ["audit", "raised_by"]


@admin.register(QACheck)
class QACheckAdmin(admin.ModelAdmin):
    list_display = ["audit", "outcome", "by", "at", "due_on"]
    raw_id_fields = ["audit", "by"]


@admin.register(InadequatePathway)
class InadequatePathwayAdmin(admin.ModelAdmin):
    list_display = ["case", "cycle", "status", "review_due", "reaudit_due"]
    list_filter = ["status"]
    raw_id_fields = ["case", "audit", "previous"]


admin.site.register(ThemeTag)
