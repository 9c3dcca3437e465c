"""The "Share an example" form, one group of questions per page, and the
forms for checking a submission and editing it after changes are requested."""

from __future__ import annotations

import re

from django import forms

from directory.forms import PHONE_INPUT, phone_rule
from linkup.forms import GovUKDateField, GovUKMessagesMixin, HoneypotMixin, any_of, long_text, one_of
from linkup.models import Agency, ClientGroup, Outcome, Region

SLUG = re.compile(r"[-a-z0-9]{1,120}")


class SubmissionStepForm(GovUKMessagesMixin, forms.Form):
    """Shared by every step: GOV.UK wording for bad characters and long answers.

    In each step the optional questions come after those that must be
    answered, so someone using a keyboard reaches the button sooner.
    """

    def stored_data(self) -> dict[str, list[str]]:
        """The submitted answers for this step, as stored in the session.

        Only called on a valid form, so nothing stored can hold characters
        the database refuses.
        """
        keys = []
        for name, field in self.fields.items():
            if name == getattr(self, "honeypot_field", None):
                continue
            if isinstance(field, GovUKDateField):
                keys += [self.add_prefix(f"{name}_{part}") for part in ("day", "month", "year")]
            else:
                keys.append(self.add_prefix(name))
        return {key: self.data.getlist(key) for key in keys if key in self.data}


class AboutYouForm(HoneypotMixin, SubmissionStepForm):
    title = "About you"
    submitter_name = forms.CharField(
        label="Your full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name"},
    )
    submitter_job_title = forms.CharField(
        label="Your job title",
        max_length=200,
        help_text="For example, personal adviser or probation officer",
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": "Enter your job title"},
    )
    submitter_organisation = forms.CharField(
        label="Your organisation",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Enter the name of your organisation"},
    )
    submitter_email = forms.EmailField(
        label="Your work e-mail address",
        max_length=254,
        help_text="We will send your reference number here, and use it only about this example",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
        },
    )
    submitter_phone = forms.CharField(
        label="Your work phone number (optional)",
        max_length=40,
        required=False,
        help_text="In case we need to ask you about your example",
        widget=PHONE_INPUT,
    )
    show_contact = forms.TypedChoiceField(
        label="Can we publish your name, organisation and e-mail address with the example?",
        help_text="Other professionals could then contact you to learn more",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if we can publish your contact details"},
    )

    def clean_submitter_phone(self):
        return phone_rule(self.cleaned_data["submitter_phone"])


class WhereAndWhoForm(SubmissionStepForm):
    title = "Where and who"
    region = one_of(
        Region.objects.ordered(), label="Which region did this happen in?", message="Select the region"
    )
    client_groups = any_of(
        ClientGroup.objects.ordered(),
        label="Who did it help?",
        help_text="Select all that apply",
        required="Select at least one client group",
        invalid="Select at least one client group",
    )
    organisations = long_text(
        "The organisations that worked together",
        max_length=1000,
        help_text="For example, Derby City Council leaving care team and Derby Homes",
        message="Enter the organisations that worked together",
    )
    agencies = any_of(
        Agency.objects.ordered(),
        label="Which kinds of agency worked together? (optional)",
        help_text="Select all that apply",
        invalid="Select the agencies from the list",
    )


