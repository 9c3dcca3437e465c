"""The one form behind "Is this page useful?" and "Report a problem with
this page"."""

from __future__ import annotations

import re

from django import forms

from linkup.forms import GovUKMessagesMixin, HoneypotMixin, long_text
from linkup.safeguarding import has_contact_details

from .models import Problem

DETAILS_MAX_LENGTH = 1200
CONTACT_DETAILS_IN_DETAILS = (
    "Remove the e-mail address or phone number from what you tell us. "
    "If you would like a reply, put your e-mail address in the box for it"
)
# A page of this site: one leading slash (two would be another site), no
# backslash (some browsers read it as a slash), no spaces or control characters.
LOCAL_PATH = re.compile(r"/(?![/\\])[^\\\s\x00-\x1f\x7f]*")


class FeedbackStartForm(forms.Form):
    """Which page the feedback is about and the answer given in the block
    ("yes", "no", or none for "Report a problem"): both come from the link
    or the hidden fields, so a bad value is a bad request, not a question
    for the visitor."""

    page = forms.CharField(max_length=300, widget=forms.HiddenInput)
    useful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], required=False, widget=forms.HiddenInput
    )

    def clean_page(self):
        page = self.cleaned_data["page"]
        if not LOCAL_PATH.fullmatch(page):
            raise forms.ValidationError("Not a page of this site")
        return page

    @property
    def answer(self) -> str:
        return self.cleaned_data.get("useful", "") if self.is_bound else self.initial.get("useful", "")


class FeedbackForm(GovUKMessagesMixin, HoneypotMixin, FeedbackStartForm):
    field_order = ["page", "useful", "problem", "details", "email", "website"]

    problem = forms.ChoiceField(
        label="What is wrong with this page?",
        choices=Problem.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select what is wrong with this page"},
    )
    details = long_text(
        "Tell us more (optional)",
        max_length=DETAILS_MAX_LENGTH,
        required=False,
        rows=4,
        too_long=f"What you tell us must be {DETAILS_MAX_LENGTH} characters or fewer",
        help_text="Do not include names, addresses or anything else that could identify a person "
        "you support.",
    )
    email = forms.EmailField(
        label="Your e-mail address (optional)",
        help_text="Only if you would like us to be able to reply. We use it for nothing else.",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
            "max_length": "Enter an e-mail address in the correct format, like name@example.gov.uk",
        },
    )

    def clean_details(self):
        details = self.cleaned_data["details"].strip()
        if has_contact_details(details):
            raise forms.ValidationError(CONTACT_DETAILS_IN_DETAILS)
        return details

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("useful") == "yes":
            # "Yes, it is useful" alone: nothing else is asked, or kept.
            return {**cleaned, "problem": "", "details": "", "email": ""}
        problem = cleaned.get("problem")
        if not problem and "problem" not in self.errors:
            self.add_error("problem", "Select what is wrong with this page")
        if problem == Problem.OTHER and not cleaned.get("details") and "details" not in self.errors:
            self.add_error("details", "Tell us what is wrong with this page")
        return cleaned

    @property
    def start_is_bad(self) -> bool:
        """The page or answer was tampered with."""
        return bool(self.errors.keys() & {"page", "useful"})

    def answers(self) -> dict:
        useful = self.cleaned_data["useful"]
        return {
            "path": self.cleaned_data["page"],
            "useful": {"yes": True, "no": False}.get(useful),
            "problem": self.cleaned_data["problem"],
            "details": self.cleaned_data["details"],
            "email": self.cleaned_data["email"],
        }
