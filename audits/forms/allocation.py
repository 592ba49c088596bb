from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms

from accounts.models import User

DRAFT_CHOICES = [
    ("hand_on", "Hand the draft on: the new auditor carries on from it"),
    ("close", "Close the draft: the new auditor starts afresh; the draft is kept, read only"),
]


def _draft_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="A draft already begun",
        choices=DRAFT_CHOICES,
        initial="hand_on",
        widget=forms.RadioSelect,
        required=False,
    )


class MoveForm(forms.Form):
    auditor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Give the case to",
        empty_label="Choose an auditor",
        error_messages={"required": "Choose the auditor to give the case to."},
    )
    why = forms.CharField(
        label="Why (optional)", required=False, max_length=400, widget=forms.TextInput()
    )
    draft = _draft_field()

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = pool
        self.fields["auditor"].label_from_instance = lambda u: (
            f"{u.full_name} – {u.get_role_display()}, {u.team.name if u.team_id else u.area or ''}"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout("auditor", "why", "draft", Submit("submit", "Move the case"))


class ExemptionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why can you not complete this audit?",
        help_text="For example long leave or a conflict of interest. The person who agrees "
        "exemptions reads this.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "Enter why you cannot complete this audit."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout("reason", Submit("submit", "Ask for an exemption"))


class ExemptionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("agree", "Agree: the case is given to another auditor now"),
            ("refuse", "Refuse: the audit stays due"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you agree or refuse the exemption."},
    )
    note = forms.CharField(
        label="Note to the auditor (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    draft = _draft_field()

    def __init__(self, *args, deferment_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if deferment_allowed:  # Bury 7.2: deferment, dispensation or reallocation
            self.fields["decision"].choices = [
                *self.fields["decision"].choices,
                ("defer", "Defer: the audit moves to next month, with its case and auditor"),
            ]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout("decision", "note", "draft", Submit("submit", "Save decision"))
        self.fields["decision"].widget.attrs["legend_size"] = Size.MEDIUM


class PlaceForm(forms.Form):
    """QA staff give a case nobody holds to an auditor by hand."""

    auditor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Give the case to",
        empty_label="Choose an auditor",
        error_messages={"required": "Choose the auditor to give the case to."},
    )
    over_quota = forms.BooleanField(
        label="They may take it over their quota this month",
        required=False,
        help_text="Only where nobody eligible has room. They are still checked for conflicts "
        "and breaks.",
    )
    why = forms.CharField(
        label="Why (optional)", required=False, max_length=400, widget=forms.TextInput()
    )

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = pool
        self.fields["auditor"].label_from_instance = lambda u: (
            f"{u.full_name} – {u.get_role_display()}, {u.team.name if u.team_id else u.area or ''}"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout(
            "auditor", "over_quota", "why", Submit("submit", "Give the case")
        )
