"""The toolkit: a small tree of guidance pages, and the data behind the
"Who should I contact?" finder.

Sections hold ordered pages. A page is public only when it and its section
are both published; ``Page.objects.published()`` decides that in one place.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.urls import reverse

from linkup.models import Agency, ClientGroup
from linkup.search import clean_query, search_headline


class SectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Section(models.Model):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(max_length=600, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the toolkit home (lowest first)."
    )
    published = models.BooleanField(default=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("toolkit:section", args=[self.slug])


class PageQuerySet(models.QuerySet):
    def published(self):
        """What the public may read: a published page in a published section."""
        return self.filter(published=True, section__published=True)

    def ordered(self):
        return self.order_by("section__position", "section__title", "position", "title")

    def search(self, query: str):
        """Full-text search (websearch syntax) ranked title > summary > body,
        with a trigram word match on the title for typos. Annotates ``rank``
        and ``headline`` (a fragment of the body, see ``linkup.search``)."""
        query = clean_query(query)
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            self.filter(Q(search_vector=search_query) | Q(title__trigram_word_similar=query))
            .annotate(
                rank=Greatest(
                    SearchRank(F("search_vector"), search_query), TrigramWordSimilarity(query, "title") * 0.5
                ),
                headline=search_headline("body", search_query, config="english", max_words=30, min_words=15),
            )
            .order_by("-rank", "title", "pk")
        )


class Page(models.Model):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="pages")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120)
    summary = models.TextField(max_length=600, help_text="One or two sentences, shown in lists and search.")
    body = models.TextField(
        help_text="Markdown: ## headings, - lists, [links](/toolkit/), | tables |. "
        "Scripts, styles and embedded frames are removed."
    )
    client_group = models.ForeignKey(
        ClientGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="toolkit_pages",
        help_text="Set for a client-group guide: the page then links to matching case studies "
        "and directory entries, and the finder points to it.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the section.")
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)

    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        constraints = [models.UniqueConstraint(fields=["section", "slug"], name="toolkit_page_unique_slug")]
        indexes = [
            GinIndex(fields=["search_vector"], name="toolkit_page_search_gin"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="toolkit_page_title_trgm"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("toolkit:page", args=[self.section.slug, self.slug])


class Need(models.Model):
    """Something a person may need help with: a settled home, work, health, …"""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    hint = models.CharField(max_length=200, blank=True, help_text="Shown under the option in the finder.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class AgencySuggestion(models.Model):
    """One agency worth involving for a need, for one client group or for all."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="suggestions")
    client_group = models.ForeignKey(
        ClientGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agency_suggestions",
        help_text="Leave empty if the agency is worth involving for every client group.",
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="suggestions")
    reason = models.TextField(max_length=600, help_text="Why to involve them, in a sentence or two.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "client_group", "agency"],
                name="toolkit_suggestion_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        group = self.client_group.short_name if self.client_group_id else "any client group"
        return f"{self.need}: {self.agency} ({group})"
