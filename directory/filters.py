"""Finding people in the directory: the search page's query string as a
django-filter ``FilterSet``, like the case studies' (``casestudies/filters.py``).

Every parameter is validated by the filter's form before it is used: a value
the form cannot use is left out and reported in the error summary, the other
answers still apply, and nothing is ever an error page.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q

from linkup.forms import GovUKMessagesMixin
from linkup.models import Agency, ClientGroup, LocalAuthority
from linkup.search import KeywordFilter, clean_query
from linkup.sorting import SORT_RELEVANCE, SortOrder, sort_box, sort_filter

from .models import Listing, OpenTo

SORT_NAME = "name"
SORT_CONFIRMED = "confirmed"
SORT_CHOICES = [
    (SORT_RELEVANCE, "Relevance"),
    (SORT_NAME, "Name"),
    (SORT_CONFIRMED, "Most recently confirmed"),
]
LISTING_ORDERINGS = {
    SORT_NAME: ("full_name", "pk"),
    SORT_CONFIRMED: (F("last_confirmed").desc(nulls_last=True), "full_name", "pk"),
}


def _words(text: str) -> set[str]:
    """Lower-case words, a plural's "s" dropped: "care leaver" is "care leavers"."""
    return {word.removesuffix("s") for word in re.findall(r"\w+", text.lower()) if len(word) > 2}


class SearchFilterForm(GovUKMessagesMixin, forms.Form):
    one_line_answers = False  # the keyword field makes a pasted line break a space

    def clean_q(self):
        return clean_query(self.cleaned_data.get("q"))


class ReferenceChoiceField(django_filters.fields.ModelChoiceField):
    """A select of reference data, each option by the name the interface shows."""

    def label_from_instance(self, obj):
        return obj.label


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ReferenceChoiceField


def _slug_choice(queryset, *, label: str, empty_label: str, message: str, method: str):
    return ReferenceChoiceFilter(
        queryset=queryset,
        to_field_name="slug",
        label=label,
        empty_label=empty_label,
        method=method,
        error_messages={"invalid_choice": message},
    )


