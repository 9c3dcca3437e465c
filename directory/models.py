"""The directory of professionals (the regions of ``DIRECTORY_REGIONS``).

What the public may see is decided once, in ``ListingQuerySet.public()``:
published by a moderator and not hidden as stale. Every public read (search,
profile, site-wide search) starts there, and ``search()`` is the one way to
search it.

Keyword search ranks every match, so it ranks narrow rows: ``ListingSearch``
holds, for each listing, only what ranking and ordering read (the vector,
the name, when it was confirmed, whether it is public), and a results page
then reads the listings it shows by key. Database triggers (migration 0008)
keep those rows in step with every write to a listing, its client groups
and the agency and client-group names, whichever path writes them (admin,
services, the import, bulk updates): no path can forget. The names of a
listing's agency and client groups are part of its vector there, so
"care leavers" finds the people who work with care leavers.

Accent-insensitive search: the text search configuration ``directory_search``
(migration 0001) is English with ``unaccent`` before stemming. The stored
vector is a generated column, so no trigger or save() hook can forget to
keep it in step. The places a listing covers live in a many-to-many table,
which a generated column cannot read, so their names are copied into
``places`` whenever the areas change (``services.listing_refresh_places``,
called from ``signals.py``; the import writes the same text with each row).

Highlighting: a result shows the words the search matched marked in its
name, role, organisation, places and tags (``Listing.highlights``) and in
its expertise (the headline). The database says which words matched (the
same configuration as the search, so accents and word endings are judged
as the search judges them), for the rows of the page only, as the page's
listings are read; Python then marks those words in the text as stored and
escapes the rest.
Typos are corrected against the site's one vocabulary (``linkup.search.correct``).
"""

from __future__ import annotations

import datetime
import functools

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
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils import timezone

from linkup import search as text_search
from linkup.models import Agency, ClientGroup, LocalAuthority
from linkup.moderation import Moderated, ModeratedQuerySet, Status
from linkup.search import (
    clean_query,
    correct,
    has_operators,
    highlight,
    mark_words,
    marked_words,
    plain_words,
    snippet,
)

SEARCH_CONFIG = "directory_search"
# The typo match is tried when the words themselves find fewer listings.
TYPO_WHEN_FEWER = 3


PHONE_CHARACTERS = frozenset("0123456789 +()-")


def phone_is_valid(phone: str) -> bool:
    """A work phone number as the directory takes it: digits, spaces and + ( ) -."""
    return bool(phone) and set(phone) <= PHONE_CHARACTERS and any(ch.isdigit() for ch in phone)


class OpenTo(models.TextChoices):
    CASE = "case", "Help on a specific case"
    BOUNDARIES = "boundaries", "Working across boundaries"
    ADVICE = "advice", "Giving expert advice"


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

    def search(self, query: str, *, narrowed: bool = True) -> SearchResults | ListingQuerySet:
        """The public listings among these that match ``query`` (websearch
        syntax), best first, as ``SearchResults``. When the words find fewer
        than ``TYPO_WHEN_FEWER`` listings, each word not in the vocabulary
        (``SearchWord``) is replaced by its nearest known word and the
        search runs on the corrected words instead.

        ``narrowed=False`` says these listings are every public one (no
        filter chosen), so the matches need not be checked against them one
        by one. An empty query returns the queryset unchanged.
        """
        query = clean_query(query)
        if not query:
            return self
        matches = ListingSearch.objects.filter(public=True)
        if narrowed:
            matches = matches.filter(listing__in=self.values("pk"))
        plain = plain_words(query)
        correction = typo_correction(query, plain) if plain and not has_operators(query) else None
        ts_query = SearchQuery(correction or query, search_type="websearch", config=SEARCH_CONFIG)
        return SearchResults(
            matches=matches.filter(search_vector=ts_query), ts_query=ts_query, correction=correction
        )

    def for_results_page(self):
        """Only what a results page shows of each listing (reading any
        other field costs a query per listing): name, role, organisation,
        tags, expertise, the names of the areas covered (``places``, kept in
        step with the areas) and the agency's name, all in one query."""
        return self.select_related("agency").only(*RESULTS_PAGE_FIELDS, "agency__name")


