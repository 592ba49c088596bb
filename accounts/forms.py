from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from .models import FinishedAuditRecipient, Policy, Role, Stratum, User
from .selectors import months_ahead
from .widgets import use_govuk_number_inputs


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password",
    }

    def get_invalid_login_error(self):
        from .backends import may_use_password

        if not may_use_password(self.cleaned_data.get("username")):
            return forms.ValidationError(
                "Sign in with your organisation's account. Passwords are only for the named "
                "emergency accounts.",
                code="sso_only",
            )
        return super().get_invalid_login_error()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page writes the form element (with `next`); the helper must not nest another.
        self.helper.form_tag = False
        self.helper.layout = Layout("username", "password", Submit("submit", "Sign in"))


class PasswordResetRequestForm(PasswordResetForm):
    """Ask for a reset link. The page says the same whether or not the address is known."""

    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("email", Submit("submit", "Send the link"))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from django.conf import settings

        context = {
            **context,
            "site_url": settings.SITE_URL,
            "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SetPasswordGovForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "new_password1", "new_password2", Submit("submit", "Save the new password")
        )


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Staff list (CSV or Excel .xlsx)",
        help_text="Columns: email, full_name, role, team, service_area, line_manager_email, "
        "in_audit_pool.",
    )

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout("file", Submit("submit", "Import staff"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV file or an Excel .xlsx.")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB.")
        return upload


# The policy page's sections, in order; each name is a Policy field.
POLICY_FIELDSETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Audits",
        (
            "authority_name",
            "audit_deadline_rule",
            "audit_deadline_working_days",
            "period_reviewed_months",
            "reminder_lead_working_days",
            "overdue_escalation_months",
            "qa_check_percent",
            "amendment_working_days",
            "dispute_route",
            "qa_head_of_service",
            "inadequate_pathway",
            "reaudit_window_months",
            "inadequate_review_weeks",
            "worker_input_before_submit",
            "finished_audit_recipients",
        ),
    ),
    (
        "Sampling and allocation",
        (
            "sampling_working_day",
            "strata",
            "min_per_stratum",
            "lookback_months",
            "default_quota",
            "yearly_cap",
            "max_break_percent",
            "own_team_roles",
            "own_team_only_roles",
            "other_area_roles",
            "paired_percent",
            "paired_auditors",
            "allocate_without_review",
            "yearly_break_months",
            "exemption_approver_roles",
            "qa_exemptions_by_strategic_lead",
            "deferment_allowed",
        ),
    ),
    (
        "Remedial actions and the calendar",
        (
            "action_deadline_rule",
            "action_deadline_days",
            "action_own_date_stands",
            "action_reminder_working_days",
            "action_escalation_working_days",
            "compliance_review_months",
            "closure_days",
        ),
    ),
)


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
    own_team_only_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles that audit only their own team's cases",
    )
    other_area_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles that audit only cases from another service area",
    )
    exemption_approver_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles that agree exemptions from an allocated audit",
    )
    finished_audit_recipients = forms.MultipleChoiceField(
        choices=FinishedAuditRecipient.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Who is sent a finished audit",
    )
    closure_days = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Closure days",
        help_text="One date a line, for example 2026-12-24. Bank holidays are already known.",
    )

    class Meta:
        model = Policy
        fields = [name for _legend, names in POLICY_FIELDSETS for name in names]
        labels = {
            "audit_deadline_rule": "Audit deadline",
            "audit_deadline_working_days": "Working days to complete an audit",
            "period_reviewed_months": "Months of the record reviewed",
            "reminder_lead_working_days": "Reminder, working days before the deadline",
            "overdue_escalation_months": "Months overdue in a row before escalation",
            "qa_check_percent": "Share of finished audits QA staff check (%)",
            "amendment_working_days": "Working days to return an amended audit",
            "reaudit_window_months": "Months within which an inadequate case is re-audited",
            "inadequate_review_weeks": "Weeks to the review of an inadequate audit",
            "sampling_working_day": "Working day of the month the sample is drawn",
            "min_per_stratum": "Fewest cases drawn from a stratum",
            "lookback_months": "Months since an earlier audit before a case is sampled again",
            "default_quota": "Monthly audits for each pool member (default)",
            "yearly_cap": "Most audits a pool member does in a year",
            "max_break_percent": "Most of the pool on break in a month (%)",
            "paired_percent": "Share of cases audited by two or more auditors (%)",
            "paired_auditors": "Auditors on a paired audit",
            "allocate_without_review": "Send the allocation without QA review",
            "deferment_allowed": "The approver may defer an audit to next month",
            "action_deadline_rule": "Remedial action deadline",
            "action_deadline_days": "Days to complete a remedial action",
            "action_own_date_stands": "The audit's own date for an action stands, even if later",
            "action_reminder_working_days": "Action reminder, working days before it is due",
            "action_escalation_working_days": "Working days overdue before the strategic lead "
            "is told",
            "compliance_review_months": "Months until the compliance review of actions",
        }

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
        use_govuk_number_inputs(self)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        fieldsets = [
            Fieldset(*names, legend=legend, legend_size=Size.MEDIUM)
            for legend, names in POLICY_FIELDSETS
        ]
        quotas = Fieldset(
            *quota_fields,
            legend="Monthly quotas by role (empty: the default quota)",
            legend_size=Size.MEDIUM,
        )
        # The quotas sit after sampling and allocation, before remedial actions.
        self.helper.layout = Layout(
            *fieldsets[:2],
            quotas,
            *fieldsets[2:],
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


class BreakRequestForm(forms.Form):
    """A month off auditing (P&Q 2): only months that have not begun can be chosen."""

    month = forms.TypedChoiceField(
        label="Which month do you need off auditing?",
        coerce=dt.date.fromisoformat,
        error_messages={"required": "Choose the month you need off auditing."},
    )
    reason = forms.CharField(
        label="Reason (optional)",
        help_text="For example annual leave. Your head of service and QA staff see this.",
        required=False,
        max_length=500,
        widget=forms.TextInput(),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Choose a month")] + [
            (m.isoformat(), f"{m:%B %Y}") for m in months_ahead(today)
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout("month", "reason", Submit("submit", "Ask for the break"))


class StrategicLeadForm(forms.Form):
    lead = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Strategic lead",
        empty_label="No strategic lead",
        help_text="Told at once of any safeguarding concern raised about a case in this area.",
    )

    def __init__(self, *args, **kwargs):
        from .selectors import strategic_lead_candidates

        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = strategic_lead_candidates()
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout("lead", Submit("submit", "Save strategic lead"))


class AccessLogFilterForm(forms.Form):
    """Whose access, over which days (issue 14)."""

    person = forms.ModelChoiceField(
        queryset=User.objects.order_by("full_name").only("full_name", "email"),
        required=False,
        empty_label="Everyone",
        label="Person",
    )
    start = DateInputField(label="From", help_text="For example, 2 11 2026")
    end = DateInputField(label="To", help_text="For example, 30 11 2026")

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"
        self.initial.setdefault("start", today - dt.timedelta(days=30))
        self.initial.setdefault("end", today)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout("person", "start", "end", Submit("submit", "Show access"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be on or after the start date.")
        return data
