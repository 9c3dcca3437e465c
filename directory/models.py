"""The East Midlands directory of professionals.

What the public may see is decided once, in ``ListingQuerySet.public()``:
published by a moderator and not hidden as stale. Every public read (search,
profile, site-wide search) starts there, and ``search()`` is the one way to
search it (``ranked_search()`` is the same search, read a page at a time for
the directory's results page).

Accent-insensitive search: ``unaccent()`` is only STABLE, so it cannot be
used in a stored (generated) column. Migration 0001 creates an IMMUTABLE
wrapper, ``directory_unaccent(text)``, bound to the ``unaccent`` dictionary
in the extension's schema, and a text search configuration
``directory_search`` (English with ``unaccent`` before stemming). The stored
vector and the plain ``search_text`` are both generated columns, so no
trigger or save() hook can forget to keep them in step. The places a listing
covers live in a many-to-many table, which a
generated column cannot read, so their names are copied into ``places`` when
the areas change (see ``signals.py`` and ``services.listing_set_areas``).

Highlighting: a result shows the words the search matched marked in its
name, role, organisation, places and tags (``Listing.highlights``) and in
its expertise (the headline). The database says which words matched (the
same configuration as the search, so accents and word endings are judged
as the search judges them), for the rows of the page only, in the page's
own statement; Python then marks those words in the text as stored and
escapes the rest (``linkup.search``: one pair of markers, one ``highlight()``).
Typos are corrected against the site's one vocabulary (``linkup.search.correct``).
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import models
from django.db.models import Count, F, Func, Q, Value, Window
from django.urls import reverse
from django.utils import timezone

from linkup import search as text_search
from linkup.models import Agency, ClientGroup, LocalAuthority
from linkup.moderation import Moderated, ModeratedQuerySet, Status
from linkup.search import MARK_START, MARK_STOP, clean_query, correct, highlight, mark_words, marked_words

SEARCH_CONFIG = "directory_search"
# The one pair of highlight markers (linkup/search.py), under the names the
# directory's forms know them by.
HIGHLIGHT_START, HIGHLIGHT_STOP = MARK_START, MARK_STOP
# The typo match is tried when the words themselves find fewer listings.
TYPO_WHEN_FEWER = 3
# Results pages count at most this many matches ("More than 1,000 people"),
# and a keyword search ranks only this many candidates (plus one, so the
# count can tell that there were more): ts_rank reads each match's vector,
# and a common word matches a large share of the directory.
SEARCH_CAP = 1000


PHONE_CHARACTERS = frozenset("0123456789 +()-")


def phone_is_valid(phone: str) -> bool:
    """A work phone number as the directory takes it: digits, spaces and + ( ) -."""
    return bool(phone) and set(phone) <= PHONE_CHARACTERS and any(ch.isdigit() for ch in phone)


def open_regions() -> list[str]:
    """Slugs of the regions whose authorities may be listed (a setting)."""
    return list(getattr(settings, "DIRECTORY_REGIONS", ["east-midlands"]))


def open_authorities():
    return LocalAuthority.objects.filter(region__slug__in=open_regions()).order_by("position", "name")


class OpenTo(models.TextChoices):
    CASE = "case", "Help on a specific case"
    BOUNDARIES = "boundaries", "Working across boundaries"
    ADVICE = "advice", "Giving expert advice"


class Unaccent(Func):
    """The immutable wrapper created in migration 0001 (see module docstring)."""

    function = "directory_unaccent"
    output_field = models.TextField()


def parse_websearch(query: str) -> tuple[str, bool]:
    """The plain words of a websearch query (for typo matching), and whether
    it used any operator (quotes, OR, a leading minus) that plain words
    cannot honour."""
    words, operators = [], False
    for raw in query.replace('"', " ").split():
        if raw.startswith("-") or raw.lower() == "or":
            operators = True
            continue
        words.append(raw)
    return " ".join(words), operators or '"' in query


# What the public may see (ListingQuerySet.public()), for partial indexes.
PUBLIC = Q(status="published", stale_hidden_at__isnull=True)


class ListingQuerySet(ModeratedQuerySet):
    def public(self):
        """What the public may see: published and not hidden as stale."""
        return self.published().filter(stale_hidden_at__isnull=True)

    def with_related(self):
        return self.select_related("agency").prefetch_related("areas", "client_groups")

    def stale(self, *, days: int, now=None):
        """Not confirmed for ``days`` days (as of ``now``, by default the present)."""
        return self.filter(last_confirmed__lt=(now or timezone.now()) - datetime.timedelta(days=days))

    def search(self, query: str):
        """Keyword search: websearch syntax on the stored, weighted vector
        (GIN index). When the words find fewer than ``TYPO_WHEN_FEWER``
        listings, each word not in the vocabulary (``SearchWord``) is
        replaced by its nearest known word and the search runs on the
        corrected words instead; the corrected text is annotated as
        ``search_correction`` (None when nothing was corrected). Annotates
        ``rank``, ``headline``, ``matches`` (see ``search_matches()``;
        ``Listing.highlights`` reads it) and ``found`` (how many
        candidates there are, at most ``SEARCH_CAP + 1``, so a page of
        results brings its own count) and orders by rank (best first).

        Filter before searching (the filters narrow the candidates); ask
        for related rows after (the results are a fresh queryset of the
        candidates, which all come from this one). ``ranked_search()`` is
        the same search read a page at a time, faster, for a results page
        in rank order.

        An empty query returns the queryset unchanged.
        """
        terms = self._search_terms(query)
        if terms is None:
            return self
        ts_query, correction = terms
        # Rank a bounded set of candidates: the first SEARCH_CAP + 1
        # matches the index gives (no sort, so the scan stops there), then
        # ts_rank, order and LIMIT among those only. ts_headline is costly
        # (it parses the whole text): declared costly in SQL, it is
        # evaluated after the sort and the LIMIT, so only for the rows
        # asked for, never for every match (the headline and the matches).
        candidates = self._candidates(ts_query).values("pk")[: SEARCH_CAP + 1]
        return (
            self.model._default_manager.using(self._db)
            .filter(pk__in=candidates)
            .annotate(
                rank=search_rank(ts_query),
                found=Window(Count("*")),
                search_correction=Value(correction, models.TextField()),
                headline=search_headline(ts_query),
                matches=search_matches(ts_query),
            )
            .order_by("-rank", "full_name", "pk")
        )

    def ranked_search(self, query: str):
        """``search()`` as a results page in rank order reads it: a
        ``RankedResults``, sliced a page at a time. An empty query returns
        the queryset unchanged."""
        terms = self._search_terms(query)
        if terms is None:
            return self
        ts_query, correction = terms
        return RankedResults(candidates=self._candidates(ts_query), ts_query=ts_query, correction=correction)

    def _search_terms(self, query: str) -> tuple[SearchQuery, str | None] | None:
        """The query to search with and the corrected words (None when
        nothing was corrected), or None for an empty query. The correction,
        when the words are plain (no operators), is worked out first in a
        small query of its own (``typo_correction()``), so the search itself
        is a plain parameterised query."""
        query = clean_query(query)
        if not query:
            return None
        plain, has_operators = parse_websearch(query)
        correction = self.typo_correction(query, plain) if plain and not has_operators else None
        return SearchQuery(correction or query, search_type="websearch", config=SEARCH_CONFIG), correction

    def _candidates(self, ts_query: SearchQuery):
        return self.filter(search_vector=ts_query).order_by()

    def typo_correction(self, query: str, plain: str) -> str | None:
        """The plain words ``plain`` of ``query`` with each unknown word
        replaced by its nearest known word (``linkup.search.correct``), when
        ``query`` finds fewer than ``TYPO_WHEN_FEWER`` of these listings;
        None when nothing was corrected."""
        correction = correct(plain, sources=["directory"])
        typed = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        if correction is None or self._candidates(typed)[TYPO_WHEN_FEWER - 1 : TYPO_WHEN_FEWER].exists():
            return None
        return correction

    def for_results_page(self):
        """Only what a results page shows of each listing (reading any
        other field costs a query per listing): name, role, organisation,
        tags, expertise, the names of the areas covered (``places``, kept in
        step with the areas) and the agency's name, all in one query."""
        return self.select_related("agency").only(*RESULTS_PAGE_FIELDS, "agency__name")


