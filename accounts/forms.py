from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Policy, Role, Stratum


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("username", "password", Submit("submit", "Sign in"))


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Staff list (CSV)",
        help_text="Columns: email, full_name, role, team, service_area, line_manager_email, "
        "in_audit_pool.",
    )

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("file", Submit("submit", "Import staff"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file.")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB.")
        return upload


class PolicyForm(forms.ModelForm):
    """Every setting of the policy. Quotas get one box a role; lists get checkboxes."""

    strata = forms.MultipleChoiceField(
        choices=Stratum.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Stratify the monthly sample by",
    )
    own_team_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles that audit their own team's cases",
    )
    other_area_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles that audit only cases from another service area",
    )
    closure_days = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Closure days",
        help_text="One date a line, for example 2026-12-24. Bank holidays are already known.",
    )

    class Meta:
        model = Policy
        fields = [
            "authority_name",
            "audit_deadline_rule",
            "audit_deadline_working_days",
            "period_reviewed_months",
            "reminder_lead_working_days",
            "overdue_escalation_months",
            "qa_check_percent",
            "amendment_working_days",
            "reaudit_window_months",
            "inadequate_review_weeks",
            "sampling_working_day",
            "strata",
            "min_per_stratum",
            "lookback_months",
            "default_quota",
            "yearly_cap",
            "max_break_percent",
            "own_team_roles",
            "other_area_roles",
            "paired_percent",
            "paired_auditors",
            "allocate_without_review",
            "action_deadline_rule",
            "action_deadline_days",
            "action_reminder_working_days",
            "action_escalation_working_days",
            "compliance_review_months",
            "closure_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["closure_days"] = "\n".join(self.instance.closure_days)
        quota_fields = []
        for role in Role:
            name = f"quota_{role.value}"
            self.fields[name] = forms.IntegerField(
                label=f"{role.label}",
                min_value=0,
                max_value=20,
                required=False,
            )
            self.initial[name] = self.instance.quotas.get(role.value)
            quota_fields.append(name)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "authority_name",
                "audit_deadline_rule",
                "audit_deadline_working_days",
                "period_reviewed_months",
                "reminder_lead_working_days",
                "overdue_escalation_months",
                "qa_check_percent",
                "amendment_working_days",
                "reaudit_window_months",
                "inadequate_review_weeks",
                legend="Audits",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "sampling_working_day",
                "strata",
                "min_per_stratum",
                "lookback_months",
                "default_quota",
                "yearly_cap",
                "max_break_percent",
                "own_team_roles",
                "other_area_roles",
                "paired_percent",
                "paired_auditors",
                "allocate_without_review",
                legend="Sampling and allocation",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *quota_fields,
                legend="Monthly quotas by role (empty: the default quota)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "action_deadline_rule",
                "action_deadline_days",
                "action_reminder_working_days",
                "action_escalation_working_days",
                "compliance_review_months",
                "closure_days",
                legend="Remedial actions and the calendar",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Save policy"),
        )

    def clean_closure_days(self) -> list[str]:
        days = []
        for n, text in enumerate(self.cleaned_data["closure_days"].splitlines(), start=1):
            text = text.strip()
            if not text:
                continue
            try:
                days.append(dt.date.fromisoformat(text).isoformat())
            except ValueError:
                raise forms.ValidationError(
                    f"Line {n}: “{text}” is not a date like 2026-12-24."
                ) from None
        return sorted(set(days))

    def quotas(self) -> dict[str, int]:
        return {
            role.value: self.cleaned_data[f"quota_{role.value}"]
            for role in Role
            if self.cleaned_data.get(f"quota_{role.value}") is not None
        }
