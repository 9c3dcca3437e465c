"""Share an example: the public form, its confirmation, the "check your
submission" page and the edit link sent when a moderator asks for changes.

Answers in progress live in the session (in the database), so they survive
between pages and across app servers. Views stay thin: the saving is done
by ``casestudies.services``.
"""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from casestudies import services
from casestudies.evidence import SUGGESTED_LEVEL, describe_figure
from casestudies.forms import (
    FIGURES_STEP,
    MODEL_FIELD_NAMES,
    STEP_FORMS,
    STEPS,
    AddAnotherOutcomeForm,
    EditForm,
    OutcomeFigureForm,
    PrefillForm,
    RemoveFigureForm,
    SendForm,
    StatusForm,
    figure_formset,
)
from casestudies.models import CaseStudy
from casestudies.notifications import EDIT_PURPOSE, submission_status_send
from casestudies.review import REVIEW_PURPOSE, case_study_renew, review_link_max_age
from linkup import ratelimit
from linkup.moderation import ModerationEvent, Status, moderation_position
from linkup.tokens import read_token

SESSION_KEY = "casestudy_submission"
SENT_KEY = "casestudy_sent"
STEP_NAMES = [name for name, _ in STEPS]


def _draft(request) -> dict:
    draft = request.session.get(SESSION_KEY) or {"answers": {}, "prefill": {}}
    draft.setdefault("figures", [])
    return draft


def _save_draft(request, draft: dict) -> None:
    request.session[SESSION_KEY] = draft


def _bound(step: str, answers: dict):
    return STEP_FORMS[step](data=MultiValueDict(answers[step]))


def _answer(draft: dict, step: str, name: str):
    """One cleaned answer of an earlier step, or None while it is missing or invalid."""
    if step not in draft["answers"]:
        return None
    form = _bound(step, draft["answers"])
    return form.cleaned_data.get(name) if form.is_valid() else None


def _figure_context(draft: dict) -> dict:
    """What a figure is checked against: the people helped and client groups answered so far."""
    groups = _answer(draft, "where-and-who", "client_groups")
    return {
        "cohort_size": _answer(draft, "people-helped", "cohort_size"),
        "client_group_ids": [group.pk for group in groups] if groups is not None else None,
    }


def _figure_form(draft: dict, data=None) -> OutcomeFigureForm:
    return OutcomeFigureForm(data=data, **_figure_context(draft))


def _figure_forms(draft: dict) -> list[OutcomeFigureForm]:
    context = _figure_context(draft) if draft["figures"] else {}
    return [OutcomeFigureForm(data=MultiValueDict(stored), **context) for stored in draft["figures"]]


def _first_unanswered(draft: dict) -> str | None:
    for step in STEP_NAMES:
        if step not in draft["answers"] or not _bound(step, draft["answers"]).is_valid():
            return step
        if step == FIGURES_STEP and not all(form.is_valid() for form in _figure_forms(draft)):
            return step
    return None


@require_safe
def start(request):
    prefill = PrefillForm(request.GET).initial_answers()
    if prefill:
        draft = _draft(request)
        draft["prefill"] = prefill
        _save_draft(request, draft)
    return render(request, "casestudies/submit/start.html", {"first_step": STEP_NAMES[0]})


@never_cache
@require_http_methods(["GET", "POST"])
def step(request, step):
    if step not in STEP_FORMS:
        raise Http404
    form_class = STEP_FORMS[step]
    draft = _draft(request)
    returning = request.GET.get("return") == "check"
    if step == FIGURES_STEP:
        return _figures_step(request, draft, returning)
    # Back on check-your-answers, the page opens at the answer that was
    # changed: only a field of this step names the row.
    changed = request.GET.get("answer", "")
    check_url = reverse("casestudies:submit_check") + (
        f"#{answer_row_id(changed)}" if changed in form_class.base_fields else ""
    )
    if request.method == "POST":
        form = form_class(data=request.POST)
        if getattr(form, "is_spam", None) and form.is_spam():
            draft["spam"] = True
        if form.is_valid():
            draft["answers"][step] = form.stored_data()
            _save_draft(request, draft)
            if returning:
                return redirect(check_url)
            return redirect(_next_url(draft, step))
    elif step in draft["answers"]:
        form = _bound(step, draft["answers"])
    else:
        initial = {}
        prefill = draft.get("prefill") or {}
        if step == "where-and-who":
            initial = {
                "region": (prefill.get("region") or [None])[0],
                "client_groups": prefill.get("client_groups"),
            }
        form = form_class(initial=initial)
    return render(
        request,
        "casestudies/submit/step.html",
        {
            "form": form,
            "step": step,
            **_step_position(step),
            "back_url": check_url if returning else _back_url(step),
            "returning": returning,
            "suggested_level": _suggested_level(draft) if step == "evidence-level" else None,
        },
    )


