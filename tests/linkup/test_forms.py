"""Every form renders through the one set of GOV.UK field templates."""

import datetime
import re

import pytest
from django import forms
from django.core.validators import EmailValidator

from linkup.forms import GovUKDateField, GovUKMessagesMixin
from tests.hostile import CONTROL_CHARACTERS

pytestmark = pytest.mark.smoke


class EveryFieldForm(forms.Form):
    name = forms.CharField(label="Your name", help_text="As you would sign a letter")
    email = forms.EmailField(
        label="Work e-mail address", error_messages={"required": "Enter your work e-mail address"}
    )
    story = forms.CharField(label="What happened", widget=forms.Textarea, max_length=500)
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a region"), ("ne", "North East")])
    group = forms.ChoiceField(
        label="Client group",
        widget=forms.RadioSelect,
        choices=[("a", "Care leavers"), ("b", "Offenders"), ("c", "Adults with learning disabilities")],
    )
    outcomes = forms.MultipleChoiceField(
        label="Outcomes", widget=forms.CheckboxSelectMultiple, choices=[("x", "Employment"), ("y", "Housing")]
    )
    started = GovUKDateField(label="When it started", help_text="For example, 27 3 2009")
    consent = forms.BooleanField(label="I agree", error_messages={"required": "Confirm you agree"})


def ids_in(html):
    return set(re.findall(r'id="([^"]+)"', html))


def test_valid_date_is_parsed():
    form = EveryFieldForm(data={"started_day": "27", "started_month": "3", "started_year": "2009"})
    form.is_valid()
    assert form.cleaned_data["started"] == datetime.date(2009, 3, 27)


def test_impossible_date_gets_a_govuk_message():
    form = EveryFieldForm(data={"started_day": "31", "started_month": "2", "started_year": "2009"})
    assert not form.is_valid()
    assert form.errors["started"] == ["Enter a real date"]


def test_error_summary_links_to_every_field_with_an_error():
    from django.template import engines

    form = EveryFieldForm(data={"story": "x" * 501, "started_day": "40"})
    assert not form.is_valid()
    template = engines["django"].from_string('{% include "includes/error_summary.html" %}{{ form }}')
    html = template.render({"form": form})
    ids = ids_in(html)
    links = re.findall(r'<a href="#([^"]+)">', html)
    assert len(links) == len(form.errors) == 8
    for anchor in links:
        assert anchor in ids, f"error summary link #{anchor} has no matching field"
    assert "Enter your work e-mail address" in html
    assert "govuk-error-summary" in html


def test_fields_carry_govuk_classes_hints_and_errors():
    form = EveryFieldForm(data={"name": "", "story": "too long " * 100})
    form.is_valid()
    html = form.as_div()
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert '<div id="id_name-hint" class="govuk-hint">As you would sign a letter</div>' in html
    assert 'id="id_name-error" class="govuk-error-message"' in html
    # The character count replaces maxlength so nothing is cut off silently.
    assert 'data-module="govuk-character-count" data-maxlength="500"' in html
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert "maxlength" not in textarea
    assert 'aria-describedby="id_story-info id_story-error"' in textarea
    assert 'class="govuk-radios__input" id="id_group_0"' in html
    assert 'class="govuk-checkboxes__input" id="id_outcomes_0"' in html
    assert 'class="govuk-select govuk-select--error"' in html
    assert 'class="govuk-date-input" id="id_started"' in html
    assert "<legend" in html
    # Browser validation is off: the server's messages are what people see.
    assert not re.search(r"<(input|textarea|select)[^>]* required", html)


def test_answers_are_kept_after_an_error():
    form = EveryFieldForm(data={"name": "Sam Jones", "group": "b", "outcomes": ["y"], "started_year": "2009"})
    form.is_valid()
    html = form.as_div()
    assert 'value="Sam Jones"' in html
    assert re.search(r'value="b"\s+checked', html)
    assert re.search(r'value="y"\s+checked', html)
    assert 'value="2009"' in html


