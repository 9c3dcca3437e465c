from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_safe

from toolkit import services
from toolkit.forms import BusinessCaseForm, FinderStepForm
from toolkit.models import Page, Section
from toolkit.word import business_case_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

QUESTION_TITLES = {
    "client_group": "Who are you trying to help?",
    "need": "What does the person need help with?",
    "where": "Where does the person live, or want to live?",
}


def _published_pages():
    return (
        Page.objects.published()
        .ordered()
        .select_related("section")
        .only("title", "slug", "summary", "position", "section__title", "section__slug", "section__position")
    )


@require_safe
def home(request):
    pages = list(_published_pages())
    sections = []
    for page in pages:
        if not sections or sections[-1]["section"].pk != page.section_id:
            sections.append({"section": page.section, "pages": []})
        sections[-1]["pages"].append(page)
    summaries = dict(Section.objects.published().values_list("pk", "summary"))
    for item in sections:
        item["summary"] = summaries.get(item["section"].pk, "")
    return render(request, "toolkit/home.html", {"sections": sections})


@require_safe
def section(request, section):
    section = get_object_or_404(Section.objects.published(), slug=section)
    pages = list(_published_pages().filter(section=section))
    if not pages:
        raise Http404("This section has no published pages")
    return render(request, "toolkit/section.html", {"section": section, "pages": pages})


@require_safe
def page(request, section, page):
    page = get_object_or_404(
        Page.objects.published().select_related("section", "client_group"), section__slug=section, slug=page
    )
    pages = list(_published_pages())
    index = next(i for i, p in enumerate(pages) if p.pk == page.pk)
    context = {
        "page": page,
        "contents": [p for p in pages if p.section_id == page.section_id],
        "previous": pages[index - 1] if index > 0 else None,
        "next": pages[index + 1] if index + 1 < len(pages) else None,
        "links": services.client_group_links(page.client_group) if page.client_group else {},
    }
    return render(request, "toolkit/page.html", context)


@require_safe
def finder(request):
    data = services.without_nul(request.GET)
    change = data.get("change")
    answers = {}
    for step in FinderStepForm.STEPS:
        submitted = step in data or data.get("step") == step
        if step == change or not submitted:
            initial = {step: data.get(step)} if step == change else None
            return _finder_question(request, FinderStepForm(step=step, initial=initial), answers)
        form = FinderStepForm(data, step=step)
        if not form.is_valid():
            return _finder_question(request, form, answers)
        answers[step] = form.cleaned_data[step]

    group, need, where = answers["client_group"], answers["need"], answers["where"]
    area = where["area"]
    context = {
        "client_group": group,
        "need": need,
        "where": where,
        "suggestions": services.finder_suggestions(client_group=group, need=need),
        "guide": services.guide_for(group),
        "links": services.client_group_links(
            group,
            region=area if where["kind"] == "region" else area.region,
            area=area if where["kind"] == "la" else None,
        ),
        "neighbours": list(area.neighbours.order_by("name")) if where["kind"] == "la" else [],
        "answers": _answer_values(answers),
    }
    return render(request, "toolkit/finder_results.html", context)


def _answer_values(answers):
    values = {}
    if "client_group" in answers:
        values["client_group"] = answers["client_group"].slug
    if "need" in answers:
        values["need"] = answers["need"].slug
    if "where" in answers:
        values["where"] = answers["where"]["value"]
    return values


def _finder_question(request, form, answers):
    earlier = {k: v for k, v in _answer_values(answers).items() if k != form.step}
    number = FinderStepForm.STEPS.index(form.step) + 1
    return render(
        request,
        "toolkit/finder_question.html",
        {
            "form": form,
            "question": QUESTION_TITLES[form.step],
            "number": number,
            "total": len(FinderStepForm.STEPS),
            "earlier": earlier,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def business_case(request):
    if request.method != "POST":
        return render(request, "toolkit/business_case_form.html", {"form": BusinessCaseForm()})
    data = services.without_nul(request.POST)
    action = data.get("action", "build")
    if action == "search":
        found = services.case_studies_matching(data.get("evidence_query", "")[:200])
        form = BusinessCaseForm(data, found=found).without_errors()
        context = {"form": form, "searched": data.get("evidence_query", "")[:200], "found": found}
        return render(request, "toolkit/business_case_form.html", context)
    form = BusinessCaseForm(data)
    if not form.is_valid():
        return render(request, "toolkit/business_case_form.html", {"form": form})
    case = form.cleaned_data
    for study in case["evidence"]:
        study.public_url = services.public_url(study)
    table = services.evidence_table(case["evidence"])
    context = {"case": case, "table": table, "hidden": _hidden_fields(data)}
    if action == "markdown":
        text = render_to_string("toolkit/business_case.md", context, request=request)
        return _download(text, "text/markdown; charset=utf-8", "md")
    if action == "word":
        document = business_case_docx(case=case, table=table, site_url=settings.SITE_URL)
        return _download(document, DOCX, "docx")
    return render(request, "toolkit/business_case_document.html", context)


def _hidden_fields(data):
    names = [n for n in BusinessCaseForm.base_fields if n not in {"evidence_query", "date"}]
    names += [f"date_{part}" for part in ("day", "month", "year")]
    return [(name, value) for name in names for value in data.getlist(name)]


def _download(content, content_type, extension):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="business-case.{extension}"'
    return response