# What a results page shows of a listing, besides its agency's name.
RESULTS_PAGE_FIELDS = ("reference", "full_name", "job_title", "organisation", "tags", "expertise", "places")
# The short fields a result shows whole, with the words that matched marked
# (``Listing.highlights``); the expertise is shown as its headline.
HIGHLIGHTED_FIELDS = ("full_name", "job_title", "organisation", "tags", "places")


def search_rank(ts_query: SearchQuery) -> SearchRank:
    return SearchRank(F("search_vector"), ts_query)


def search_headline(ts_query: SearchQuery) -> SearchHeadline:
    """Up to two fragments of the expertise, matched words marked."""
    return text_search.search_headline(
        "expertise", ts_query, config=SEARCH_CONFIG, max_fragments=2, max_words=30, min_words=12
    )


def search_matches(ts_query: SearchQuery) -> SearchHeadline:
    """The short fields a result shows (``HIGHLIGHTED_FIELDS``) as one
    text, every word the query matches marked: which of their words to
    highlight (``Listing.highlights``). ts_headline judges a word as the
    search does (same configuration: unaccented, stemmed), so "celine"
    marks "Céline" and "leavers" marks "leaver"."""
    return text_search.search_headline(
        Func(
            *(F(name) for name in HIGHLIGHTED_FIELDS),
            template="concat_ws(' ', %(expressions)s)",
            output_field=models.TextField(),
        ),
        ts_query,
        config=SEARCH_CONFIG,
        highlight_all=True,
    )