def typo_correction(query: str, plain: str) -> str | None:
    """The plain words ``plain`` of ``query`` with each unknown word
    replaced by its nearest known word (``linkup.search.correct``), when
    ``query`` finds fewer than ``TYPO_WHEN_FEWER`` public listings; None
    when nothing was corrected."""
    typed = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    found = ListingSearch.objects.filter(public=True, search_vector=typed)
    # Most searches find enough people: only the others look words up in the vocabulary.
    if found[TYPO_WHEN_FEWER - 1 : TYPO_WHEN_FEWER].exists():
        return None
    return correct(plain, sources=["directory"])


class SearchResults:
    """A keyword search's matches in one order, for Django's ``Paginator``
    (a sliceable object with ``count()``). The matches are counted, ranked
    and ordered as narrow ``ListingSearch`` rows; a slice (a page) then
    reads only its own listings, by key, each with what a results page
    shows (``for_results_page()``), its ``rank``, its ``headline`` and the
    words it matched (``matches``, see ``Listing.highlights``).
    ``correction`` is the corrected words the search ran with, or None."""

    ORDERINGS = {
        "relevance": ("-rank", "sort_name", "listing_id"),
        "name": ("sort_name", "listing_id"),
        "confirmed": (F("last_confirmed").desc(nulls_last=True), "sort_name", "listing_id"),
    }

    def __init__(self, *, matches, ts_query: SearchQuery, correction: str | None, sort: str = "relevance"):
        self.matches = matches
        self.ts_query = ts_query
        self.correction = correction
        self.sort = sort

    def order_by(self, sort: str) -> SearchResults:
        """The same matches in another of ``ORDERINGS``."""
        return SearchResults(
            matches=self.matches, ts_query=self.ts_query, correction=self.correction, sort=sort
        )

    def count(self) -> int:
        return self.matches.order_by().count()

    def ranked(self):
        """Every match with its rank, in this order."""
        return self.matches.annotate(rank=search_rank(self.ts_query)).order_by(*self.ORDERINGS[self.sort])

    def listings(self, keys) -> ListingQuerySet:
        """The listings ``keys`` as a result shows them (in no set order)."""
        return (
            Listing.objects.filter(pk__in=keys)
            .for_results_page()
            .annotate(headline=search_headline(self.ts_query), matches=search_matches(self.ts_query))
            .order_by()
        )

    def __getitem__(self, key: slice) -> list[Listing]:
        if not isinstance(key, slice):
            raise TypeError("SearchResults are read a slice (a page) at a time.")
        ranks = dict(self.ranked().values_list("listing_id", "rank")[key])
        order = {pk: position for position, pk in enumerate(ranks)}
        listings = sorted(self.listings(list(ranks)), key=lambda listing: order[listing.pk])
        for listing in listings:
            listing.rank = ranks[listing.pk]
        return listings

    def __iter__(self):
        return iter(self[:])


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
        # A search's headline of the expertise (see ``search_headline()``), else its start.
        headline = getattr(listing, "headline", None)
        self.expertise = highlight(
            snippet(headline, whole=listing.expertise) if headline else snippet(listing.expertise)
        )


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
    # Names of the areas covered, copied here so the generated vector can
    # read them (a generated column cannot read another table).
    places = models.CharField(max_length=1000, blank=True, editable=False)

    # Searched as part of ``ListingSearch``, which adds the reference names.
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
    objects = ListingQuerySet.as_manager()

    region_lookup = "areas__region"
    # What each kept version holds, in the order the profile shows it.
    revision_fields = [
        "full_name",
        "job_title",
        "organisation",
        "agency",
        "areas",
        "client_groups",
        "expertise",
        "tags",
        "email",
        "phone",
        "show_contact",
    ]

    class Meta:
        ordering = ["full_name", "pk"]
        permissions = [
            ("moderate_listing", "Can moderate directory listings (publish, request changes, reject)")
        ]
        indexes = [
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
            # An agency's public listings in key order, to count those that
            # also cover an area or work with a client group.
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
        ``search()``), so exactly the words the search
        matched, whatever their accents or endings, after any typo
        correction. Nothing is marked for a listing that did not come from
        a search. Python over the row already read: no query."""
        return Highlights(self, marked_words(getattr(self, "matches", None)))

    def open_to_labels(self) -> list[str]:
        return [OpenTo(value).label for value in self.open_to if value in OpenTo.values]

    @property
    def shows_contact(self) -> bool:
        return self.show_contact and self.is_published


class ListingSearch(models.Model):
    """What a keyword search ranks and orders a listing by, and nothing
    else, so that every match is ranked without reading the wide listing
    rows: the listing's vector with the names of its agency and client
    groups added, its name, when it was confirmed and whether it is public.
    Written only by the database triggers of migration 0008: made when a
    listing's client groups are first written (every listing has one), and
    kept in step with every later write to the listing, its client groups
    or those names."""

    listing = models.OneToOneField(
        Listing, on_delete=models.CASCADE, primary_key=True, related_name="search_row"
    )
    search_vector = SearchVectorField()
    sort_name = models.CharField(max_length=120)
    last_confirmed = models.DateTimeField(null=True)
    public = models.BooleanField()

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], condition=Q(public=True), name="listingsearch_public_gin"),
        ]

    def __str__(self):
        return self.sort_name


def searchword_refresh() -> None:
    """Rebuild the directory's part of the search vocabulary (``linkup.search``)."""
    text_search.vocabulary_refresh(source="directory")


