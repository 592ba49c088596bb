"""Forms for the audit pages. Each validates; the services hold the rules."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms

from accounts.models import User

from ..models import ChildFamilyViews, ContactRole, Outcomes, ThemeTag


def _helper(*fields, button: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    items = list(fields)
    if button:
        items.append(Submit("submit", button))
    helper.layout = Layout(*items)
    return helper


def _choices(levels: list[dict]) -> list[tuple[str, str]]:
    return [(level["value"], level["label"]) for level in levels]


class SectionForm(forms.Form):
    """One section: a grade on its scale and the evidence for it."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    grade = forms.ChoiceField(widget=forms.RadioSelect, required=False)
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        label="Evidence",
        help_text="What in the file supports the grade. Do not retell the story of the case.",
    )

    def __init__(self, *args, levels: list[dict], title: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = _choices(levels)
        self.fields["grade"].label = "Grade"
        self.descriptors = {level["value"]: level.get("descriptor", "") for level in levels}
        self.title = title

    def grade_options(self) -> list[dict]:
        """Each grade as the page shows it: its value, label, descriptor and whether it is
        chosen (worked out here once, not in the template for each grade)."""
        chosen = self["grade"].value()
        return [
            {
                "value": value,
                "label": label,
                "hint": self.descriptors.get(value, ""),
                "checked": chosen == value,
            }
            for value, label in self.fields["grade"].choices
        ]


class ViewsForm(forms.Form):
    """Child and family views (Hillingdon 2.3-2.8)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    contacted = forms.ChoiceField(
        label="Who did you speak to?",
        choices=ChildFamilyViews.Contacted.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent = forms.ChoiceField(
        label="Was consent sought to take part?",
        choices=ChildFamilyViews.Consent.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    parent_consent_before_child = forms.TypedChoiceField(
        label="For a child in need or on a child protection plan: did a parent consent before "
        "you spoke to the child?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "Does not apply")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )
    views = forms.CharField(
        label="Their views, in their own words",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    not_contacted_reason = forms.CharField(
        label="If no one was contacted, why not",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class OverallForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    overall_grade = forms.ChoiceField(
        label="Overall grade", widget=forms.RadioSelect, required=False
    )
    outcomes_met = forms.ChoiceField(
        label="Are the child's outcomes met?",
        choices=Outcomes.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    overall_reason = forms.CharField(
        label="Reasons for the grade", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    good_elements = forms.CharField(
        label="Elements of good practice",
        help_text="Needed when the case requires improvement with elements of good practice.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    strengths = forms.CharField(
        label="Strengths and good practice",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    learning = forms.CharField(
        label="Organisational learning", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=ThemeTag.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, levels: list[dict], outcomes: bool, good_elements: bool, **kw):
        super().__init__(*args, **kw)
        self.fields["overall_grade"].choices = _choices(levels)
        if not outcomes:
            del self.fields["outcomes_met"]
        if not good_elements:
            del self.fields["good_elements"]


class ActionForm(forms.Form):
    what = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what is to be done"},
    )
    who = forms.CharField(
        label="Who is to do it", max_length=200, error_messages={"required": "Say who"}
    )
    due_on = forms.DateField(
        label="By when",
        help_text="For example, 27 3 2026 or 2026-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Say by when", "invalid": "Enter a real date"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("what", "who", "due_on", button="Add the action")


class ConversationForm(forms.Form):
    role = forms.ChoiceField(
        label="With",
        choices=ContactRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who the conversation was with"},
    )
    on = forms.DateField(
        label="Date",
        help_text="For example, 2026-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    answered = forms.TypedChoiceField(
        label="Did it happen?",
        choices=[("yes", "Yes, we spoke"), ("no", "No answer to my request")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you spoke"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("role", "on", "answered", "notes", button="Record it")


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your comment"},
    )
    challenge = forms.BooleanField(
        label="This is a challenge to the audit's findings or grade", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("body", "challenge", button="Send")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="What needs to change", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class EscalateForm(forms.Form):
    about = forms.ChoiceField(
        label="What do you disagree with?",
        choices=[("grade", "The grade"), ("actions", "The actions")],
        widget=forms.RadioSelect,
        initial="grade",
        required=False,
    )
    reason = forms.CharField(
        label="What could you not agree with the auditor?",
        help_text="The moderator reads this with your challenge.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("about", "reason", button="Ask for moderation")


class SupervisionForm(forms.Form):
    on = forms.DateField(
        label="Date of the supervision",
        help_text="For example, 2026-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("on", "note", button="Record the supervision")


class ModeratorForm(forms.Form):
    moderator = forms.ModelChoiceField(
        label="Moderator",
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        empty_label="Choose a senior manager",
        error_messages={"required": "Choose a moderator"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("moderator", button="Ask them to moderate")


class ReviewSessionForm(forms.Form):
    findings = forms.CharField(
        label="What the review session found",
        help_text="The auditor, social worker and team manager discussed the findings and "
        "reviewed the grading together.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    agreed = forms.TypedChoiceField(
        label="Did you reach agreement?",
        choices=[
            ("yes", "Yes: I will change the audit as agreed"),
            ("no", "No: ask the head of service to mediate"),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you reached agreement"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("findings", "agreed", button="Record the review session")


class ModerationDecisionForm(forms.Form):
    overall_grade = forms.ChoiceField(
        label="Overall grade",
        widget=forms.RadioSelect,
        required=False,
        help_text="Leave it as it was for a review of the actions alone.",
    )
    actions_decision = forms.CharField(
        label="Decision on the actions", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reasons"},
    )

    def __init__(self, *args, levels: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall_grade"].choices = _choices(levels)
        self.helper = _helper(
            "overall_grade", "actions_decision", "reasons", button="Record the final decision"
        )


class SafeguardingForm(forms.Form):
    concern = forms.CharField(
        label="What is the concern for the child's safety?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the concern"},
    )
    action_taken = forms.CharField(
        label="What have you done about it already? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("concern", "action_taken", button="Send the concern now")


class IROForm(forms.Form):
    iro = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="IRO or CP chair",
        empty_label="The child has none",
        help_text="They can read the draft and comment on it or challenge it before it is final.",
    )

    def __init__(self, *args, **kwargs):
        from accounts.models import Role, User

        super().__init__(*args, **kwargs)
        self.fields["iro"].queryset = User.objects.filter(role=Role.IRO, is_active=True).order_by(
            "full_name"
        )
        self.helper = _helper("iro", button="Save")


class PathwayRecordForm(forms.Form):
    """The meeting after an inadequate grade, or the review four weeks on (P&Q 25)."""

    on = forms.DateField(
        label="Date it was held",
        help_text="For example, 2026-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    note = forms.CharField(
        label="What was agreed", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, part: str, **kwargs):
        super().__init__(*args, prefix=part, **kwargs)
        if part == "review":
            self.fields["note"].label = "What the review found"
        self.helper = _helper(
            "on", "note", button="Record the review" if part == "review" else "Record the meeting"
        )
