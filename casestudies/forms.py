"""The "Share an example" form, one group of questions per page, and the
forms for checking a submission and editing it after changes are requested."""

from __future__ import annotations

import re

from django import forms

from casestudies.evidence import (
    EVIDENCE_LEVEL_MEANING,
    EvidenceLevel,
    FigureUnit,
    MeasurementMethod,
    figure_errors,
    whole_number,
)
from casestudies.models import FIGURE_FIELDS
from directory.forms import PHONE_INPUT, phone_rule
from linkup.forms import (
    GovUKDateField,
    GovUKDateWidget,
    GovUKMessagesMixin,
    GovUKMonthField,
    HoneypotMixin,
    any_of,
    long_text,
    one_of,
)
from linkup.models import Agency, ClientGroup, NationalIndicator, Outcome, Region

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
            if isinstance(field.widget, GovUKDateWidget):
                keys += [self.add_prefix(f"{name}_{part}") for part in field.widget.parts]
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


UNKNOWN = "unknown"
I_DONT_KNOW = "I don't know"


class WholeNumberField(forms.CharField):
    """A whole number of zero or more, typed in a text box (GOV.UK asks for
    numbers that way); empty is "I don't know". ``what`` names it in the message."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return whole_number(super().to_python(value), what=self.what)

    def prepare_value(self, value):
        return "" if value is None else value


def unknown_choice(choices, *, label: str, **kwargs) -> forms.TypedChoiceField:
    """Radios for an optional question, with "I don't know" as the last answer (stored as empty)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[*choices, (UNKNOWN, I_DONT_KNOW)],
        coerce=lambda value: "" if value == UNKNOWN else value,
        empty_value="",
        required=False,
        widget=forms.RadioSelect(attrs={"stacked": True}),
        error_messages={"invalid_choice": "Select an answer from the list"},
        **kwargs,
    )


class PeopleHelpedForm(SubmissionStepForm):
    title = "People helped"
    unknown_answer = I_DONT_KNOW
    cohort_size = WholeNumberField(
        label="How many people did it help? (optional)",
        what="the number of people helped",
        help_text="Count each person once, for example 40. Leave it empty if you do not know",
    )


class AddAnotherOutcomeForm(SubmissionStepForm):
    """The question under the summary of outcome figures (GOV.UK "add another")."""

    title = "Results in numbers"
    add_another = forms.ChoiceField(
        label="Do you want to add another outcome?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you want to add another outcome"},
    )

    def __init__(self, *args, first: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if first:
            field = self.fields["add_another"]
            field.label = "Do you have any results in numbers? (optional)"
            field.help_text = (
                "For example, how many people moved into a home of their own. "
                "You can send your example without them"
            )
            field.error_messages["required"] = "Select yes if you have any results in numbers"


class RemoveFigureForm(SubmissionStepForm):
    title = "Remove this outcome"
    remove = forms.ChoiceField(
        label="Are you sure you want to remove this outcome?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you want to remove this outcome"},
    )