class GroupedSelectForm(forms.Form):
    where = forms.ChoiceField(
        label="Where",
        help_text="Choose one",
        choices=[
            ("", "Choose an area"),
            ("Regions", [("region-london", "London"), ("region-north-east", "North East")]),
            ("Authorities", [("la-derby", "Derby & District")]),
        ],
    )


def test_select_keeps_groups_the_chosen_option_and_its_links():
    form = GroupedSelectForm(data={"where": "la-derby"})
    assert form.is_valid()
    html = form.as_div()
    select = re.search(r"<select[^>]*>", html).group(0)
    assert 'name="where"' in select and 'id="id_where"' in select
    assert 'class="govuk-select"' in select
    assert 'aria-describedby="id_where-hint"' in select
    assert re.findall(r'<optgroup label="([^"]+)">', html) == ["Regions", "Authorities"]
    assert re.findall(r"<option[^>]* selected>", html) == ['<option value="la-derby" selected>']
    assert "Derby &amp; District</option>" in html

    form = GroupedSelectForm(data={"where": "nowhere"})
    assert not form.is_valid()
    select = re.search(r"<select[^>]*>", form.as_div()).group(0)
    assert 'aria-describedby="id_where-hint id_where-error"' in select
    assert "govuk-select--error" in select
    assert " selected" not in form.as_div()


# --- One-line answers and e-mail addresses ------------------------------------------


class OneLineForm(GovUKMessagesMixin, forms.Form):
    name = forms.CharField(label="Your full name", max_length=200)
    email = forms.EmailField(
        label="Work e-mail address",
        error_messages={"invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk"},
    )
    story = forms.CharField(label="What happened", widget=forms.Textarea, required=False)


VALID = {"name": "Ada Lovelace", "email": "ada@example.gov.uk", "story": "Line one.\r\nLine two."}
BAD_EMAIL = "Enter an e-mail address in the correct format, like name@example.gov.uk"
LINE_BREAKS = {f"U+{ord(c):04X}": c for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def test_ordinary_answers_pass_and_a_paragraph_keeps_its_line_breaks():
    form = OneLineForm(VALID)
    assert form.is_valid(), form.errors
    form = OneLineForm(
        {**VALID, "name": "Zoë O’Brien-Nguyễn 🏠 \u202eevil\u202c", "email": "o.brien+x@nhs.net"}
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("code", "character"), CONTROL_CHARACTERS.items(), ids=list(CONTROL_CHARACTERS))
def test_a_one_line_answer_refuses_every_control_character(code, character):
    form = OneLineForm({**VALID, "name": f"Eve{character}Bcc: all@example.org"})
    assert not form.is_valid()
    (message,) = form.errors["name"]
    if character == "\x00":
        assert message == "Remove the hidden control characters from this answer"
    elif code in LINE_BREAKS:
        assert message == "Your full name must be on one line", code
    else:
        assert message == "Your full name must not contain hidden control characters", code


@pytest.mark.parametrize(("code", "character"), CONTROL_CHARACTERS.items(), ids=list(CONTROL_CHARACTERS))
def test_an_email_address_refuses_every_control_character_with_one_message(code, character):
    form = OneLineForm({**VALID, "email": f"eve{character}@example.org"})
    assert not form.is_valid()
    assert BAD_EMAIL in form.errors["email"] or character == "\x00", code
    assert len(form.errors["email"]) == 1 or character == "\x00", form.errors["email"]


@pytest.mark.parametrize(
    "address",
    [
        '"eve"@example.org',
        '"eve@example.org>, all"@example.org',
        '"a\\"b"@example.org',
        "eve\\@example.org",
        "eve@example.org\nBcc: all@example.org",
        "eve@example.org, all@example.org",
        "Eve <eve@example.org>",
    ],
)
def test_an_email_address_that_could_break_a_header_is_refused(address):
    form = OneLineForm({**VALID, "email": address})
    assert not form.is_valid()
    assert form.errors["email"] == [BAD_EMAIL]


def test_the_one_email_check_is_on_every_email_field_of_a_form():
    from linkup.forms import validate_email_address

    form = OneLineForm()
    assert validate_email_address in form.fields["email"].validators
    assert not any(type(validator) is EmailValidator for validator in form.fields["email"].validators)
