"""Every form renders through the one set of GOV.UK field templates."""

import datetime
import re

import pytest
from django import forms

from linkup.forms import GovUKDateField

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