class OutcomeFigureForm(SubmissionStepForm):
    """One outcome in numbers. The example's people helped and client groups
    are passed in, for the rules in ``casestudies.evidence.figure_errors``."""

    title = "An outcome in numbers"
    measure = forms.CharField(
        label="What did you measure?",
        max_length=200,
        help_text="For example, young people in settled accommodation 6 months after leaving care",
        error_messages={"required": "Enter what you measured"},
    )
    people = WholeNumberField(
        label="How many people does this outcome count? (optional)",
        what="the number of people",
        help_text="For example, 12",
    )
    baseline_value = WholeNumberField(
        label="Before: the figure at the start (optional)",
        what="the figure before",
        help_text="For example, 5",
    )
    baseline_unit = forms.ChoiceField(
        label="Is the figure before a number of people or a percentage?",
        choices=[(FigureUnit.COUNT, "Number of people"), (FigureUnit.PERCENT, "Percentage")],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a number of people or a percentage"},
    )
    baseline_on = GovUKMonthField(
        label="When was the figure before measured? (optional)",
        required=False,
        help_text="For example, 4 2023",
    )
    result_value = WholeNumberField(
        label="After: the figure at the end (optional)", what="the figure after", help_text="For example, 9"
    )
    result_unit = forms.ChoiceField(
        label="Is the figure after a number of people or a percentage?",
        choices=[(FigureUnit.COUNT, "Number of people"), (FigureUnit.PERCENT, "Percentage")],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a number of people or a percentage"},
    )
    result_on = GovUKMonthField(
        label="When was the figure after measured? (optional)",
        required=False,
        help_text="For example, 4 2024",
    )
    outcome = forms.ModelChoiceField(
        queryset=Outcome.objects.ordered(),
        label="Which outcome is it? (optional)",
        required=False,
        empty_label="Choose an outcome",
        error_messages={"invalid_choice": "Select the outcome from the list"},
    )
    indicator = forms.ModelChoiceField(
        queryset=NationalIndicator.objects.select_related("client_group"),
        label="Which national indicator does it count towards? (optional)",
        required=False,
        widget=forms.RadioSelect(attrs={"stacked": True}),
        empty_label="None of these, or I don't know",
        blank=True,
        error_messages={
            "invalid_choice": "Select a national indicator for one of the client groups you chose"
        },
    )

    def __init__(self, *args, cohort_size=None, client_group_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort_size = cohort_size
        self.client_group_ids = client_group_ids
        field = self.fields["indicator"]
        if client_group_ids is not None:
            field.queryset = field.queryset.filter(client_group__in=client_group_ids)
        indicators = list(field.queryset)
        self.option_hints = {"indicator": {str(item.pk): item.plain_english for item in indicators}}
        if not indicators:
            del self.fields["indicator"]
        else:
            field.help_text = "The indicators for the client groups you chose"

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            errors = figure_errors(
                **{name: cleaned.get(name) for name in FIGURE_FIELDS if name not in {"measure", "outcome"}},
                cohort_size=self.cohort_size,
                client_group_ids=self.client_group_ids,
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned


class HowMeasuredForm(SubmissionStepForm):
    title = "How the results were measured"
    unknown_answer = I_DONT_KNOW
    measurement_method = unknown_choice(
        MeasurementMethod.choices,
        label="How did you measure the results? (optional)",
        help_text="Choose the strongest that applies",
    )
    evaluation_url = forms.URLField(
        label="Link to the evaluation or report (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="If you chose an independent evaluation or a published report and it is online, "
        "for example https://www.example.gov.uk/report.pdf",
        error_messages={
            "invalid": "Enter a link in the correct format, like https://www.example.gov.uk/report"
        },
    )
    option_hints = {
        "measurement_method": {
            MeasurementMethod.CASE_RECORDS: "You counted results from the records you keep about people",
            MeasurementMethod.BEFORE_AFTER: "You measured the same thing at the start and at the end",
            MeasurementMethod.COMPARISON_GROUP: (
                "You compared your group with similar people who did not get this help"
            ),
            MeasurementMethod.INDEPENDENT_EVALUATION: "Someone outside the work evaluated it",
            MeasurementMethod.PUBLISHED_REPORT: "The results are in a report anyone can read",
        }
    }


def pounds(label: str, *, what: str, example: str) -> WholeNumberField:
    return WholeNumberField(
        label=f"{label} (optional)",
        what=what,
        help_text=f"In pounds, for example {example}. Leave it empty if you do not know",
    )


class CostsForm(SubmissionStepForm):
    title = "What it cost"
    unknown_answer = I_DONT_KNOW
    setup_cost = pounds("What did it cost to set up?", what="the set-up cost", example="15000")
    yearly_cost = pounds("What does it cost to run each year?", what="the yearly cost", example="40000")
    funded_by = forms.CharField(
        label="Who paid for it? (optional)",
        max_length=300,
        required=False,
        help_text="For example, the council's leaving care budget and the housing association",
    )
    cost_per_person = pounds(
        "What did it cost for each person helped?", what="the cost per person", example="950"
    )
    savings_claimed = pounds(
        "How much does it save each year?", what="the savings each year", example="60000"
    )
    savings_basis = long_text(
        "How did you work out the savings? (optional)",
        max_length=2000,
        required=False,
        rows=4,
        help_text="For example, fewer nights in emergency accommodation at £60 a night",
    )


class EvidenceLevelForm(SubmissionStepForm):
    title = "How strong is your evidence?"
    unknown_answer = I_DONT_KNOW
    evidence_level_proposed = forms.TypedChoiceField(
        label="Which level best describes your evidence? (optional)",
        choices=[*[(str(level.value), level.label) for level in EvidenceLevel], (UNKNOWN, I_DONT_KNOW)],
        coerce=lambda value: None if value == UNKNOWN else int(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"stacked": True}),
        help_text="Level 1 is welcome: most good practice starts there. The taskforce will check the level",
        error_messages={"invalid_choice": "Select a level from the list"},
    )
    option_hints = {
        "evidence_level_proposed": {
            str(level.value): meaning for level, meaning in EVIDENCE_LEVEL_MEANING.items()
        }
    }


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
    ("people-helped", PeopleHelpedForm),
    ("outcomes", AddAnotherOutcomeForm),
    ("how-measured", HowMeasuredForm),
    ("costs", CostsForm),
    ("evidence-level", EvidenceLevelForm),
    ("permission", ConsentForm),
]
# The add-another step: its figures are kept beside the answers.
FIGURES_STEP = "outcomes"
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


