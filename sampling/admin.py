from django.contrib import admin

from .models import Case, NameMapping, Sample, Snapshot


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["external_id", "case_type", "team", "allocated_worker", "status"]
    list_filter = ["case_type", "status", "source_list", "audit_open", "team__service_area"]
    search_fields = ["external_id"]
    raw_id_fields = ["allocated_worker"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["file_name", "annex_list", "as_of", "status", "open_count", "created_at"]
    list_filter = ["annex_list", "status", "source"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NameMapping)
class NameMappingAdmin(admin.ModelAdmin):
    list_display = ["kind", "source_name", "team", "user", "mapped_by", "mapped_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "mapped_by"]


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "period", "status", "size", "seed"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Sample._meta.fields]

    def has_add_permission(self, request):
        return False
