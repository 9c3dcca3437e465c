"""The East Midlands directory of professionals.

What the public may see is decided once, in ``ListingQuerySet.public()``:
published by a moderator and not hidden as stale. Every public read (search,
profile, site-wide search) starts there, and ``search()`` is the one way to
search it.

Accent-insensitive search: ``unaccent()`` is only STABLE, so it cannot be
used in a stored (generated) column. Migration 0001 creates an IMMUTABLE
wrapper, ``directory_unaccent(text)``, bound to the ``unaccent`` dictionary
in the extension's schema, and a text search configuration
``directory_search`` (English with ``unaccent`` before stemming). The stored
vector and the plain ``search_text`` used for typo matching are both
generated columns, so no trigger or save() hook can forget to keep them in
step. The places a listing covers live in a many-to-many table, which a
generated column cannot read, so their names are copied into ``places`` when
the areas change (see ``signals.py`` and ``services.listing_set_areas``).
"""

from __future__ import annotations

import datetime

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
from django.db.models import Case, Exists, F, Func, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from linkup.models import Agency, ClientGroup, LocalAuthority
from linkup.moderation import Moderated, ModeratedQuerySet

SEARCH_CONFIG = "directory_search"
# Private-use characters mark highlighted words in headlines; the template
# escapes the text first and only then turns these into <mark> elements.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
TYPO_SIMILARITY = 0.5
# The typo match is tried when the words themselves find fewer listings.
TYPO_WHEN_FEWER = 3


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


class TrigramWordSimilarity(Func):
    function = "word_similarity"
    output_field = models.FloatField()


class TrigramWordMatch(models.Lookup):
    """``query <% text``: uses the trigram GIN index on ``search_text``."""

    lookup_name = "trigram_word_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]


models.TextField.register_lookup(TrigramWordMatch)


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


class ListingQuerySet(ModeratedQuerySet):
    def public(self):
        """What the public may see: published and not hidden as stale."""
        return self.published().filter(stale_hidden_at__isnull=True)

    def with_related(self):
        return self.select_related("agency").prefetch_related("areas", "client_groups")

    def stale(self, *, days: int):
        return self.filter(last_confirmed__lt=timezone.now() - datetime.timedelta(days=days))

    def search(self, query: str):
        """Keyword search: websearch syntax on the stored, weighted vector,
        falling back to trigram word similarity for typos. Annotates
        ``rank`` and ``headline`` and orders by rank (best first).

        An empty query returns the queryset unchanged.
        """
        query = clean_query(query)
        if not query:
            return self
        ts_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        plain, has_operators = parse_websearch(query)
        found = Q(search_vector=ts_query)
        rank = SearchRank(F("search_vector"), ts_query)
        if plain and not has_operators:
            # Typo tolerance, only when the words find fewer than
            # TYPO_WHEN_FEWER listings: the test is an InitPlan, run once,
            # and gates the trigram match (``<%`` on the GIN trigram index
            # of ``search_text``: names, role, organisation, tags, places).
            few = ~Exists(self.filter(found).order_by().values("pk")[TYPO_WHEN_FEWER - 1 : TYPO_WHEN_FEWER])
            typed = Unaccent(Value(plain.lower()))
            found = found | (Q(few) & Q(search_text__trigram_word_of=typed))
            rank = Greatest(
                rank,
                Case(
                    When(few, then=TrigramWordSimilarity(typed, F("search_text")) * Value(0.5)),
                    default=Value(0.0),
                ),
            )
        # ts_headline is costly (it parses the whole text): declared costly
        # in SQL, it is evaluated after the sort and the LIMIT, so only for
        # the page shown, never for every match.
        return (
            self.filter(found)
            .annotate(
                rank=rank,
                headline=SearchHeadline(
                    "expertise",
                    ts_query,
                    config=SEARCH_CONFIG,
                    start_sel=HIGHLIGHT_START,
                    stop_sel=HIGHLIGHT_STOP,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                ),
            )
            .order_by("-rank", "full_name", "pk")
        )


def clean_query(query) -> str:
    """Strip characters Postgres will not take (NUL) and our highlight
    markers; collapse spaces; cap the length."""
    query = str(query or "").replace("\x00", " ").replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "")
    return " ".join(query.split())[:200]


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
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="listing_search_text_trgm"),
            GinIndex(fields=["full_name"], opclasses=["gin_trgm_ops"], name="listing_name_trgm"),
            GinIndex(fields=["organisation"], opclasses=["gin_trgm_ops"], name="listing_organisation_trgm"),
            GinIndex(fields=["places"], opclasses=["gin_trgm_ops"], name="listing_places_trgm"),
            GinIndex(fields=["open_to"], name="listing_open_to_gin"),
            models.Index(fields=["status", "full_name"], name="listing_status_name"),
            models.Index(models.functions.Lower("email"), name="listing_email_lower"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(open_to__len__gte=1), name="listing_open_to_not_empty"),
        ]

    def __str__(self):
        return f"{self.full_name}, {self.job_title}"

    def get_absolute_url(self):
        return reverse("directory:profile", args=[self.reference])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    def open_to_labels(self) -> list[str]:
        return [OpenTo(value).label for value in self.open_to if value in OpenTo.values]

    @property
    def shows_contact(self) -> bool:
        return self.show_contact and self.is_published


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
