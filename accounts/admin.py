from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import BreakRequest, Policy, ServiceArea, SweepRun, Team, User
from .services import user_sync_groups


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "team", "in_audit_pool", "is_active"]
    list_filter = ["role", "in_audit_pool", "is_active", "team__service_area"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["team", "line_manager", "service_area"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "team", "service_area", "line_manager"]}),
        ("Audit pool", {"fields": ["in_audit_pool"]}),
        # Access follows the role (user_sync_groups); nobody is made a superuser here.
        ("Access", {"fields": ["is_active"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Nobody gives themselves another role (and with it another persona's access).
        if obj is not None and obj.pk == request.user.pk:
            return ["role", "is_active", "in_audit_pool"]
        return []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_sync_groups(user=obj)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "service_area", "manager"]
    list_filter = ["service_area"]
    search_fields = ["name"]
    autocomplete_fields = ["manager"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "head_of_service", "strategic_lead"]
    search_fields = ["name"]
    autocomplete_fields = ["head_of_service", "strategic_lead"]


admin.site.register(Policy)

# Notices are not here: their subjects and bodies name children's cases (issue 14).


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ["name", "today", "started_at", "finished_at"]
    list_filter = ["name"]


@admin.register(BreakRequest)
class BreakRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "month", "status", "requested_at"]
    list_filter = ["status", "month"]
    raw_id_fields = ["user", "withdrawn_by"]
