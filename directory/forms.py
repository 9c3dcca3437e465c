"""Directory forms: self-listing, request to connect, reporting a request
and asking for a manage link (the search page's query string is
``filters.ListingFilter``).
All render through the shared GOV.UK renderer."""

from __future__ import annotations

from django import forms

from linkup.forms import GovUKMessagesMixin, HoneypotMixin, long_text
from linkup.models import ClientGroup, LocalAuthority
from linkup.safeguarding import SafeguardingWarning, clear_identifiers, has_contact_details

from .models import ContactRequest, Listing, OpenTo, ReportReason, phone_is_valid

CONTACT_DETAILS_IN_TEXT = (
    "Remove the e-mail address or phone number from {field}. "
    "Your contact details go in the boxes for them, and are shown only if you say so"
)


# A work phone number's box, here and wherever else one is asked for: a
# phone's keypad on mobiles, and the browser can fill it in.
PHONE_INPUT = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"})


class ListingForm(GovUKMessagesMixin, HoneypotMixin, forms.ModelForm):
    """Add yourself to the directory, or edit your listing."""

    open_to = forms.MultipleChoiceField(
        label="What are you open to?",
        help_text="Select all that apply.",
        choices=OpenTo.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you are open to", "invalid_choice": "Select from the list"},
    )
    show_contact = forms.TypedChoiceField(
        label="Can we show your work e-mail address and phone number on your profile?",
        help_text="If you say no, people send you a request to connect through this site, and we pass it on "
        "to you by e-mail. They only see your address if you reply.",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether we can show your contact details",
            "invalid_choice": "Select whether we can show your contact details",
        },
    )
    consent = forms.BooleanField(
        label="I agree to my details being kept and shown in the directory as described above",
        error_messages={"required": "Confirm that you agree to your details being kept and shown"},
    )

    class Meta:
        model = Listing
        fields = [
            "full_name",
            "job_title",
            "organisation",
            "agency",
            "areas",
            "client_groups",
            "expertise",
            "tags",
            "open_to",
            "email",
            "phone",
            "show_contact",
        ]
        labels = {
            "full_name": "Full name",
            "job_title": "Job title",
            "organisation": "Organisation",
            "agency": "Agency or sector",
            "areas": "Which areas do you cover?",
            "client_groups": "Which client groups do you work with?",
            "expertise": "Your expertise",
            "tags": "Expertise tags (optional)",
            "email": "Work e-mail address",
            "phone": "Work phone number (optional)",
        }
        help_texts = {
            "areas": "Select all that apply.",
            "client_groups": "Select all that apply.",
            "expertise": "What you know about and can help others with. Do not include anything that "
            "identifies a person you support.",
            "tags": "Short words or phrases separated by commas, for example: supported housing, "
            "benefits, leaving care.",
            "email": "We use this to pass on requests to connect and to check your listing is up to date.",
            "agency": "",
        }
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "client_groups": forms.CheckboxSelectMultiple,
            "expertise": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "phone": PHONE_INPUT,
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        error_messages = {
            "full_name": {"required": "Enter your full name"},
            "job_title": {"required": "Enter your job title"},
            "organisation": {"required": "Enter your organisation"},
            "agency": {"required": "Select your agency or sector", "invalid_choice": "Select from the list"},
            "areas": {
                "required": "Select at least one area you cover",
                "invalid_choice": "Select from the list",
            },
            "client_groups": {
                "required": "Select at least one client group",
                "invalid_choice": "Select from the list",
                "invalid_pk_value": "Select from the list",
            },
            "expertise": {"required": "Describe your expertise"},
            "tags": {"max_length": "Tags must be 300 characters or fewer"},
            "email": {
                "required": "Enter your work e-mail address",
                "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
            },
            "phone": {"max_length": "Phone number must be 40 characters or fewer"},
        }

    field_order = [*Meta.fields, "consent", "website"]

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = LocalAuthority.objects.open_to_listings()
        self.fields["areas"].error_messages["invalid_pk_value"] = "Select from the list"
        self.fields["agency"].empty_label = "Select your agency or sector"
        self.fields["client_groups"].queryset = ClientGroup.objects.ordered()
        if self.instance.pk:
            self.initial["show_contact"] = "yes" if self.instance.show_contact else "no"
        if editing:
            self.fields[
                "consent"
            ].label = "I agree to my updated details being kept and shown in the directory"

    def clean_phone(self):
        return phone_rule(self.cleaned_data["phone"])

    def clean_expertise(self):
        return expertise_rule(self.cleaned_data["expertise"])

    def clean_tags(self):
        return tags_rule(self.cleaned_data["tags"])

    def clean_answer(self, name: str, value):
        """One answer held to this form's rules, apart from a submission:
        the field's own checks, then the rule its ``clean_<name>`` applies.
        The import checks each CSV cell with it, so a row passes the same
        rules, with the same messages, as the form."""
        value = self.fields[name].clean(value)
        rule = LISTING_RULES.get(name)
        return rule(value) if rule else value


