"""The admin shows the audit forms and learning themes only. Allocations, audits, grades,
actions, safeguarding concerns, QA checks and pathways name children's cases:
administrators do not read them (issue 14); the pages do, for the people who may."""

from django.contrib import admin

from .models import FormTemplate, FormVersion, ThemeTag


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "is_current"]


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["template", "number", "status", "published_at"]
    list_filter = ["status", "template"]
    readonly_fields = ["definition"]


admin.site.register(ThemeTag)
