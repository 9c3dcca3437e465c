from django import forms

from alerts.models import Frequency
from linkup.forms import GovUKMessagesMixin, HoneypotMixin

FREQUENCY_MESSAGE = "Select how often you want to get e-mails"


def frequency_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How often do you want to get e-mails?",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": FREQUENCY_MESSAGE, "invalid_choice": FREQUENCY_MESSAGE},
    )


class SignUpForm(GovUKMessagesMixin, HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="We will only use it to send you these alerts. You can stop them at any time.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
            "max_length": "Enter an e-mail address in the correct format, like name@example.gov.uk",
        },
    )
    frequency = frequency_field()
    field_order = ["email", "frequency", "website"]


class FrequencyForm(GovUKMessagesMixin, forms.Form):
    frequency = frequency_field()
