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
