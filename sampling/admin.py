"""The admin shows sampling's name mappings only. Cases, snapshots and samples are children's
records: administrators run the system and do not read them (issue 14); QA staff use the
pages."""

from django.contrib import admin

from .models import NameMapping


@admin.register(NameMapping)
class NameMappingAdmin(admin.ModelAdmin):
    list_display = ["kind", "source_name", "team", "user", "mapped_by", "mapped_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "mapped_by"]