EVIDENCE_STEP_FORMS = [PeopleHelpedForm, HowMeasuredForm, CostsForm, EvidenceLevelForm]


class EditForm(
    WhereAndWhoForm,
    WhatYouDidForm,
    ResultsForm,
    PeopleHelpedForm,
    HowMeasuredForm,
    CostsForm,
    EvidenceLevelForm,
):
    """Everything about the example, for the submitter to change and resubmit
    (its outcome figures are a formset beside it, ``figure_formset``)."""

    title = "Change your example"
    sections = [
        ("Where and who", list(WhereAndWhoForm.base_fields)),
        ("What you did", list(WhatYouDidForm.base_fields)),
        ("Results and lessons", list(ResultsForm.base_fields)),
        *[(form.title, list(form.base_fields)) for form in EVIDENCE_STEP_FORMS],
    ]
    option_hints = {**HowMeasuredForm.option_hints, **EvidenceLevelForm.option_hints}

    def grouped_fields(self):
        return [(heading, [self[name] for name in names]) for heading, names in self.sections]

    @classmethod
    def initial_for(cls, case_study) -> dict:
        initial = {
            name: getattr(case_study, MODEL_FIELD_NAMES.get(name, name))
            for name in cls.base_fields
            if name not in {"client_groups", "agencies", "outcomes"}
        }
        if case_study.evidence_level_proposed is not None:
            initial["evidence_level_proposed"] = str(case_study.evidence_level_proposed)
        initial["client_groups"] = list(case_study.client_groups.all())
        initial["agencies"] = list(case_study.agencies.all())
        initial["outcomes"] = list(case_study.outcomes.all())
        return initial


EditForm.field_order = [name for _, names in EditForm.sections for name in names]


class BaseFigureFormSet(forms.BaseFormSet):
    """The outcome figures on the edit form; each form is an ``OutcomeFigureForm``."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this outcome"


FigureFormSet = forms.formset_factory(
    OutcomeFigureForm, formset=BaseFigureFormSet, extra=1, can_delete=True, max_num=30, absolute_max=30
)


def figure_formset(*, data=None, case_study=None, cohort_size=None, client_group_ids=None):
    """The edit form's figures: the example's own, and one empty to add another."""
    initial = None
    if data is None and case_study is not None:
        initial = [
            {name: getattr(figure, name) for name in FIGURE_FIELDS} for figure in case_study.figures.all()
        ]
    return FigureFormSet(
        data=data,
        initial=initial,
        prefix="figure",
        form_kwargs={"cohort_size": cohort_size, "client_group_ids": client_group_ids},
    )


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
