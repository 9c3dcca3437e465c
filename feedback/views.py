"""The feedback page: the form behind the block at the foot of every page.

The block itself is the same for every visitor (pages are kept in the
shared cache), so it holds no CSRF token: its "Yes", "No" and "Report a
problem" are links to this page, which is never cached and posts with a
token like every other form. With JavaScript, static/js/feedback.js loads
this page's form into the block instead of leaving the page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from linkup.ratelimit import refused

from . import services
from .forms import FeedbackForm, FeedbackStartForm

THANKS = "Thank you for your feedback"
# Marks the thank-you among the page's messages: the block shows only these.
THANKS_TAG = "feedback"
LIMIT_WINDOW = 60 * 60


@require_http_methods(["GET", "POST"])
def feedback(request):
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        valid = form.is_valid()
        if form.start_is_bad:
            raise BadRequest("Feedback about an address that is not a page of this site")
        if valid:
            if form.is_spam():
                return _thanks(request, form.cleaned_data["page"])
            limited = refused(
                request, "feedback", limit=settings.FEEDBACK_LIMIT_PER_HOUR, window=LIMIT_WINDOW
            )
            if limited:
                return limited
            services.feedback_record(**form.answers())
            return _thanks(request, form.cleaned_data["page"])
    else:
        start = FeedbackStartForm(request.GET)
        if not start.is_valid():
            raise BadRequest("Feedback about an address that is not a page of this site")
        form = FeedbackForm(initial=start.cleaned_data)
    page = form.cleaned_data["page"] if form.is_bound else form.initial["page"]
    return render(
        request,
        "feedback/form.html",
        {"form": form, "answer": form.answer, "record": services.record_for_path(page), "page": page},
    )


def _thanks(request, page: str):
    """Back to the page, where the block says thank you."""
    messages.success(request, THANKS, extra_tags=THANKS_TAG)
    return redirect(f"{page}#feedback")
