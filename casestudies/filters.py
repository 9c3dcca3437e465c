"""Finding case studies: filters, keyword search, sorting and paging.

``browse(params)`` is the one way the list, the CSV export and the JSON
endpoint read a query string. It validates every parameter with a form: a
value it cannot use is left out, with a message saying so, and never causes
an error page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import QueryDict

from casestudies.evidence import EvidenceLevel
from casestudies.models import CaseStudy
from linkup.models import Agency, ClientGroup, NationalIndicator, Outcome, Region
from linkup.search import KeywordFilter, correct
from linkup.sorting import SORT_RELEVANCE, sort_box, sort_filter

# A value that is not on a list is repeated back in a message up to this long.
ECHO_MAX_LENGTH = 40
PAGE_SIZE = 20
OTHER_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

SORT_NEWEST = "newest"
SORT_TITLE = "title"
SORT_PEOPLE = "people"
SORT_CHOICES = [
    (SORT_RELEVANCE, "Relevance"),
    (SORT_NEWEST, "Newest"),
    (SORT_TITLE, "Title (A to Z)"),
    (SORT_PEOPLE, "People helped (most first)"),
]
# The query-string parameters the filter form shows.
FILTER_PARAMS = ("q", "region", "client_group", "agency", "outcome", "indicator", "level", "figures", "sort")
REFERENCE_PARAMS = ("region", "client_group", "agency", "outcome", "indicator")
ORDERINGS = {
    SORT_NEWEST: ("-published_at", "-pk"),
    SORT_TITLE: ("title", "pk"),
    # Examples that do not say how many people they helped come last.
    SORT_PEOPLE: (F("cohort_size").desc(nulls_last=True), "-published_at", "-pk"),
}
# "Level 3 or above": the evidence-level filter keeps that level and the stronger ones.
LEVEL_CHOICES = [
    (str(level.value), f"Level {level.value} or above ({level.label.partition(': ')[2]})")
    for level in EvidenceLevel
]
FIGURES_YES = "yes"


class ReferenceChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Checkboxes of reference data, chosen by slug, with a message in plain words."""

    def __init__(self, *args, noun="an option", **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = f"‘%(value)s’ is not {noun} we know. Choose from the list."
        self.error_messages["null_characters_not_allowed"] = f"Choose {noun} from the list."

    def label_from_instance(self, obj):
        return obj.label if hasattr(obj, "label") else str(obj)

    def clean(self, value):
        if isinstance(value, list | tuple):
            # The same value twice in the query string counts once; an empty
            # one (``?region=``) is no choice at all.
            value = [item for item in dict.fromkeys(value) if str(item).strip()]
            if any(OTHER_CONTROLS.search(str(item)) for item in value):
                raise forms.ValidationError(self.error_messages["null_characters_not_allowed"])
            for item in value:
                if len(str(item)) > ECHO_MAX_LENGTH:
                    # Not repeated back in full: it is no slug of ours.
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": f"{str(item)[:ECHO_MAX_LENGTH]}…"},
                    )
        if not value and not self.required:
            return []
        return list(super().clean(value))

    def known(self, values) -> list:
        """The rows among ``values`` that are on the list, in list order: what
        a filter still uses when some of the values it was given are not."""
        keys = [str(item) for item in values if not OTHER_CONTROLS.search(str(item))]
        return list(self.queryset.filter(**{f"{self.to_field_name}__in": keys}))


class ReferenceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ReferenceChoiceField


def choice_key(item) -> str:
    """The value a reference item has in a query string: its slug, or an
    indicator's code (``NI 147``)."""
    return item.code if isinstance(item, NationalIndicator) else item.slug