class ListingFilter(django_filters.FilterSet):
    """The search page's filters. ``search()`` reads the results in the
    order chosen; a keyword is applied last, among the filtered listings."""

    q = KeywordFilter(
        label="Search the directory",
        help_text="For example, a name, job title, organisation, place, client group or expertise "
        "such as 'leaving care'.",
        method="no_filter",
    )
    area = _slug_choice(
        # Read when the form is made, so a region opened in the settings is offered.
        lambda request: LocalAuthority.objects.open_to_listings(),
        label="Area covered",
        empty_label="Any area",
        message="Select an area from the list",
        method="filter_area",
    )
    neighbours = django_filters.BooleanFilter(
        label="Include people covering neighbouring areas",
        widget=forms.CheckboxInput,
        method="no_filter",  # read by filter_area
    )
    agency = _slug_choice(
        Agency.objects.ordered(),
        label="Agency or sector",
        empty_label="Any agency",
        message="Select an agency from the list",
        method="filter_agency",
    )
    client_group = _slug_choice(
        ClientGroup.objects.ordered(),
        label="Client group",
        empty_label="Any client group",
        message="Select a client group from the list",
        method="filter_client_group",
    )
    open_to = django_filters.ChoiceFilter(
        label="Open to",
        choices=OpenTo.choices,
        empty_label="Anything",
        method="filter_open_to",
        error_messages={"invalid_choice": "Select what they are open to from the list"},
    )
    sort = sort_filter(SORT_CHOICES)

    class Meta:
        model = Listing
        form = SearchFilterForm
        fields = ["q", "area", "neighbours", "agency", "client_group", "open_to", "sort"]

    # Parameters that narrow the listings (the keyword and the order do not).
    NARROWING = ("area", "agency", "client_group", "open_to")

    def no_filter(self, queryset, name, value):
        return queryset

    def filter_area(self, queryset, name, value):
        covered = Q(localauthority=value)
        if self.form.cleaned_data.get("neighbours"):
            neighbours = LocalAuthority.neighbours.through.objects.filter(from_localauthority=value)
            covered |= Q(localauthority__in=neighbours.values("to_localauthority"))
        # EXISTS rather than a join: no duplicate rows, no DISTINCT.
        return queryset.filter(Exists(Listing.areas.through.objects.filter(covered, listing=OuterRef("pk"))))

    def filter_agency(self, queryset, name, value):
        return queryset.filter(agency=value)

    def filter_client_group(self, queryset, name, value):
        return queryset.filter(
            Exists(Listing.client_groups.through.objects.filter(listing=OuterRef("pk"), clientgroup=value))
        )

    def filter_open_to(self, queryset, name, value):
        return queryset.filter(open_to__contains=[value])

    @property
    def data_used(self) -> dict:
        """The valid answers (an invalid one is left out and reported)."""
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        if not cleaned.get("area"):
            cleaned["neighbours"] = False
        return cleaned

    @property
    def keyword(self) -> str:
        return self.data_used.get("q") or ""

    @cached_property
    def sort_order(self) -> SortOrder:
        """The order of the results: the one chosen, else relevance for a
        keyword search and name for a list. The sort box shows it."""
        chosen = self.data_used.get("sort") or ""
        return sort_box(
            self.form, choices=SORT_CHOICES, chosen=chosen, keyword=self.keyword, default=SORT_NAME
        )

    def search(self):
        """The listings found, in the order used (``sort_order``), for a ``Paginator``."""
        listings = self.qs
        if not self.keyword:
            return listings.order_by(*LISTING_ORDERINGS[self.sort_order.used]).for_results_page()
        narrowed = any(self.data_used.get(name) for name in self.NARROWING)
        return listings.search(self.keyword, narrowed=narrowed).order_by(self.sort_order.used)

    @property
    def query_items(self) -> list[tuple[str, str]]:
        """The answers used, as query-string items (invalid ones left out)."""
        data = self.data_used
        items = [
            ("q", self.keyword),
            ("area", data["area"].slug if data.get("area") else ""),
            ("neighbours", "on" if data.get("neighbours") else ""),
            ("agency", data["agency"].slug if data.get("agency") else ""),
            ("client_group", data["client_group"].slug if data.get("client_group") else ""),
            ("open_to", data.get("open_to") or ""),
            ("sort", self.sort_order.chosen),
        ]
        return [(name, value) for name, value in items if value]

    def query_without(self, *names: str, adding: tuple[tuple[str, str], ...] = ()) -> str:
        """This search's address without the parameters ``names`` (and with ``adding``)."""
        return "?" + urlencode([*((k, v) for k, v in self.query_items if k not in names), *adding])

    def filters_named(self) -> list[dict]:
        """When the keyword finds no one: the client groups and agencies it
        names whole ("care leavers"), each as this search by that filter
        instead. Keywords find those names in the listings too, so this is
        for a search whose other words find no one ("care leavers weekends").
        Read from the database, so an agency staff add is offered too."""
        typed = _words(self.keyword)
        found = []
        for name, rows, label in (
            (
                "client_group",
                ClientGroup.objects.ordered(),
                lambda g: f"People who work with {g.label.lower()}",
            ),
            ("agency", Agency.objects.ordered(), lambda a: f"People in the agency or sector ‘{a.name}’"),
        ):
            for row in rows:
                if any(
                    (words := _words(n)) and words <= typed
                    for n in (row.name, getattr(row, "short_name", ""))
                ):
                    url = self.query_without(
                        "q", "client_group", "agency", "sort", adding=((name, row.slug),)
                    )
                    found.append({"label": label(row), "url": url})
        return found

    def filter_tags(self) -> list[dict]:
        """Each chosen filter, with the address of the same search without it."""
        data = self.data_used
        labels = {
            "q": lambda v: f"Search: {v}",
            "area": lambda v: f"Area: {v}",
            "neighbours": lambda v: "Including neighbouring areas",
            "agency": lambda v: f"Agency: {v}",
            "client_group": lambda v: f"Client group: {v.label}",
            "open_to": lambda v: f"Open to: {OpenTo(v).label.lower()}",
        }
        tags = []
        for name, label in labels.items():
            if value := data.get(name):
                removed = ("area", "neighbours") if name == "area" else (name,)
                tags.append({"label": label(value), "remove_url": self.query_without(*removed)})
        return tags
