"""How strong a case study's evidence is, and how its results were measured.

The scale follows Nesta's Standards of Evidence, worded for frontline staff.
A low level is still worth sharing: the campaign asks for examples however
small, and most good practice starts at level 1 or 2.
"""

from django.db import models


class EvidenceLevel(models.IntegerChoices):
    DESCRIBED = 1, "Level 1: described"
    CHANGE_MEASURED = 2, "Level 2: change measured"
    COMPARED = 3, "Level 3: compared with others"
    EVALUATED = 4, "Level 4: independently evaluated"
    REPEATED = 5, "Level 5: repeated elsewhere"


# What each level means, in the words the public page and the form use.
EVIDENCE_LEVEL_MEANING = {
    EvidenceLevel.DESCRIBED: "You can say what you did, who it was for and why it should help.",
    EvidenceLevel.CHANGE_MEASURED: "You counted results before and after, or from your case records, "
    "but cannot say for certain that your work made the difference.",
    EvidenceLevel.COMPARED: "You compared the people you helped with similar people who did not get "
    "this help, and your group did better.",
    EvidenceLevel.EVALUATED: "Someone independent of the work evaluated it and confirmed the difference.",
    EvidenceLevel.REPEATED: "It has been done again in other places, with the same results, checked "
    "independently.",
}


class MeasurementMethod(models.TextChoices):
    CASE_RECORDS = "case_records", "From our case records"
    BEFORE_AFTER = "before_after", "Before and after"
    COMPARISON_GROUP = "comparison_group", "Against a comparison group"
    INDEPENDENT_EVALUATION = "independent_evaluation", "An independent evaluation"
    PUBLISHED_REPORT = "published_report", "A published report"


class FigureUnit(models.TextChoices):
    COUNT = "count", "people"
    PERCENT = "percent", "per cent"


# The level a measurement answer suggests to the submitter (they choose).
SUGGESTED_LEVEL = {
    MeasurementMethod.CASE_RECORDS: EvidenceLevel.CHANGE_MEASURED,
    MeasurementMethod.BEFORE_AFTER: EvidenceLevel.CHANGE_MEASURED,
    MeasurementMethod.COMPARISON_GROUP: EvidenceLevel.COMPARED,
    MeasurementMethod.INDEPENDENT_EVALUATION: EvidenceLevel.EVALUATED,
    MeasurementMethod.PUBLISHED_REPORT: EvidenceLevel.EVALUATED,
}


def whole_number(text, *, what: str) -> int | None:
    """An answer typed as a whole number of zero or more ("1,200" and
    spaces allowed); None when empty. ``what`` names it in the message,
    e.g. "the number of people"."""
    from django.core.exceptions import ValidationError

    if text is None:
        return None
    if isinstance(text, int):
        value = text
    else:
        cleaned = str(text).replace(",", "").replace(" ", "").strip()
        if not cleaned:
            return None
        if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 9:
            raise ValidationError(f"Enter {what} as a whole number, like 12", code="whole_number")
        value = int(cleaned)
    if value < 0:
        raise ValidationError(f"Enter {what} as a whole number, like 12", code="whole_number")
    return value


def figure_errors(
    *,
    people: int | None,
    baseline_value: int | None,
    baseline_unit: str,
    baseline_on,
    result_value: int | None,
    result_unit: str,
    result_on,
    indicator=None,
    cohort_size: int | None,
    client_group_ids=None,
) -> dict[str, str]:
    """What is wrong with one outcome figure, by field name, in GOV.UK words.

    The one set of rules for a figure, whether it comes from the form, the
    edit form or admin: counts cannot exceed the people helped (or the
    figure's own number of people), a percentage is at most 100, the result
    is measured no earlier than the baseline, and the indicator belongs to
    one of the example's client groups (``client_group_ids``; None skips
    that rule). Numbers are already whole and non-negative (``whole_number``).
    """
    errors: dict[str, str] = {}
    if people is not None and cohort_size is not None and people > cohort_size:
        errors["people"] = f"The number of people cannot be more than the {cohort_size} people helped"
    for part, value, unit in (
        ("baseline", baseline_value, baseline_unit),
        ("result", result_value, result_unit),
    ):
        words = "baseline" if part == "baseline" else "result"
        if value is None:
            continue
        if not unit:
            errors[f"{part}_unit"] = f"Select whether the {words} is a number of people or a percentage"
        elif unit == FigureUnit.PERCENT and value > 100:
            errors[f"{part}_value"] = f"The {words} percentage cannot be more than 100"
        elif unit == FigureUnit.COUNT and people is not None and value > people and "people" not in errors:
            errors[f"{part}_value"] = f"The {words} cannot be more than the {people} people in this outcome"
        elif unit == FigureUnit.COUNT and cohort_size is not None and value > cohort_size:
            errors[f"{part}_value"] = f"The {words} cannot be more than the {cohort_size} people helped"
    if baseline_on and result_on and result_on < baseline_on:
        errors["result_on"] = "The date of the result must be the same as or after the date of the baseline"
    if (
        indicator is not None
        and client_group_ids is not None
        and indicator.client_group_id not in client_group_ids
    ):
        errors["indicator"] = "Select a national indicator for one of the client groups you chose"
    return errors


def _figure_value(value, unit) -> str:
    if value is None:
        return ""
    return f"{value}%" if unit == FigureUnit.PERCENT else f"{value} {'person' if value == 1 else 'people'}"


def describe_figure(
    *,
    measure="",
    people=None,
    baseline_value=None,
    baseline_unit="",
    baseline_on=None,
    result_value=None,
    result_unit="",
    result_on=None,
    indicator=None,
    outcome=None,
) -> str:
    """One figure in a line of plain words, as check-your-answers and the kept versions show it."""
    parts = [measure]
    if people is not None:
        parts.append(f"{people} {'person' if people == 1 else 'people'}")
    for words, value, unit, when in (
        ("before", baseline_value, baseline_unit, baseline_on),
        ("after", result_value, result_unit, result_on),
    ):
        if value is not None:
            parts.append(f"{words}: {_figure_value(value, unit)}" + (f" ({when:%B %Y})" if when else ""))
    if outcome is not None:
        parts.append(f"outcome: {outcome}")
    if indicator is not None:
        parts.append(str(indicator))
    return "; ".join(part for part in parts if part)