class ContactRequestQuerySet(models.QuerySet):
    def unconfirmed(self):
        """Never confirmed by the sender, so never relayed."""
        return self.filter(confirmed_at__isnull=True, emailed_at__isnull=True)

    def reported(self):
        return self.filter(reported_at__isnull=False)


class ReportReason(models.TextChoices):
    SPAM = "spam", "It is spam or advertising"
    ABUSE = "abuse", "It is abusive, threatening or harassing"
    PERSONAL = "personal", "It includes details that could identify a person"
    NOT_WORK = "not-work", "It is not about joint working"
    OTHER = "other", "Something else"


class ContactRequest(models.Model):
    """A message relayed through the portal: a "request to connect" to a
    listed professional, or a question to the person who shared a case
    study ("Ask about this example"). One relay serves both: exactly one
    of ``listing`` and ``case_study`` is its target. Nothing is relayed
    until the sender confirms their address (``confirmed_at``); the
    recipient can report a relayed message as misuse (``reported_at``).
    Kept for moderators handling abuse; never shown publicly."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="contact_requests", null=True, blank=True
    )
    case_study = models.ForeignKey(
        "casestudies.CaseStudy",
        on_delete=models.CASCADE,
        related_name="contact_requests",
        null=True,
        blank=True,
    )
    sender_name = models.CharField("your name", max_length=120)
    sender_job_title = models.CharField("your job title", max_length=150)
    sender_organisation = models.CharField("your organisation", max_length=150)
    sender_email = models.EmailField("your work e-mail address")
    # Why they want to connect: asked of a request to a professional only.
    reason = models.CharField(max_length=20, choices=OpenTo.choices, blank=True)
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sender confirmed their e-mail address."
    )
    reported_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient reported this message as misuse."
    )
    report_reason = models.CharField(max_length=20, choices=ReportReason.choices, blank=True)
    report_details = models.TextField(max_length=2000, blank=True)
    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(listing__isnull=False, case_study__isnull=True)
                | Q(listing__isnull=True, case_study__isnull=False),
                name="contactrequest_one_target",
            ),
        ]

    def __str__(self):
        if self.case_study_id:
            return f"Question about {self.case_study.reference} on {self.created_at:%d %B %Y}"
        return f"Request to {self.listing.full_name} on {self.created_at:%d %B %Y}"

    @property
    def target(self):
        """The listing or the case study the message goes to."""
        return self.listing if self.listing_id else self.case_study