def _step_position(step: str) -> dict:
    return {"number": STEP_NAMES.index(step) + 1, "total": len(STEP_NAMES)}


def _back_url(step: str) -> str:
    index = STEP_NAMES.index(step)
    if index:
        return reverse("casestudies:submit_step", args=[STEP_NAMES[index - 1]])
    return reverse("casestudies:submit")


def _next_url(draft: dict, step: str) -> str:
    index = STEP_NAMES.index(step)
    following = _first_unanswered(draft)
    if following is None:
        return reverse("casestudies:submit_check")
    next_step = STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else following
    return reverse("casestudies:submit_step", args=[next_step])


def _suggested_level(draft: dict):
    """The level the measurement answer points to, offered as a suggestion."""
    return SUGGESTED_LEVEL.get(_answer(draft, "how-measured", "measurement_method"))


def _figure_rows(draft: dict, *, returning: bool) -> list[dict]:
    rows = []
    for number, form in enumerate(_figure_forms(draft), start=1):
        valid = form.is_valid()
        values = form.cleaned_data if valid else {}
        query = "?return=check" if returning else ""
        rows.append(
            {
                "number": number,
                "measure": form.data.get("measure", ""),
                "text": describe_figure(**{k: v for k, v in values.items() if k != "measure"}),
                "errors": [] if valid else [error for errors in form.errors.values() for error in errors],
                "change_url": reverse("casestudies:submit_figure", args=[number]) + query,
                "remove_url": reverse("casestudies:submit_figure_remove", args=[number]) + query,
                "id": answer_row_id(f"figure-{number}"),
            }
        )
    return rows


def _figures_step(request, draft: dict, returning: bool):
    """GOV.UK "add another": the figures added so far, each with Change and
    Remove, and whether to add another. "No" (or none at all) completes the step."""
    first = not draft["figures"]
    query = "?return=check" if returning else ""
    if request.method == "POST":
        form = AddAnotherOutcomeForm(data=request.POST, first=first)
        rows = _figure_rows(draft, returning=returning)
        if form.is_valid():
            if form.cleaned_data["add_another"] == "yes":
                return redirect(reverse("casestudies:submit_figure_add") + query)
            for row in rows:
                if row["errors"]:
                    form.add_error(None, f"Outcome {row['number']}: {row['errors'][0]}")
            if not form.errors:
                draft["answers"][FIGURES_STEP] = form.stored_data()
                _save_draft(request, draft)
                if returning:
                    return redirect(reverse("casestudies:submit_check") + f"#{answer_row_id('figures')}")
                return redirect(_next_url(draft, FIGURES_STEP))
    else:
        form = AddAnotherOutcomeForm(first=first)
        rows = _figure_rows(draft, returning=returning)
    return render(
        request,
        "casestudies/submit/figures.html",
        {
            "form": form,
            "rows": rows,
            "step": FIGURES_STEP,
            **_step_position(FIGURES_STEP),
            "back_url": reverse("casestudies:submit_check") if returning else _back_url(FIGURES_STEP),
            "returning": returning,
            "add_url": reverse("casestudies:submit_figure_add") + query,
        },
    )


def _figure_index(draft: dict, number) -> int | None:
    if number is None:
        return None
    if not 1 <= number <= len(draft["figures"]):
        raise Http404
    return number - 1