def _reference_filter(model, label, noun, through_field, *, to_field_name="slug", queryset=None, method=None):
    """Case studies with any of the chosen values: a subquery, not a join, so
    no case study comes twice and no DISTINCT is needed."""

    def filter_method(queryset, name, value):
        if not value:
            return queryset
        if through_field is None:
            return queryset.filter(region__in=value)
        through = getattr(CaseStudy, through_field).through
        column = f"{model._meta.model_name}__in"
        return queryset.filter(pk__in=through.objects.filter(**{column: value}).values("casestudy_id"))

    return ReferenceFilter(
        queryset=queryset if queryset is not None else model.objects.ordered(),
        to_field_name=to_field_name,
        label=label,
        noun=noun,
        widget=forms.CheckboxSelectMultiple,
        method=method or filter_method,
    )


class CaseStudyFilter(django_filters.FilterSet):
    q = KeywordFilter(
        label="Keyword",
        noun="Keyword",
        instead="We have shown every case study instead.",
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        method="filter_keyword",
    )
    region = _reference_filter(Region, "Region", "a region", None)
    client_group = _reference_filter(ClientGroup, "Client group", "a client group", "client_groups")
    agency = _reference_filter(Agency, "Agency", "an agency", "agencies")
    outcome = _reference_filter(Outcome, "Outcome", "an outcome", "outcomes")
    # Examples with a result counting towards the indicator (NI 143 to 150).
    indicator = _reference_filter(
        NationalIndicator,
        "Figures for a national indicator",
        "a national indicator",
        None,
        to_field_name="code",
        queryset=NationalIndicator.objects.order_by("code"),
        method=lambda queryset, name, value: queryset.with_figures(indicators=value) if value else queryset,
    )
    level = django_filters.ChoiceFilter(
        label="Strength of evidence",
        choices=LEVEL_CHOICES,
        empty_label="Any, or not yet rated",
        widget=forms.RadioSelect,
        method="filter_level",
        error_messages={"invalid_choice": "Select a strength of evidence from the list"},
    )
    figures = django_filters.MultipleChoiceFilter(
        label="Results in numbers",
        choices=[(FIGURES_YES, "Only examples with figures")],
        widget=forms.CheckboxSelectMultiple,
        method="filter_figures",
        error_messages={"invalid_choice": "Select ‘Only examples with figures’ or leave it empty"},
    )
    sort = sort_filter(SORT_CHOICES)

    class Meta:
        model = CaseStudy
        fields = ["q", "region", "client_group", "agency", "outcome", "indicator", "level", "figures", "sort"]

    def filter_keyword(self, queryset, name, value):
        return queryset.search(value)

    def filter_level(self, queryset, name, value):
        return queryset.with_evidence_level(int(value)) if value else queryset

    def filter_figures(self, queryset, name, value):
        return queryset.with_figures() if value else queryset


@dataclass
class AppliedFilter:
    label: str
    remove_url: str


@dataclass
class Browse:
    """The result of reading a query string: what to show and what to say."""

    filterset: CaseStudyFilter
    queryset: object
    keyword: str
    sort: str
    problems: list[str] = field(default_factory=list)
    applied: list[AppliedFilter] = field(default_factory=list)
    # What the search made of a keyword it could still use (not an error).
    notices: list[str] = field(default_factory=list)
    # "Did you mean": the keyword spelt like words on the portal, and its address.
    suggestion: str = ""
    suggestion_url: str = ""

    @property
    def form(self):
        return self.filterset.form

    @property
    def is_search(self) -> bool:
        """A keyword search reads every match (to rank or sort them)."""
        return bool(self.keyword)

    @property
    def is_filtered(self) -> bool:
        return bool(self.applied)

    @property
    def filters_chosen(self) -> int:
        """How many filters are applied, the keyword aside (the "Filter" button says it)."""
        return len(self.applied) - bool(self.keyword)

    def found_nothing(self) -> None:
        """Say why a keyword search found nothing when it is made only of
        words too common to search for, or of symbols."""
        if self.keyword and not CaseStudy.objects.has_search_terms(self.keyword):
            self.notices.append(
                f"‘{self.keyword}’ is made only of words too common to search for, or of symbols. "
                "Try a more specific word."
            )

    def offer_suggestion(self, params: QueryDict) -> None:
        """ "Did you mean": the keyword spelt like words on the portal, offered
        even beside results (those of a mistyped word are only near matches)."""
        suggestion = correct(self.keyword) if self.keyword else None
        if suggestion:
            corrected = params.copy()
            corrected.pop("page", None)
            corrected["q"] = suggestion
            self.suggestion, self.suggestion_url = suggestion, f"?{corrected.urlencode()}"


