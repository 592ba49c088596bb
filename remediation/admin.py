"""The admin shows the six-monthly action plan only (themes, not children). Remedial actions,
decisions, disagreements and reviews name children's cases: administrators do not read them
(issue 14); the pages do, for the people who may."""

from __future__ import annotations

from django.contrib import admin

from .models import ActionPlanItem


@admin.register(ActionPlanItem)
class ActionPlanItemAdmin(admin.ModelAdmin):
    list_display = ("title", "half_year", "responsible_officer", "completed_on", "approved_by")
    list_filter = ("half_year",)
