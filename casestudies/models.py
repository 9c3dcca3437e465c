"""Case studies of joint working, indexed by region and client group."""

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connections, models
from django.db.models import Case, Count, Exists, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from linkup.models import Agency, ClientGroup, Outcome, Region
from linkup.moderation import Moderated, ModeratedQuerySet, Status

# SearchHeadline marks matches with these; ``highlight_html`` escapes the
# text first and only then turns them into <mark> elements.
HIGHLIGHT_START = "\u27eahl\u27eb"
HIGHLIGHT_STOP = "\u27ea/hl\u27eb"


def highlight_html(text: str) -> str:
    """A search headline as safe HTML: everything escaped except the marks."""
    html = escape(text).replace(HIGHLIGHT_START, '<mark class="app-highlight">')
    return mark_safe(html.replace(HIGHLIGHT_STOP, "</mark>"))  # noqa: S308  (escaped above)


# Quotes, OR and a leading minus: the person asked for exact matching, so the
# typo fallback (which would ignore them) is left out.
WEBSEARCH_OPERATORS = re.compile(r'"|(?:^|\s)-\S|\bor\b', re.IGNORECASE)


# All a list of case studies shows of each (with its client groups and
# outcomes), and its updated_at, which keys the cached rendering. The sections,
# the search vector and the submitter's details stay in the table: a search
# sorts every match, so the fewer columns, the less it carries.
LISTED_FIELDS = ("title", "slug", "summary", "published_at", "updated_at", "region__name", "region__slug")


NO_SIMILARITY = Value(0.0, output_field=FloatField())