@never_cache
@require_http_methods(["GET", "POST"])
def figure(request, number=None):
    """Add one outcome in numbers, or change the ``number``th."""
    draft = _draft(request)
    index = _figure_index(draft, number)
    returning = request.GET.get("return") == "check"
    query = "?return=check" if returning else ""
    summary_url = reverse("casestudies:submit_step", args=[FIGURES_STEP]) + query
    if request.method == "POST":
        form = _figure_form(draft, request.POST)
        if form.is_valid():
            if index is None:
                draft["figures"].append(form.stored_data())
            else:
                draft["figures"][index] = form.stored_data()
            _save_draft(request, draft)
            return redirect(summary_url)
    elif index is not None:
        form = _figure_form(draft, MultiValueDict(draft["figures"][index]))
    else:
        form = _figure_form(draft)
    return render(
        request,
        "casestudies/submit/step.html",
        {
            "form": form,
            "step": "figure",
            **_step_position(FIGURES_STEP),
            "back_url": summary_url,
            "returning": False,
            "figure_number": (index + 1) if index is not None else len(draft["figures"]) + 1,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def figure_remove(request, number):
    """Are you sure? Then remove the ``number``th figure."""
    draft = _draft(request)
    index = _figure_index(draft, number)
    query = "?return=check" if request.GET.get("return") == "check" else ""
    summary_url = reverse("casestudies:submit_step", args=[FIGURES_STEP]) + query
    form = RemoveFigureForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["remove"] == "yes":
            del draft["figures"][index]
            _save_draft(request, draft)
        return redirect(summary_url)
    return render(
        request,
        "casestudies/submit/figure_remove.html",
        {"form": form, "measure": draft["figures"][index].get("measure", [""])[0], "back_url": summary_url},
    )


def _display(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    if hasattr(value, "all") or isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _choice_label(field, value):
    """An answer picked from a list, in the words it was offered in."""
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return {str(key): label for key, label in field.choices}.get(str(value), value)
    return value


def answer_row_id(name: str) -> str:
    """The id of an answer's row on check-your-answers."""
    return f"answer-{name}"


def _summary(draft: dict) -> list[dict]:
    sections = []
    for step_name in STEP_NAMES:
        form = _bound(step_name, draft["answers"])
        form.is_valid()
        if step_name == FIGURES_STEP:
            sections.append({"title": form.title, "rows": _figures_summary(draft)})
            continue
        rows = []
        for name, field in form.fields.items():
            bound = form[name]
            value = _display(_choice_label(field, form.cleaned_data.get(name)))
            if name == getattr(form, "honeypot_field", None):
                continue
            rows.append(
                {
                    "label": field.label,
                    "value": value,
                    "empty": getattr(form, "unknown_answer", "Not given"),
                    "id": answer_row_id(name),
                    "change_url": reverse("casestudies:submit_step", args=[step_name])
                    + f"?return=check&answer={name}#{bound.anchor}",
                }
            )
        sections.append({"title": form.title, "rows": rows})
    return sections


def _figures_summary(draft: dict) -> list[dict]:
    """One row for each figure, its Change link going to that figure; with
    none, one row whose link goes back to the question."""
    rows = [
        {
            "label": row["measure"],
            "value": row["text"],
            "empty": "",
            "id": row["id"],
            "change_url": row["change_url"],
        }
        for row in _figure_rows(draft, returning=True)
    ]
    return rows or [
        {
            "label": "Results in numbers",
            "value": "",
            "empty": "None given",
            "id": answer_row_id("figures"),
            "change_url": reverse("casestudies:submit_step", args=[FIGURES_STEP]) + "?return=check",
        }
    ]


def _model_data(draft: dict) -> dict:
    data = {}
    for step_name in STEP_NAMES:
        form = _bound(step_name, draft["answers"])
        if not form.is_valid():
            raise ValueError(step_name)
        for name, value in form.cleaned_data.items():
            if name != getattr(form, "honeypot_field", None):
                data[MODEL_FIELD_NAMES.get(name, name)] = value
    figures = _figure_forms(draft)
    if not all(form.is_valid() for form in figures):
        raise ValueError(FIGURES_STEP)
    data["figures"] = [form.cleaned_data for form in figures]
    return data


@never_cache
@require_http_methods(["GET", "POST"])
def check(request):
    draft = _draft(request)
    if request.method == "POST":
        form = SendForm(request.POST)
        key = form.cleaned_data["submission_key"] if form.is_valid() else ""
        existing = services.case_study_find_by_key(submission_key=key)
        if existing:
            # Sent twice (a double click, a refresh, back-and-resubmit): one example.
            request.session[SENT_KEY] = existing.reference
            return redirect("casestudies:submit_sent")
        if key and key == draft.get("key") and _first_unanswered(draft) is None:
            if refusal := ratelimit.refused(
                request, "casestudy-submit", limit=settings.CASE_STUDY_SUBMIT_LIMIT_PER_HOUR, window=60 * 60
            ):
                return refusal
            if draft.get("spam"):
                # Accepted quietly and not saved.
                request.session.pop(SESSION_KEY, None)
                request.session[SENT_KEY] = ""
                return redirect("casestudies:submit_sent")
            case_study = services.case_study_submit(data=_model_data(draft), submission_key=key)
            request.session.pop(SESSION_KEY, None)
            request.session[SENT_KEY] = case_study.reference
            return redirect("casestudies:submit_sent")
    unanswered = _first_unanswered(draft)
    if unanswered:
        return redirect("casestudies:submit_step", step=unanswered)
    if not draft.get("key"):
        draft["key"] = secrets.token_urlsafe(32)
        _save_draft(request, draft)
    return render(
        request,
        "casestudies/submit/check.html",
        {"sections": _summary(draft), "form": SendForm(initial={"submission_key": draft["key"]})},
    )


@never_cache
@require_safe
def sent(request):
    if SENT_KEY not in request.session:
        return redirect("casestudies:submit")
    case_study = CaseStudy.objects.filter(reference=request.session[SENT_KEY]).first()
    return render(
        request,
        "casestudies/submit/sent.html",
        {
            "reference": request.session[SENT_KEY],
            "position": moderation_position(case_study) if case_study else "",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """Look up an example's progress. The answer goes by e-mail to the
    submitter's address, and the page says the same whether or not the
    reference and address match, so it reveals nothing, not even whether
    the example exists."""
    if request.method == "POST":
        if refusal := ratelimit.refused(
            request, "casestudy-status", limit=settings.CASE_STUDY_STATUS_LIMIT_PER_15_MINUTES, window=15 * 60
        ):
            return refusal
        form = StatusForm(request.POST)
        if form.is_valid():
            case_study = CaseStudy.objects.filter(
                reference=form.cleaned_data["reference"], submitter_email__iexact=form.cleaned_data["email"]
            ).first()
            if case_study is not None and ratelimit.hit(
                "casestudy-status-email",
                case_study.submitter_email.lower(),
                limit=settings.CASE_STUDY_STATUS_EMAIL_LIMIT_PER_HOUR,
                window=60 * 60,
            ):
                submission_status_send(case_study)
            return redirect("casestudies:status_sent")
    else:
        form = StatusForm()
    return render(request, "casestudies/submit/status.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, token):
    days = settings.CASE_STUDY_EDIT_LINK_DAYS
    case_study = read_token(CaseStudy, token, EDIT_PURPOSE, max_age=days * 24 * 60 * 60)
    if case_study is None:
        return render(request, "casestudies/submit/link_expired.html", {"days": days}, status=410)
    if case_study.status != Status.CHANGES_REQUESTED:
        return render(
            request, "casestudies/submit/cannot_change.html", {"case_study": case_study}, status=409
        )
    note = ModerationEvent.objects.for_object(case_study).filter(to_status=Status.CHANGES_REQUESTED).last()
    if request.method == "POST":
        form = EditForm(data=request.POST)
        valid = form.is_valid()
        groups = form.cleaned_data.get("client_groups")
        figures = figure_formset(
            data=request.POST,
            cohort_size=form.cleaned_data.get("cohort_size"),
            client_group_ids=[group.pk for group in groups] if groups is not None else None,
        )
        if figures.is_valid() and valid:
            data = {MODEL_FIELD_NAMES.get(name, name): value for name, value in form.cleaned_data.items()}
            data["figures"] = [
                figure.cleaned_data
                for figure in figures.forms
                if figure.cleaned_data and not figure.cleaned_data.get("DELETE")
            ]
            services.case_study_resubmit(case_study=case_study, data=data)
            request.session[SENT_KEY] = case_study.reference
            return redirect("casestudies:edit_sent")
    else:
        form = EditForm(initial=EditForm.initial_for(case_study))
        figures = figure_formset(
            case_study=case_study,
            cohort_size=case_study.cohort_size,
            client_group_ids=[group.pk for group in case_study.client_groups.all()],
        )
    return render(
        request,
        "casestudies/submit/edit.html",
        {
            "form": form,
            "figure_formset": figures,
            "case_study": case_study,
            "note": note.note if note else "",
        },
    )


@never_cache
@require_safe
def edit_sent(request):
    reference = request.session.get(SENT_KEY)
    if not reference:
        return redirect("casestudies:status")
    return render(request, "casestudies/submit/edit_sent.html", {"reference": reference})


@never_cache
@require_http_methods(["GET", "POST"])
def review(request, token):
    """The submitter confirms their published example still holds, from the
    review e-mail. The link opens a page with one button: a GET never
    changes anything (mail scanners follow links)."""
    days = settings.CASE_STUDY_REVIEW_LINK_DAYS
    case_study = read_token(CaseStudy, token, REVIEW_PURPOSE, max_age=review_link_max_age())
    if case_study is None or not case_study.is_published:
        return render(request, "casestudies/review/link_expired.html", {"days": days}, status=410)
    if request.method == "POST":
        case_study = case_study_renew(case_study=case_study, actor_label="Submitter")
        return render(request, "casestudies/review/done.html", {"case_study": case_study})
    return render(request, "casestudies/review/confirm.html", {"case_study": case_study})
