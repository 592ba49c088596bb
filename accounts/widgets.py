"""Form widgets that render the GOV.UK Design System way."""

from __future__ import annotations

from django import forms


class NumberInput(forms.TextInput):
    """A whole number: a text input with a numeric keyboard, as GOV.UK advises, not
    <input type=number>, whose spinners and scroll-to-change lose people's data."""

    def __init__(self, width: int = 4, attrs: dict | None = None):
        defaults = {
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": f"govuk-input govuk-input--width-{width}",
        }
        super().__init__(attrs={**defaults, **(attrs or {})})


def use_govuk_number_inputs(form: forms.BaseForm) -> None:
    """Give every integer field of a form the GOV.UK number input."""
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField) and not isinstance(field.widget, NumberInput):
            field.widget = NumberInput()
