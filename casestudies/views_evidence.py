"""The public page that explains the evidence levels, linked from the form,
the case-study page and the list's filter."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from casestudies.evidence import EVIDENCE_LEVEL_MEANING, SUGGESTED_LEVEL, EvidenceLevel, MeasurementMethod


@require_safe
def evidence_levels(request):
    levels = [
        {
            "level": level,
            "meaning": EVIDENCE_LEVEL_MEANING[level],
            "methods": [
                MeasurementMethod(m).label for m, suggested in SUGGESTED_LEVEL.items() if suggested == level
            ],
        }
        for level in EvidenceLevel
    ]
    return render(request, "casestudies/evidence_levels.html", {"levels": levels})