class Highlights:
    """What a search result shows of a listing as HTML, the words the search
    matched in <mark> elements and everything else escaped (see
    ``Listing.highlights``)."""

    def __init__(self, listing: Listing, words: frozenset[str]):
        self.full_name = highlight(mark_words(listing.full_name, words))
        self.job_title = highlight(mark_words(listing.job_title, words))
        self.organisation = highlight(mark_words(listing.organisation, words))
        self.places = highlight(mark_words(listing.places, words))
        self.tag_list = [highlight(mark_words(tag, words)) for tag in listing.tag_list]


class RankedResults:
    """A keyword search in rank order as the directory's results page reads
    it, a slice (a page) at a time: the same results as
    ``ListingQuerySet.search()``, for less work, each listing with only what
    a results page shows (as ``ListingQuerySet.for_results_page()``).

    A slice is one statement. It ranks the candidates (the first
    SEARCH_CAP + 1 matches the GIN index gives) as the scan reads them,
    counts them with a window, keeps the keys of the slice and only then
    reads those listings, their agency's name and the names of their
    areas (``places``), and makes their headlines and ``matches``;
    ``search()`` instead reads every candidate a second time, by key, to
    rank it, and carries whole rows through the sort. Each listing is
    given ``rank``, ``headline``, ``matches``, ``found`` (the count of
    candidates, at most SEARCH_CAP + 1) and ``search_correction``.
    """

    def __init__(self, *, candidates, ts_query: SearchQuery, correction: str | None):
        self.candidates = candidates
        self.ts_query = ts_query
        self.correction = correction

    def for_results_page(self):
        return self

    def capped_count(self) -> int:
        """The number of candidates, at most SEARCH_CAP + 1."""
        return self.candidates.values("pk")[: SEARCH_CAP + 1].count()

    def __getitem__(self, key: slice) -> list[Listing]:
        if not isinstance(key, slice) or key.step is not None or key.stop is None:
            raise TypeError("RankedResults take a slice with an end: results[start:stop].")
        start = key.start or 0
        if key.stop <= start:
            return []
        model, db = self.candidates.model, self.candidates.db
        ranked = self.candidates.values(
            listing_id=F("pk"), name=F("full_name"), rank=search_rank(self.ts_query)
        )[: SEARCH_CAP + 1]
        candidates_sql, candidates_params = ranked.query.sql_with_params()
        # The headline and the matches as search() makes them, over the
        # listing's own row.
        query = model._default_manager.annotate(
            headline=search_headline(self.ts_query), matches=search_matches(self.ts_query)
        ).query
        compiler = query.get_compiler(db)
        headline_sql, headline_params = compiler.compile(query.annotations["headline"])
        matches_sql, matches_params = compiler.compile(query.annotations["matches"])
        columns = ", ".join(
            f"directory_listing.{model._meta.get_field(name).column}" for name in RESULTS_PAGE_FIELDS
        )
        # Django's own SQL for the candidates and the headline, and constants.
        sql = RANKED_PAGE_SQL.format(
            columns=columns, headline=headline_sql, matches=matches_sql, candidates=candidates_sql
        )
        params = [*headline_params, *matches_params, *candidates_params, key.stop - start, start]
        listings = list(model._default_manager.db_manager(db).raw(sql, params))
        for listing in listings:
            listing.agency = Agency.from_db(db, ["id", "name"], [listing.agency_id, listing.agency_name])
            listing.search_correction = self.correction
        return listings