def phone_rule(phone: str) -> str:
    """The directory's rule for a work phone number, shared by every form that asks for one."""
    phone = phone.strip()
    if phone and not phone_is_valid(phone):
        raise forms.ValidationError("Enter a phone number, like 01632 960 001")
    return phone


def expertise_rule(expertise: str) -> str:
    if has_contact_details(expertise):
        raise forms.ValidationError(CONTACT_DETAILS_IN_TEXT.format(field="your expertise"))
    return expertise


def tags_rule(tags: str) -> str:
    if has_contact_details(tags):
        raise forms.ValidationError(CONTACT_DETAILS_IN_TEXT.format(field="tags"))
    return ", ".join(tag.strip() for tag in tags.split(",") if tag.strip())


# The rules beyond each field's own checks, by field: the form's clean_<name>
# methods and the import both apply them.
LISTING_RULES = {"phone": phone_rule, "expertise": expertise_rule, "tags": tags_rule}


class ContactRequestForm(GovUKMessagesMixin, HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ContactRequest
        fields = [
            "sender_name",
            "sender_job_title",
            "sender_organisation",
            "sender_email",
            "reason",
            "message",
        ]
        labels = {
            "sender_name": "Your name",
            "sender_job_title": "Your job title",
            "sender_organisation": "Your organisation",
            "sender_email": "Your work e-mail address",
            "reason": "Why do you want to connect?",
            "message": "Your message",
        }
        help_texts = {
            "sender_email": "We send your message from this site. When they reply, it goes to this address.",
            "message": "Say briefly what you would like to talk about. Do not include names, dates of birth, "
            "addresses or anything else that could identify a person you support.",
        }
        widgets = {
            "reason": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 6}),
            "sender_email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "sender_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "sender_job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "sender_organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        error_messages = {
            "sender_name": {"required": "Enter your name"},
            "sender_job_title": {"required": "Enter your job title"},
            "sender_organisation": {"required": "Enter your organisation"},
            "sender_email": {
                "required": "Enter your work e-mail address",
                "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
            },
            "reason": {
                "required": "Select why you want to connect",
                "invalid_choice": "Select from the list",
            },
            "message": {"required": "Enter your message"},
        }

    field_order = [*Meta.fields, "website"]

    def __init__(self, *args, kind: str = "listing", **kwargs):
        """``kind`` is the relay target's: a question about a case study has
        no reason to connect, and its message is a question."""
        super().__init__(*args, **kwargs)
        if kind == "case_study":
            del self.fields["reason"]
            self.fields["message"].label = "Your question"
            self.fields["message"].help_text = (
                "Say what you would like to know about the example. Do not include names, dates of birth, "
                "addresses or anything else that could identify a person you support."
            )
            self.fields["message"].error_messages["required"] = "Enter your question"
        else:
            self.fields["reason"].required = True
            self.fields["reason"].choices = list(OpenTo.choices)

    def clean_message(self):
        """No moderator reads a request before it is passed on, so a clear
        identifier of a person is refused here, with what to remove."""
        message = self.cleaned_data["message"]
        if found := clear_identifiers(message):
            raise forms.ValidationError(identifiers_message(found))
        return message


def identifiers_message(found: list[SafeguardingWarning]) -> str:
    """What to remove: each kind of identifier found, with the first text of that kind."""
    first: dict[str, str] = {}
    for warning in found:
        first.setdefault(warning.kind.removeprefix("looks like "), warning.excerpt)
    items = [f"{kind} ({excerpt})" for kind, excerpt in first.items()]
    listed = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
    return (
        f"Remove what looks like {listed} from your message. Do not include anything that could "
        "identify a person you support: we pass your message on without anyone checking it"
    )


class ContactReportForm(GovUKMessagesMixin, forms.Form):
    """A professional reports a request to connect as misuse."""

    reason = forms.ChoiceField(
        label="Why are you reporting this message?",
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why you are reporting this message",
            "invalid_choice": "Select why you are reporting this message",
        },
    )
    details = long_text(
        "Tell us more (optional)",
        max_length=2000,
        required=False,
        help_text="For example, if you have had other messages like it.",
        too_long="What you tell us must be 2,000 characters or fewer",
        rows=4,
    )


class ManageRequestForm(GovUKMessagesMixin, HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="Work e-mail address",
        help_text="The address your listing uses.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk",
            "max_length": "Enter an e-mail address in the correct format, like name@example.gov.uk",
        },
    )
