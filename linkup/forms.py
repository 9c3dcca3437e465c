"""One way to render a GOV.UK form field, used by every form in the portal.

``GovUKFormRenderer`` is Django's ``FORM_RENDERER``: every form renders
through ``templates/forms/``, and every bound field is a ``GovUKBoundField``,
which adds the GOV.UK classes and the ``aria-describedby`` links between an
input, its hint and its error message. Page templates put
``includes/error_summary.html`` above the heading.
"""

from __future__ import annotations

import copy
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, ProhibitNullCharactersValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt

# Keyed by BoundField.widget_type: the widget's class name, lowercased, less
# a trailing "Widget" or "Input".
INPUT_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "password": "govuk-input",
    "search": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "govukdate": "govuk-input govuk-date-input__input",
    "govukmonth": "govuk-input govuk-date-input__input",
}
GROUPED_WIDGETS = {"radioselect", "checkboxselectmultiple", "govukdate", "govukmonth"}


class GovUKBoundField(BoundField):
    @property
    def is_grouped(self) -> bool:
        """Rendered as a fieldset with a legend rather than a single label."""
        return self.widget_type in GROUPED_WIDGETS

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the field, or its first option."""
        return f"{self.auto_id}_0" if self.is_grouped else self.auto_id

    @property
    def is_honeypot(self) -> bool:
        return getattr(self.form, "honeypot_field", None) == self.name

    @property
    def radio_options(self) -> list[dict]:
        """The radios with each option's hint: the form's ``option_hints``,
        keyed by field name, then option value."""
        hints = getattr(self.form, "option_hints", {}).get(self.name, {})
        return [
            {"option": option, "hint": hints.get(str(option.data["value"]), "")} for option in self.subwidgets
        ]

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def max_length(self):
        return getattr(self.field, "max_length", None)

    @property
    def select_attrs(self) -> str:
        """The attributes of a single select's ``<select>`` element, which
        ``forms/field.html`` writes itself: its options are written there
        too, in one loop, rather than one template per option."""
        widget = self.field.widget
        attrs = widget.build_attrs(widget.attrs, self.build_widget_attrs({"id": self.auto_id}))
        return flatatt({"name": self.html_name, **attrs})

    @property
    def select_optgroups(self):
        """The select's options as Django's Select widget groups them:
        ``(group label or None, options, index)``."""
        widget = self.field.widget
        return widget.optgroups(self.html_name, widget.format_value(self.value()))

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if self.widget_type == "textarea" and "maxlength" in widget.attrs:
            # The character count warns instead of silently cutting text off.
            widget = copy.copy(widget)
            widget.attrs = {k: v for k, v in widget.attrs.items() if k != "maxlength"}
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget_type = self.widget_type
        css = [INPUT_CLASSES.get(widget_type, ""), attrs.get("class", "")]
        if widget_type == "textarea" and self.max_length:
            # GOV.UK Frontend's character count looks for this class.
            css.append("govuk-js-character-count")
        if self.errors and widget_type not in {"radioselect", "checkboxselectmultiple", "checkbox"}:
            css.append(
                {"textarea": "govuk-textarea--error", "select": "govuk-select--error"}.get(
                    widget_type, "govuk-input--error"
                )
            )
        attrs["class"] = " ".join(c for c in css if c)
        described_by = []
        if self.help_text and not self.is_grouped:
            described_by.append(self.hint_id)
        if widget_type == "textarea" and self.max_length:
            described_by.append(f"{self.auto_id}-info")
        if self.errors and not self.is_grouped:
            described_by.append(self.error_id)
        if described_by:
            attrs["aria-describedby"] = " ".join(described_by)
        else:
            attrs.pop("aria-describedby", None)
        # Server-side messages only: the browser's own validation is off.
        attrs.pop("required", None)
        return attrs


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = GovUKBoundField


class GovUKDateWidget(forms.MultiWidget):
    """The GOV.UK date input: three boxes for day, month and year."""

    template_name = "forms/widgets/date.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "class": f"govuk-input--width-{width}"})
            for part, width in zip(self.parts, (2, 2, 4), strict=True)
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = super().value_from_datadict(data, files, name)
        if not any([day, month, year]):
            return None
        return f"{(year or '').strip()}-{(month or '').strip()}-{(day or '').strip()}"

    def format_value(self, value):
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            value = [day, month, year]
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            subwidget["label"] = part.capitalize()
        return context


class GovUKDateField(forms.DateField):
    widget = GovUKDateWidget
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a real date"}


class GovUKMonthWidget(GovUKDateWidget):
    """The GOV.UK date input with a month and a year only (the first of the month)."""

    parts = ("month", "year")

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "class": f"govuk-input--width-{width}"})
            for part, width in zip(self.parts, (2, 4), strict=True)
        }
        forms.MultiWidget.__init__(self, widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.month, value.year]
        return [None, None]

    def value_from_datadict(self, data, files, name):
        month, year = forms.MultiWidget.value_from_datadict(self, data, files, name)
        if not any([month, year]):
            return None
        return f"{(year or '').strip()}-{(month or '').strip()}"

    def format_value(self, value):
        if isinstance(value, str) and value.count("-") == 1:
            return list(reversed(value.split("-")))
        return forms.MultiWidget.format_value(self, value)

    def get_context(self, name, value, attrs):
        if isinstance(value, str) and value.count("-") == 1:
            value = list(reversed(value.split("-")))
        context = forms.MultiWidget.get_context(self, name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            subwidget["label"] = part.capitalize()
        return context


class GovUKMonthField(forms.DateField):
    widget = GovUKMonthWidget
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": "Enter a real month and year, like 3 2024"}


def one_of(queryset, *, label: str, message: str, **kwargs) -> forms.ModelChoiceField:
    """Radios to pick one row of reference data; one message for no answer
    and for an answer not on the list."""
    return forms.ModelChoiceField(
        queryset=queryset,
        widget=forms.RadioSelect,
        empty_label=None,
        label=label,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def any_of(
    queryset, *, label: str, invalid: str, required: str = "", field_class=None, **kwargs
) -> forms.ModelMultipleChoiceField:
    """Checkboxes to pick rows of reference data: optional unless the
    message for no answer, ``required``, is given."""
    messages = {"invalid_choice": invalid, "invalid_pk_value": invalid}
    if required:
        messages["required"] = required
    return (field_class or forms.ModelMultipleChoiceField)(
        queryset=queryset,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        required=bool(required),
        error_messages=messages,
        **kwargs,
    )


def long_text(label, *, max_length, help_text="", required=True, message="", too_long="", rows=6):
    """A box for a paragraph or more. ``message`` is for no answer (by
    default "Enter" and the label); ``too_long`` words the length error
    where the label does not fit the usual "<label> must be ... or fewer"."""
    error_messages = {"required": message or f"Enter {label[0].lower()}{label[1:]}"}
    if too_long:
        error_messages["max_length"] = too_long
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=error_messages,
    )


class HoneypotMixin(forms.Form):
    """A field people never see or fill in; automated spam usually does.

    Views check ``form.is_spam()`` and quietly accept without saving.
    """

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    honeypot_field = "website"

    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix(self.honeypot_field), "").strip())


NULL_CHARACTERS_MESSAGE = "Remove the hidden control characters from this answer"


# Inputs of one line, by their ``input_type``.
ONE_LINE_INPUTS = {"text", "email", "url", "tel", "search"}
# What Python's e-mail package (and str.splitlines) reads as the end of a
# line: any of these in a header value would start a new header.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Every C0 and C1 control character (NUL has its own message) and the
# Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x01-\x1f\x7f-\x9f\u2028\u2029]")


class OneLineValidator:
    """An answer in a box of one line is one line of visible text: a browser
    never sends a line break or a control character there, and one would
    break the header of an e-mail the answer goes into (a sender's name)."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value) -> None:
        value = str(value)
        if LINE_BREAKS.intersection(value):
            raise ValidationError(f"{self.label} must be on one line", code="one_line")
        if CONTROL_CHARACTERS.search(value):
            raise ValidationError(
                f"{self.label} must not contain hidden control characters", code="control_characters"
            )


class EmailAddressValidator(EmailValidator):
    """Django's e-mail check, less what it allows that has no place in a
    ``To`` or ``Reply-To`` header: a quoted local part (``"a, b"@x``), a
    backslash, and control characters. Every e-mail field uses it (through
    ``GovUKMessagesMixin``), with the field's own "invalid" message."""

    def __call__(self, value) -> None:
        value = str(value)
        if '"' in value or "\\" in value or CONTROL_CHARACTERS.search(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_email_address = EmailAddressValidator()


class GovUKMessagesMixin:
    """GOV.UK wording for the errors Django words itself: characters that
    cannot be stored (NUL), and answers that are too long. An answer in a
    box of one line must be one line of visible text (``OneLineValidator``),
    and an e-mail address one that is safe in a header
    (``EmailAddressValidator``). A search form, which makes a pasted line
    break a space, sets ``one_line_answers = False``."""

    one_line_answers = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            validators = []
            for validator in field.validators:
                if isinstance(validator, ProhibitNullCharactersValidator):
                    validator = ProhibitNullCharactersValidator(message=NULL_CHARACTERS_MESSAGE)
                elif isinstance(validator, EmailValidator):
                    validator = validate_email_address
                validators.append(validator)
            field.validators = validators
            one_line = self.one_line_answers and getattr(field.widget, "input_type", None) in ONE_LINE_INPUTS
            # An e-mail field's own check refuses line breaks and controls, in its own words.
            if one_line and not isinstance(field, forms.EmailField):
                field.validators.append(OneLineValidator(field.label))
            max_length = getattr(field, "max_length", None)
            if max_length and "max_length" not in field.error_messages:
                field.error_messages["max_length"] = f"{field.label} must be {max_length} characters or fewer"