# A slice of the candidates (Django's SQL, with the columns listing_id, name
# and rank) in rank order, with the number of candidates, then those
# listings' columns, agency name, headline and matches. Parameters: the
# headline's, the matches', the candidates', LIMIT and OFFSET.
RANKED_PAGE_SQL = """
SELECT directory_listing.id, directory_listing.agency_id, {columns},
    linkup_agency.name AS agency_name, ranked.rank, ranked.found,
    {headline} AS headline, {matches} AS matches
FROM (
    SELECT c.listing_id, c.name, c.rank, count(*) OVER () AS found
    FROM ({candidates}) AS c
    ORDER BY c.rank DESC, c.name, c.listing_id
    LIMIT %s OFFSET %s
) AS ranked
JOIN directory_listing ON directory_listing.id = ranked.listing_id
JOIN linkup_agency ON linkup_agency.id = directory_listing.agency_id
ORDER BY ranked.rank DESC, ranked.name, ranked.listing_id
"""


class Listing(Moderated):
    full_name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="listings")
    areas = models.ManyToManyField(LocalAuthority, related_name="listings", verbose_name="areas covered")
    client_groups = models.ManyToManyField(ClientGroup, related_name="listings")
    expertise = models.TextField(max_length=2000)
    tags = models.CharField(
        max_length=300, blank=True, help_text="Short expertise tags, separated by commas."
    )
    open_to = ArrayField(
        models.CharField(max_length=20, choices=OpenTo.choices),
        verbose_name="open to",
        help_text="What they are willing to help with.",
    )
    email = models.EmailField("work e-mail address", max_length=254)
    phone = models.CharField("work phone", max_length=40, blank=True)
    show_contact = models.BooleanField(
        "show contact details publicly",
        default=False,
        help_text="They agreed to their work e-mail address and phone number being shown on their profile.",
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    last_confirmed = models.DateTimeField(null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    stale_hidden_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the listing went unconfirmed for too long."
    )
    # Names of the areas covered, copied here so the generated columns can
    # read them (a generated column cannot read another table).
    places = models.CharField(max_length=1000, blank=True, editable=False)

    search_vector = models.GeneratedField(
        expression=(
            SearchVector("full_name", weight="A", config=SEARCH_CONFIG)
            + SearchVector("job_title", "tags", weight="B", config=SEARCH_CONFIG)
            + SearchVector("organisation", "places", weight="C", config=SEARCH_CONFIG)
            + SearchVector("expertise", weight="D", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_text = models.GeneratedField(
        expression=Func(
            F("full_name"),
            F("job_title"),
            F("organisation"),
            F("tags"),
            F("places"),
            template="directory_unaccent(lower(%(expressions)s))",
            arg_joiner=" || ' ' || ",
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        permissions = [
            ("moderate_listing", "Can moderate directory listings (publish, request changes, reject)")
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="listing_search_gin"),
            GinIndex(fields=["full_name"], opclasses=["gin_trgm_ops"], name="listing_name_trgm"),
            GinIndex(fields=["organisation"], opclasses=["gin_trgm_ops"], name="listing_organisation_trgm"),
            GinIndex(fields=["places"], opclasses=["gin_trgm_ops"], name="listing_places_trgm"),
            GinIndex(fields=["open_to"], name="listing_open_to_gin"),
            models.Index(fields=["status", "full_name"], name="listing_status_name"),
            models.Index(models.functions.Lower("email"), name="listing_email_lower"),
            # The public rows only (see ListingQuerySet.public()), in the
            # orders the search page lists them without keywords.
            models.Index(fields=["full_name", "id"], condition=PUBLIC, name="listing_public_name"),
            models.Index(
                fields=["agency", "full_name", "id"], condition=PUBLIC, name="listing_public_agency_name"
            ),
            # Counting an agency's listings that also match an area or client
            # group: both sides in listing order, so a merge join with the
            # link tables' (area or group, listing) indexes, stopping at the cap.
            models.Index(fields=["agency", "id"], condition=PUBLIC, name="listing_public_agency_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(open_to__len__gte=1), name="listing_open_to_not_empty"),
        ]

    def __str__(self):
        return f"{self.full_name}, {self.job_title}"

    def get_absolute_url(self):
        return reverse("directory:profile", args=[self.reference])

    def moving_to(self, status, now):
        # A moderator who publishes details no one has confirmed yet (a
        # self-listing, a pending import) vouches for them: the freshness
        # reminders count from here.
        if status == Status.PUBLISHED and self.last_confirmed is None:
            self.last_confirmed = now

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @functools.cached_property
    def highlights(self) -> Highlights:
        """Name, role, organisation, places and tags as a search result
        shows them (safe HTML), each word the search matched in a <mark>
        element: the words ts_headline marked in ``matches`` (from
        ``search()`` or ``RankedResults``), so exactly the words the search
        matched, whatever their accents or endings, after any typo
        correction. Nothing is marked for a listing that did not come from
        a search. Python over the row already read: no query."""
        return Highlights(self, marked_words(getattr(self, "matches", None)))

    def open_to_labels(self) -> list[str]:
        return [OpenTo(value).label for value in self.open_to if value in OpenTo.values]

    @property
    def shows_contact(self) -> bool:
        return self.show_contact and self.is_published


def searchword_refresh() -> None:
    """Rebuild the directory's part of the search vocabulary (``linkup.search``)."""
    text_search.vocabulary_refresh(source="directory")


class ContactRequest(models.Model):
    """A "request to connect" relayed to a listed professional. Kept for
    moderators handling abuse; never shown publicly."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="contact_requests")
    sender_name = models.CharField("your name", max_length=120)
    sender_job_title = models.CharField("your job title", max_length=150)
    sender_organisation = models.CharField("your organisation", max_length=150)
    sender_email = models.EmailField("your work e-mail address")
    reason = models.CharField(max_length=20, choices=OpenTo.choices)
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Request to {self.listing.full_name} on {self.created_at:%d %B %Y}"