def _without(params: QueryDict, key: str, value: str | None = None) -> str:
    remaining = params.copy()
    remaining.pop("page", None)
    if value is None:
        remaining.pop(key, None)
    else:
        remaining.setlist(key, [v for v in remaining.getlist(key) if v != value])
    encoded = remaining.urlencode()
    return f"?{encoded}" if encoded else "?"


def filters_read(form, params: QueryDict) -> dict:
    """The filter form's answers it can use: a value not on a list is left
    out, and the others still apply (an alert's topic is read the same way)."""
    form.is_valid()
    cleaned = form.cleaned_data
    for name in REFERENCE_PARAMS:
        if name in form.errors:
            cleaned[name] = form.fields[name].known(params.getlist(name))
    return cleaned


def browse(params: QueryDict, queryset=None) -> Browse:
    """Filter, search and sort published case studies from a query string."""
    if queryset is None:
        queryset = CaseStudy.objects.published()
    filterset = CaseStudyFilter(params, queryset=queryset)
    form = filterset.form
    cleaned = filters_read(form, params)
    keyword = cleaned.get("q") or ""
    sort = sort_box(
        form, choices=SORT_CHOICES, chosen=cleaned.get("sort") or "", keyword=keyword, default=SORT_NEWEST
    ).used
    results = filterset.qs
    if sort in ORDERINGS:
        results = results.order_by(*ORDERINGS[sort])

    applied = []
    if keyword:
        applied.append(AppliedFilter(f"Keyword: {keyword}", _without(params, "q")))
    for name in REFERENCE_PARAMS:
        for item in cleaned.get(name) or []:
            label = f"Figures for {item.code}" if name == "indicator" else item.label
            applied.append(AppliedFilter(label, _without(params, name, choice_key(item))))
    if level := cleaned.get("level"):
        applied.append(AppliedFilter(dict(LEVEL_CHOICES)[level], _without(params, "level")))
    if cleaned.get("figures"):
        applied.append(AppliedFilter("With figures", _without(params, "figures")))
    problems = [error for errors in form.errors.values() for error in errors]
    notices = []
    if keyword.count('"') % 2:
        notices.append(
            "Your keyword has a quotation mark without a closing one. "
            "We searched for the words after it as a phrase."
        )
    return Browse(filterset, results, keyword, sort, problems, applied, notices)


class ResultsPaginator(Paginator):
    """Counts with the ordering cleared: the order (a search's rank) does not
    change the count."""

    @cached_property
    def count(self):
        return self.object_list.order_by().count()


def paginate(queryset, page_param: str | None, *, per_page: int = PAGE_SIZE) -> tuple[Page, str | None]:
    """The requested page, or the nearest real one with a message saying why."""
    paginator = ResultsPaginator(queryset, per_page)
    raw = (page_param or "1").strip()
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
    if number is not None and 1 <= number <= paginator.num_pages:
        return _page(paginator, number), None
    if raw.isascii() and raw.isdigit() and not raw.strip("0"):
        return _page(paginator, 1), "There is no page 0. Showing page 1."
    if raw.isascii() and raw.isdigit():
        last = paginator.num_pages
        message = f"There is no page {raw[:12]}. Showing page {last}, the last page."
        return _page(paginator, last), message
    return _page(paginator, 1), "Page numbers must be whole numbers, like 2. Showing page 1."


def _page(paginator: Paginator, number: int) -> Page:
    """The page, its rows read once (the template reads them several times)."""
    page = paginator.page(number)
    page.object_list = list(page.object_list)
    return page
