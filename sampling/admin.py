from django.contrib import admin

from .models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["external_id", "case_type", "team", "allocated_worker", "status"]
    list_filter = ["case_type", "status", "team__service_area"]
    search_fields = ["external_id"]
    raw_id_fields = ["allocated_worker"]
