from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from accounts.models import User

from .models import ActionPlanItem, Held


def _helper(*fields, button: str, form_tag: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.layout = Layout(*fields, Submit("submit", button))
    return helper


class FulfilForm(forms.Form):
    fulfilled_on = DateInputField(
        label="When was it done?",
        help_text="For example, 27 3 2027",
        require_all_fields=False,
    )
    note = forms.CharField(
        label="What was done (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = _helper(
            Field("fulfilled_on", legend_size=Size.SMALL),
            "note",
            button="Record that it was done",
        )

    def clean_fulfilled_on(self) -> dt.date:
        value = self.cleaned_data["fulfilled_on"]
        if value > self.today:
            raise forms.ValidationError("The date it was done must be today or in the past.")
        return value


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason."},
    )

    def __init__(self, *args, label: str, button: str, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].required = required
        self.helper = _helper("note", button=button)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Why can this action not be achieved?",
        help_text="For example, the information is held by a worker who has left. A service "
        "manager or strategic lead reads this before the action closes.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the action cannot be achieved."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason", button="Record the Management Decision")


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("authorise", "Authorise: the action closes"),
            ("refuse", "Refuse: the action reopens for the team"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you authorise or refuse the decision."},
    )
    note = forms.CharField(
        label="Note to the team manager",
        help_text="Needed if you refuse.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.MEDIUM), "note", button="Save decision"
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("note", "").strip():
            self.add_error("note", "Say why you refuse the decision.")
        return data


class CarrierForm(forms.Form):
    carrier = forms.ChoiceField(
        label="Who carries this action?",
        choices=[
            ("manager", "I do: the worker is absent for much of the time allowed"),
            ("worker", "The worker"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who carries the action."},
    )
    note = forms.CharField(
        label="Why (needed if you carry it)",
        required=False,
        max_length=500,
        widget=forms.TextInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("carrier", legend_size=Size.SMALL), "note", button="Save"
        )

    def clean(self):
        data = super().clean()
        if data.get("carrier") == "manager" and not data.get("note", "").strip():
            self.add_error("note", "Say why the worker cannot do it, for example long leave.")
        return data


class DisagreementForm(forms.Form):
    position = forms.CharField(
        label="What do you disagree with, and why?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what you disagree with, and why."},
    )
    safeguarding = forms.BooleanField(
        label="This is about a child's safety: refer it to the strategic lead now",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("position", "safeguarding", button="Record the disagreement")


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happens now?",
        choices=[
            ("resolve", "It is resolved"),
            ("refer", "We cannot resolve it: refer it to the strategic lead"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is resolved or referred."},
    )
    resolution = forms.CharField(
        label="How was it resolved?",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, may_refer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_refer:
            self.fields["outcome"].choices = [("resolve", "It is resolved")]
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.SMALL), "resolution", button="Save"
        )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "resolve" and not data.get("resolution", "").strip():
            self.add_error("resolution", "Say how it was resolved.")
        return data


class FollowUpForm(forms.Form):
    audit = forms.TypedChoiceField(
        label="Audit",
        coerce=int,
        error_messages={"required": "Choose the audit you looked at again."},
    )
    held = forms.ChoiceField(
        label="Has the improvement held?",
        choices=Held.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the improvement held."},
    )
    note = forms.CharField(
        label="What you found (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, audits: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audit"].choices = [("", "Choose an audit"), *audits]
        self.helper = _helper(
            "audit", Field.radios("held", legend_size=Size.SMALL), "note", button="Record"
        )


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = ActionPlanItem
        fields = [
            "title",
            "action",
            "taken_to_date",
            "responsible_officer",
            "completed_on",
            "approved_by",
        ]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 3}),
            "taken_to_date": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "Enter a title."},
            "action": {"required": "Enter the action to be taken."},
            "responsible_officer": {"required": "Choose the responsible officer."},
        }

    completed_on = DateInputField(label="Date completed", required=False, require_all_fields=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("full_name")
        self.fields["responsible_officer"].queryset = people
        self.fields["approved_by"].queryset = people
        self.fields["approved_by"].label = "Action approved by"
        self.fields["completed_on"].help_text = "For example, 27 3 2027"
        self.helper = _helper(
            "title",
            "action",
            "taken_to_date",
            "responsible_officer",
            Field("completed_on", legend_size=Size.SMALL),
            "approved_by",
            button="Save",
        )

    def clean(self):
        data = super().clean()
        if data.get("approved_by") and not data.get("completed_on"):
            self.add_error("completed_on", "Give the date completed before who approved it.")
        return data
