from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Layout, Submit
from django import forms

from accounts.models import ServiceArea, Team, User

from .models import AgeBand, AnnexList, CaseType
from .selectors import months_confirmed
from .services.folder import date_from_name, list_from_name
from .services.frame_intake import max_bytes


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    """Last month, this month and the next two, as YYYY-MM."""
    choices = []
    first = today.replace(day=1)
    for offset in (-1, 0, 1, 2):
        month = first.month - 1 + offset
        day = dt.date(first.year + month // 12, month % 12 + 1, 1)
        choices.append((day.strftime("%Y-%m"), day.strftime("%B %Y")))
    return choices


def parse_month(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y-%m").date()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files from one chooser; cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class FrameUploadForm(forms.Form):
    file = MultipleFileField(
        label="Case lists",
        help_text=(
            "This week's Annex A lists as CSV or Excel (.xlsx), or the one workbook of every "
            "list. Choose several files at once if you have them."
        ),
    )
    as_of = DateInputField(
        label="The date the lists describe (optional)",
        help_text=(
            "Leave it empty to take each file's date from its name (2026-11-02 or "
            "02-11-2026), or else today."
        ),
        required=False,
    )
    annex_list = forms.ChoiceField(
        label="Which list is it?",
        help_text="Only for a single file whose name and columns do not say.",
        choices=[("", "Work it out from the name and columns"), *AnnexList.choices],
        required=False,
    )
    complete = forms.BooleanField(
        label="These are whole lists: close cases that are missing from them",
        required=False,
        initial=True,
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        # The chooser and the button first; the rarely needed options folded below them.
        self.helper.layout = Layout(
            "file",
            Submit("submit", "Import the lists"),
            HTML(
                '<details class="govuk-details"{% if form.as_of.errors or '
                'form.annex_list.errors %} open{% endif %}><summary class="govuk-details__'
                'summary"><span class="govuk-details__summary-text">Date, list and closing '
                'options</span></summary><div class="govuk-details__text">'
            ),
            "as_of",
            "annex_list",
            "complete",
            HTML("</div></details>"),
        )

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        limit = max_bytes()
        for upload in uploads:
            if not upload.name.lower().endswith((".csv", ".xlsx")):
                raise forms.ValidationError(
                    f"{upload.name} must be a CSV or an .xlsx file. Nothing was imported."
                )
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} must be smaller than {limit // (1024 * 1024)} MB. "
                    "Nothing was imported."
                )
        return uploads

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        if day and day > self.today:
            raise forms.ValidationError("The date of the list must be today or in the past.")
        return day

    def clean(self):
        data = super().clean()
        if data.get("annex_list") and len(data.get("file") or []) > 1:
            self.add_error(
                "annex_list",
                "Leave the list to be worked out when you upload several files: each file's "
                "name or columns say which list it is.",
            )
        if data.get("file") and not self.errors:
            for day, _, upload in self.dated_files():
                if day > self.today:
                    self.add_error(
                        "file",
                        f"The name of {upload.name} gives a date after today: rename it, or "
                        "enter the date of the lists.",
                    )
        return data

    @property
    def many(self) -> bool:
        return len(self.cleaned_data.get("file") or []) > 1

    def dated_files(self) -> list[tuple[dt.date, str, object]]:
        """Each file with its date (typed, else from its name, else today) and list (chosen,
        else from its name), oldest first, so lists of one kind go in in date order."""
        typed = self.cleaned_data.get("as_of")
        chosen = self.cleaned_data.get("annex_list") or None
        dated = []
        for upload in self.cleaned_data["file"]:
            day = typed or date_from_name(upload.name) or self.today
            dated.append((day, chosen or list_from_name(upload.name.rsplit(".", 1)[0]), upload))
        return sorted(dated, key=lambda item: (item[0], item[2].name))


def months_needing_sample(today: dt.date) -> list[tuple[str, str]]:
    """The month menu of the draw: last month to two ahead, less the months whose sample is
    confirmed, so it starts at the first month that needs a sample."""
    choices = month_choices(today)
    done = months_confirmed(periods=[parse_month(value) for value, _ in choices])
    return [(value, label) for value, label in choices if parse_month(value) not in done]


class DrawMonthlyForm(forms.Form):
    period = forms.ChoiceField(label="Month")

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        choices = months_needing_sample(today)
        this_month = today.strftime("%Y-%m")
        # Any of the four months is accepted (a confirmed one opens its sample); the menu
        # offers only those that still need one.
        self.fields["period"].choices = month_choices(today)
        self.fields["period"].widget.choices = choices
        # The first month from this one on that still needs its sample.
        ahead = [value for value, _ in choices if value >= this_month]
        self.initial.setdefault("period", ahead[0] if ahead else this_month)
        self.needs_none = not choices
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout("period", Submit("submit", "Draw the monthly sample"))

    def clean_period(self) -> dt.date:
        return parse_month(self.cleaned_data["period"])


class RedrawForm(forms.Form):
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="Leave empty for a new random seed. Enter a seed to repeat a draw.",
        required=False,
        min_value=0,
        max_value=2**62,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "seed", Submit("submit", "Draw again", css_class="govuk-button--secondary")
        )


class NameMapForm(forms.Form):
    source_name = forms.CharField(widget=forms.HiddenInput, max_length=150)
    kind = forms.ChoiceField(
        choices=[("team", "Team"), ("worker", "Worker")], widget=forms.HiddenInput
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("full_name")

    def clean(self):
        data = super().clean()
        if data.get("kind") == "team" and not data.get("team"):
            self.add_error("team", "Choose the team this name means.")
        if data.get("kind") == "worker" and not data.get("user"):
            self.add_error("user", "Choose the person this name means.")
        return data


class ThematicForm(forms.Form):
    name = forms.CharField(
        label="Name of the theme", max_length=200, help_text="For example, Neglect in under 5s."
    )
    period = forms.ChoiceField(label="Month of the audits")
    size = forms.IntegerField(label="How many cases", min_value=1, max_value=2000)
    case_types = forms.MultipleChoiceField(
        label="Case types",
        choices=CaseType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all empty for every case type.",
    )
    service_areas = forms.ModelMultipleChoiceField(
        label="Service areas",
        queryset=ServiceArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams",
        queryset=Team.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    age_bands = forms.MultipleChoiceField(
        label="Age bands",
        choices=AgeBand.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    disability = forms.ChoiceField(
        label="Disability",
        choices=[("", "Any"), ("yes", "Children with a disability"), ("no", "Without")],
        widget=forms.RadioSelect,
        required=False,
    )
    legal_status = forms.CharField(
        label="Legal status contains",
        required=False,
        max_length=80,
        help_text="For example, Section 20 or C2.",
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = month_choices(today)
        self.initial.setdefault("period", today.strftime("%Y-%m"))
        self.fields["service_areas"].queryset = ServiceArea.objects.order_by("name")
        self.fields["teams"].queryset = Team.objects.order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page writes the form element
        self.helper.layout = Layout(
            "name",
            "period",
            "size",
            "case_types",
            "service_areas",
            "teams",
            "age_bands",
            "disability",
            "legal_status",
            Submit("submit", "Draw the thematic sample"),
        )

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "case_types": list(data["case_types"]),
            "service_areas": [a.pk for a in data["service_areas"]],
            "teams": [t.pk for t in data["teams"]],
            "age_bands": list(data["age_bands"]),
            "disability": data["disability"],
            "legal_status": data["legal_status"].strip(),
        }