class EqualsAny(Func):
    """``value = ANY(array)``, usable in ``filter()`` (see ``CaseStudyQuerySet.search``)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


class PlannedOnce(Func):
    """A value worked out once per statement (an InitPlan) rather than a
    constant. For ``title % 'words'`` the planner would otherwise try the words
    against the statistics of the titles (similarity to each of a hundred or
    so), which made planning a search about 1.5 ms slower than running it;
    the trigram index is used all the same."""

    template = "(SELECT %(expressions)s)"


class CaseStudyQuerySet(ModeratedQuerySet):
    def for_listing(self):
        """What a list of case studies shows, in a fixed number of queries."""
        return (
            self.select_related("region").prefetch_related("client_groups", "outcomes").only(*LISTED_FIELDS)
        )

    def search(self, query: str):
        """Full-text search (websearch syntax) ranked title > summary > sections,
        with a trigram fallback on the title for typos.

        Annotates ``rank``, ``similarity`` and ``headline`` (see ``highlight_html``),
        best first. One statement, shaped so Postgres reads each match once:

        - the text match is a plain condition on ``search_vector``, answered by
          its GIN index, so filters combine with it (a BitmapAnd) and no match
          is looked up again by its id;
        - the typo match (the GIN trigram index on ``title``) only counts when
          the text search finds nothing. Its ids are an array built once (an
          InitPlan) behind that test, which Postgres makes once, before
          scanning for typos; ``id = ANY(array)`` keeps the primary key index
          usable beside the text match (a BitmapOr), which ``IN (subquery)``
          inside an OR would not;
        - so the matches are either all text matches or all typo matches, and
          ``similarity`` (costly: it splits every title into trigrams) is only
          worked out for typo matches, behind the same test (a test of each
          row would carry its vector through the sort); text matches of
          equal rank are newest first;
        - the headline is the costliest part; Postgres makes it only for the
          rows that survive ORDER BY and LIMIT.
        """
        search_query = SearchQuery(query, search_type="websearch", config="english")
        text_match = Q(search_vector=search_query)
        matches = text_match
        similarity = NO_SIMILARITY
        if not WEBSEARCH_OPERATORS.search(query):
            text_found = Exists(self.filter(text_match).order_by())
            words = PlannedOnce(Value(query), output_field=models.TextField())
            # Like the whole title (several words mistyped) or like some
            # words of it (one word mistyped): both answered by the index,
            # each in an array of its own, so each candidate the index finds
            # is checked against its own test only (word similarity is the
            # costlier one).
            matches = text_match
            for like_title in ("title__trigram_similar", "title__trigram_word_similar"):
                typo_ids = self.filter(~text_found, **{like_title: words}).order_by().values("pk")
                matches |= Q(EqualsAny(F("pk"), ArraySubquery(typo_ids)))
            similarity = Case(
                When(text_found, then=NO_SIMILARITY),
                default=Greatest(TrigramSimilarity("title", query), TrigramWordSimilarity(query, "title")),
            )
        return (
            self.filter(matches)
            .defer("search_vector")
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                similarity=similarity,
                headline=SearchHeadline(
                    "summary",
                    search_query,
                    config="english",
                    start_sel=HIGHLIGHT_START,
                    stop_sel=HIGHLIGHT_STOP,
                    highlight_all=True,
                ),
            )
            .order_by("-rank", "-similarity", "-published_at", "-pk")
        )

    def has_search_terms(self, query: str) -> bool:
        """Whether ``query`` has any word to search for: one made only of
        words too common to index ("the", "or") or of symbols has none."""
        with connections[self.db].cursor() as cursor:
            cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s)) > 0", [query])
            return cursor.fetchone()[0]

    def coverage(self) -> dict[tuple[int, int], int]:
        """How many case studies there are in each (region id, client group id) cell.

        Counted on the client-group links (an inner join, no DISTINCT: a case
        study is linked to a group once), reading the published rows' ids and
        regions from a narrow partial index rather than the wide table.
        """
        rows = (
            self.filter(client_groups__isnull=False)
            .order_by()
            .values_list("region_id", "client_groups__id")
            .annotate(total=Count("*"))
        )
        return {(region_id, group_id): total for region_id, group_id, total in rows}

    def related_to(self, case_study, *, limit: int = 3):
        """Others for the same client group or region, those sharing both first."""
        group_ids = [group.pk for group in case_study.client_groups.all()]
        same_group = Q(client_groups__in=group_ids)
        same_region = Q(region_id=case_study.region_id)
        ids = self.exclude(pk=case_study.pk).filter(same_group | same_region).values("pk")
        return (
            self.filter(pk__in=ids)
            .annotate(
                closeness=Count("client_groups", filter=Q(client_groups__in=group_ids), distinct=True)
                + models.Case(models.When(same_region, then=1), default=0)
            )
            .order_by("-closeness", "-published_at", "-pk")
            .select_related("region")[:limit]
        )

    def modified_after(self, moment):
        return self.filter(updated_at__gt=moment)


class CaseStudy(Moderated):
    # What it is
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.TextField(max_length=600, help_text="Two or three sentences: who was helped and how.")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="case_studies")
    client_groups = models.ManyToManyField(ClientGroup, related_name="case_studies")
    agencies = models.ManyToManyField(Agency, related_name="case_studies", blank=True)
    outcomes = models.ManyToManyField(Outcome, related_name="case_studies", blank=True)
    organisations = models.TextField(max_length=1000, help_text="The organisations that worked together.")

    # The sections
    challenge = models.TextField("the challenge", max_length=5000)
    approach = models.TextField("what was done", max_length=5000, help_text="The joint working.")
    results = models.TextField(max_length=5000, help_text="With figures where there are any.")
    lessons = models.TextField("lessons for others", max_length=5000)
    costs = models.TextField("costs and resources", max_length=3000, blank=True)

    # When it ran
    period_start = models.DateField("started", null=True, blank=True)
    period_end = models.DateField(
        "ended", null=True, blank=True, help_text="Leave empty if it is still running."
    )

    # Who sent it (private unless show_contact is true)
    submitter_name = models.CharField(max_length=200, blank=True)
    submitter_job_title = models.CharField(max_length=200, blank=True)
    submitter_organisation = models.CharField(max_length=200, blank=True)
    submitter_email = models.EmailField(blank=True)
    submitter_phone = models.CharField(max_length=40, blank=True)
    show_contact = models.BooleanField(
        "publish contact details",
        default=False,
        help_text="The submitter agreed to their name, organisation "
        "and e-mail address being shown with the case study.",
    )
    consent_to_publish = models.BooleanField(default=False)
    # The retention schedule (linkup/retention.py): why staff keep the text
    # of an unpublished example, and when the submitter's details went.
    retention_keep_reason = models.TextField(
        "reason to keep the text",
        blank=True,
        help_text="An unpublished example's text is removed with the sender's details after the "
        "retention period. To keep the text, say why the taskforce needs it.",
    )
    personal_data_removed_at = models.DateTimeField(
        "personal details removed", null=True, blank=True, editable=False
    )
    # One key per completed form, so a double-submitted form saves once.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("organisations", weight="B", config="english")
            + SearchVector(
                "challenge", "approach", "results", "lessons", "costs", weight="C", config="english"
            )
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name_plural = "case studies"
        permissions = [("moderate_casestudy", "Can moderate case studies (publish, request changes, reject)")]
        indexes = [
            GinIndex(fields=["search_vector"], name="casestudy_search_gin"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="casestudy_title_trgm"),
            # The newest first, in the order the list pages use (the id breaks ties).
            models.Index(fields=["status", "-published_at", "-id"], name="casestudy_status_newest"),
            # Published rows by region, newest first: the region filter, its
            # count, and the ids and regions the coverage grid reads.
            models.Index(
                fields=["region", "-published_at", "-id"],
                condition=Q(status=Status.PUBLISHED),
                name="casestudy_published_region",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="casestudy_period_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:detail", args=[self.slug])

    @property
    def headline_html(self):
        """The search headline, when the record came from ``search()``."""
        headline = getattr(self, "headline", None)
        return highlight_html(headline) if headline else None

    # What a summary card lists: from ``attach_card_references()`` when it
    # was called, otherwise the relations (prefetched or not).
    @property
    def card_client_groups(self):
        card = getattr(self, "_card_references", None)
        return card[0] if card is not None else self.client_groups.all()

    @property
    def card_outcomes(self):
        card = getattr(self, "_card_references", None)
        return card[1] if card is not None else self.outcomes.all()


def attach_card_references(case_studies) -> None:
    """Give each case study the client groups and outcomes its summary card
    lists, in three small queries whatever their number: the links to both,
    then the two short reference lists. A page of cards is drawn this way
    more cheaply than with ``prefetch_related``."""
    case_studies = list(case_studies)
    if not case_studies:
        return
    ids = [case_study.pk for case_study in case_studies]
    group_links = CaseStudy.client_groups.through.objects.filter(casestudy_id__in=ids).values_list(
        "casestudy_id", "clientgroup_id", Value(0)
    )
    outcome_links = CaseStudy.outcomes.through.objects.filter(casestudy_id__in=ids).values_list(
        "casestudy_id", "outcome_id", Value(1)
    )
    linked = {pk: (set(), set()) for pk in ids}
    for pk, other, kind in group_links.union(outcome_links, all=True):
        linked[pk][kind].add(other)
    groups = list(ClientGroup.objects.ordered())
    outcomes = list(Outcome.objects.ordered())
    for case_study in case_studies:
        group_ids, outcome_ids = linked[case_study.pk]
        case_study._card_references = (
            [group for group in groups if group.pk in group_ids],
            [outcome for outcome in outcomes if outcome.pk in outcome_ids],
        )


class CaseStudyLink(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title
