from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings

from .models import KeyReader


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What will use the key, for example “Power BI: quality dashboard”.",
        error_messages={"required": "Enter a name for the key."},
    )
    reads_as = forms.ChoiceField(
        label="Reads as",
        choices=KeyReader.choices,
        initial=KeyReader.SENIOR_MANAGER,
        widget=forms.RadioSelect,
        help_text="What the key may see. Only QA staff see staff names and completion by auditor.",
    )
    expires_on = DateInputField(
        label="Expiry date",
        help_text="The key stops working after this day. For example, 31 3 2027",
        require_all_fields=False,
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "name",
            Field.radios("reads_as", legend_size=Size.SMALL),
            Field("expires_on", legend_size=Size.SMALL),
            Submit("submit", "Create key"),
        )

    def clean_expires_on(self) -> dt.date:
        value = self.cleaned_data["expires_on"]
        latest = self.today + dt.timedelta(days=settings.API_KEY_MAX_DAYS)
        if value < self.today:
            raise forms.ValidationError("The expiry date must be today or in the future.")
        if value > latest:
            raise forms.ValidationError(
                f"A key may last at most {settings.API_KEY_MAX_DAYS} days: the expiry date "
                f"must be on or before {latest:%-d %B %Y}."
            )
        return value