class WhatYouDidForm(SubmissionStepForm):
    title = "What you did"
    example_title = forms.CharField(
        label="A short title for your example",
        max_length=200,
        help_text="For example, Joint housing panel gets care leavers into their own tenancies",
        error_messages={"required": "Enter a title for your example"},
    )
    summary = long_text(
        "Summary",
        max_length=600,
        help_text="Two or three sentences: who was helped and how",
        message="Enter a summary",
    )
    challenge = long_text(
        "The challenge",
        max_length=5000,
        help_text="What was the problem, and why did it need agencies to work together?",
        message="Enter the challenge",
    )
    approach = long_text(
        "What was done",
        max_length=5000,
        help_text="How the agencies worked together: who did what, and how they shared information",
        message="Enter what was done",
    )
    period_start = GovUKDateField(
        label="When did it start? (optional)", required=False, help_text="For example, 27 3 2009"
    )
    period_end = GovUKDateField(
        label="When did it end? (optional)",
        required=False,
        help_text="Leave empty if it is still running. For example, 31 3 2010",
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end date must be the same as or after the start date")
        return cleaned


class ResultsForm(SubmissionStepForm):
    title = "Results and lessons"
    results = long_text(
        "The results",
        max_length=5000,
        help_text="What changed for people? Include figures if you have any",
        message="Enter the results",
    )
    lessons = long_text(
        "Lessons for others",
        max_length=5000,
        help_text="What would you tell someone trying the same thing?",
        message="Enter the lessons for others",
    )
    outcomes = any_of(
        Outcome.objects.ordered(),
        label="Which outcomes did it help with? (optional)",
        help_text="Select all that apply",
        invalid="Select the outcomes from the list",
    )
    costs = long_text(
        "Costs and resources (optional)",
        max_length=3000,
        required=False,
        help_text="For example, staff time, funding or shared budgets",
    )


class ConsentForm(SubmissionStepForm):
    title = "Permission to publish"
    consent_to_publish = forms.BooleanField(
        label="I have permission from my organisation to share this example, and it does not "
        "include anything that could identify a person we support",
        error_messages={"required": "Confirm that you have permission to share this example"},
    )
    contact_through_portal = forms.BooleanField(
        label="People can ask me about this example through the portal (optional)",
        required=False,
        help_text="If we do not publish your e-mail address, we pass their questions on to you by e-mail "
        "without showing them your address. You reply only if you want to.",
    )


class SendForm(forms.Form):
    """The check-answers page: a one-time key so a double submit saves once."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


# The steps in order: URL slug, form class.
STEPS = [
    ("about-you", AboutYouForm),
    ("where-and-who", WhereAndWhoForm),
    ("what-you-did", WhatYouDidForm),
    ("results-and-lessons", ResultsForm),
    ("permission", ConsentForm),
]
STEP_FORMS = dict(STEPS)
# Form field name → CaseStudy field name, where they differ.
MODEL_FIELD_NAMES = {"example_title": "title"}


class PrefillForm(forms.Form):
    """The coverage grid's "Example needed" links: ?region=…&client_group=…"""

    region = forms.CharField(required=False)
    client_group = forms.CharField(required=False)

    def initial_answers(self) -> dict[str, list[str]]:
        if not self.is_valid():
            return {}
        answers = {}
        region_slug = self.cleaned_data["region"]
        group_slug = self.cleaned_data["client_group"]
        if SLUG.fullmatch(region_slug):
            region = Region.objects.filter(slug=region_slug).first()
            if region:
                answers["region"] = [str(region.pk)]
        if SLUG.fullmatch(group_slug):
            group = ClientGroup.objects.filter(slug=group_slug).first()
            if group:
                answers["client_groups"] = [str(group.pk)]
        return answers


class EditForm(WhereAndWhoForm, WhatYouDidForm, ResultsForm):
    """Everything about the example, for the submitter to change and resubmit."""

    title = "Change your example"
    sections = [
        ("Where and who", list(WhereAndWhoForm.base_fields)),
        ("What you did", list(WhatYouDidForm.base_fields)),
        ("Results and lessons", list(ResultsForm.base_fields)),
    ]

    def grouped_fields(self):
        return [(heading, [self[name] for name in names]) for heading, names in self.sections]

    @classmethod
    def initial_for(cls, case_study) -> dict:
        initial = {
            name: getattr(case_study, MODEL_FIELD_NAMES.get(name, name))
            for name in cls.base_fields
            if name not in {"client_groups", "agencies", "outcomes"}
        }
        initial["client_groups"] = list(case_study.client_groups.all())
        initial["agencies"] = list(case_study.agencies.all())
        initial["outcomes"] = list(case_study.outcomes.all())
        return initial


class StatusForm(GovUKMessagesMixin, forms.Form):
    reference = forms.CharField(
        label="Reference number",
        max_length=20,
        help_text="This is in the e-mail we sent you, for example K7QM-4TZP",
        error_messages={"required": "Enter your reference number"},
    )
    email = forms.EmailField(
        label="The e-mail address you used",
        max_length=254,
        error_messages={
            "required": "Enter the e-mail address you used",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
        },
    )

    def clean_reference(self):
        value = re.sub(r"[\s-]", "", self.cleaned_data["reference"]).upper()
        return f"{value[:4]}-{value[4:]}" if len(value) == 8 else value
