"""Case studies of joint working, indexed by region and client group."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import models
from django.db.models import Count, F, FloatField, Max, Prefetch, Q, Value
from django.urls import reverse

from casestudies.evidence import EvidenceLevel, FigureUnit, MeasurementMethod, describe_figure
from linkup.models import Agency, ClientGroup, NationalIndicator, Outcome, Region
from linkup.moderation import Moderated, ModeratedQuerySet, Status
from linkup.search import clean_query, has_operators, has_search_terms, highlight, search_headline

NO_SIMILARITY = Value(0.0, output_field=FloatField())
# What a list of case studies shows of each (with its client groups and outcomes).
LISTED_FIELDS = (
    "title",
    "slug",
    "summary",
    "published_at",
    "updated_at",
    "region__name",
    "region__slug",
    "evidence_level",
    "cohort_size",
)


# What the example cost and saved, in the order the form and the page ask it.
COST_FIELDS = [
    "setup_cost",
    "yearly_cost",
    "funded_by",
    "cost_per_person",
    "savings_claimed",
    "savings_basis",
]


class CaseStudyQuerySet(ModeratedQuerySet):
    def for_listing(self):
        """What a list of case studies shows, in a fixed number of queries."""
        return (
            self.select_related("region").prefetch_related("client_groups", "outcomes").only(*LISTED_FIELDS)
        )

    def search(self, query: str):
        """Full-text search (websearch syntax) ranked title > summary > sections,
        falling back, when the words find nothing, to trigram similarity on the
        title for typos. Annotates ``rank``, ``similarity`` and ``headline``
        (see ``linkup.search.highlight``), best first; equal ranks newest first."""
        query = clean_query(query)
        if not query:
            return self.none()
        search_query = SearchQuery(query, search_type="websearch", config="english")
        matches = self.filter(search_vector=search_query)
        similarity = NO_SIMILARITY
        if not has_operators(query) and not matches.exists():
            # No match for the words (a typo, say): a title with words like them still finds it.
            matches = self.filter(title__trigram_word_similar=query)
            similarity = TrigramWordSimilarity(query, "title")
        return matches.annotate(
            rank=SearchRank(F("search_vector"), search_query),
            similarity=similarity,
            headline=search_headline("summary", search_query, config="english", highlight_all=True),
        ).order_by("-rank", "-similarity", "-published_at", "-pk")

    def has_search_terms(self, query: str) -> bool:
        """Whether ``query`` has any word to search for (see ``linkup.search``)."""
        return has_search_terms(query, using=self.db)

    def coverage(self) -> dict[tuple[int, int], int]:
        """How many case studies there are in each (region id, client group id) cell."""
        return {cell: total for cell, (total, _) in self.coverage_strength().items()}

    def coverage_strength(self) -> dict[tuple[int, int], tuple[int, int | None]]:
        """For each (region id, client group id) cell: how many case studies
        there are and the strongest confirmed evidence level among them (None
        when no level is confirmed)."""
        rows = (
            self.filter(client_groups__isnull=False)
            .order_by()
            .values_list("region_id", "client_groups__id")
            .annotate(total=Count("*"), strongest=Max("evidence_level"))
        )
        return {(region_id, group_id): (total, strongest) for region_id, group_id, total, strongest in rows}

    def with_figures(self, indicators=None):
        """Those with at least one figure that has a result ("has figures"),
        or, given ``indicators``, a result counting towards one of them."""
        figures = OutcomeFigure.objects.filter(result_value__isnull=False)
        if indicators is not None:
            figures = figures.filter(indicator__in=indicators)
        return self.filter(pk__in=figures.values("case_study_id"))

    def with_evidence_level(self, level: int):
        """Those whose confirmed evidence level is ``level`` or stronger."""
        return self.filter(evidence_level__gte=level)

    def with_figures_listed(self):
        """The figures in order, with their outcome and indicator, in one query."""
        return self.prefetch_related(
            Prefetch("figures", queryset=OutcomeFigure.objects.select_related("outcome", "indicator"))
        )

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

    def open_to_questions(self):
        """Published examples whose sender agreed to be asked about them
        through the portal's relay without showing their address
        (``CaseStudy.open_to_questions`` says the same of one)."""
        return (
            self.published()
            .filter(contact_through_portal=True, show_contact=False)
            .exclude(submitter_email="")
        )


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

    # The evidence (casestudies/evidence.py): each answer may be unknown.
    cohort_size = models.PositiveIntegerField(
        "people helped", null=True, blank=True, help_text="How many people the work helped in all."
    )
    measurement_method = models.CharField(
        "how the results were measured", max_length=30, choices=MeasurementMethod.choices, blank=True
    )
    evaluation_url = models.URLField("link to the evaluation or report", max_length=500, blank=True)
    evidence_level_proposed = models.PositiveSmallIntegerField(
        "evidence level proposed by the submitter", choices=EvidenceLevel.choices, null=True, blank=True
    )
    evidence_level = models.PositiveSmallIntegerField(
        "evidence level",
        choices=EvidenceLevel.choices,
        null=True,
        blank=True,
        help_text="Confirmed by the taskforce; this is the level the public pages show.",
    )
    setup_cost = models.PositiveIntegerField("set-up cost (£)", null=True, blank=True)
    yearly_cost = models.PositiveIntegerField("yearly running cost (£)", null=True, blank=True)
    funded_by = models.CharField("who paid", max_length=300, blank=True)
    cost_per_person = models.PositiveIntegerField("cost per person (£)", null=True, blank=True)
    savings_claimed = models.PositiveIntegerField("savings claimed (£ a year)", null=True, blank=True)
    savings_basis = models.TextField("how the savings were worked out", max_length=2000, blank=True)

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
    contact_through_portal = models.BooleanField(
        "can be asked through the portal",
        default=False,
        help_text="The submitter agreed that people may ask about the example through the portal, "
        "which passes questions on by e-mail without showing their address.",
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
    # Review dates (casestudies/review.py): a published example is due for
    # review a fixed term after it was published or last reviewed.
    review_due = models.DateField("review due", null=True, blank=True, editable=False, db_index=True)
    review_asked_at = models.DateTimeField("review asked for", null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField("last reviewed", null=True, blank=True, editable=False)
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

    # What each kept version holds, in the order the public page shows it.
    revision_fields = [
        "title",
        "summary",
        "region",
        "client_groups",
        "agencies",
        "outcomes",
        "period_start",
        "period_end",
        "organisations",
        "challenge",
        "approach",
        "results",
        "lessons",
        "costs",
        "cohort_size",
        "measurement_method",
        "evaluation_url",
        "evidence_level_proposed",
        "evidence_level",
        *COST_FIELDS,
        "figures",
    ]

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
            # Published rows by people helped, unknown last: "sort by people helped".
            models.Index(
                F("cohort_size").desc(nulls_last=True),
                F("published_at").desc(),
                F("id").desc(),
                condition=Q(status=Status.PUBLISHED),
                name="casestudy_published_people",
            ),
            # Published rows with a confirmed level: the evidence-level filter and its count.
            models.Index(
                fields=["evidence_level", "id"],
                condition=Q(status=Status.PUBLISHED, evidence_level__isnull=False),
                name="casestudy_published_level",
            ),
            # Published rows by region and confirmed level: the level filter
            # within a region, and its count, read from the index alone.
            models.Index(
                fields=["region", "evidence_level", "id"],
                condition=Q(status=Status.PUBLISHED, evidence_level__isnull=False),
                name="casestudy_region_level",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="casestudy_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(evidence_level__isnull=True) | Q(evidence_level__gte=1, evidence_level__lte=5),
                name="casestudy_evidence_level_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(evidence_level_proposed__isnull=True)
                | Q(evidence_level_proposed__gte=1, evidence_level_proposed__lte=5),
                name="casestudy_proposed_level_on_scale",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:detail", args=[self.slug])

    def moving_to(self, status, now):
        # Publishing is a moderator reading it: the review term starts again.
        if status == Status.PUBLISHED:
            from casestudies.review import review_due_after

            self.review_due = review_due_after(now)
            self.review_asked_at = None

    @property
    def open_to_questions(self) -> bool:
        """Whether the page offers "Ask about this example" (the rule of
        ``CaseStudyQuerySet.open_to_questions``)."""
        return (
            self.status == Status.PUBLISHED
            and self.contact_through_portal
            and not self.show_contact
            and bool(self.submitter_email)
        )

    @property
    def review_overdue(self) -> bool:
        """Past its review date: the page says it has not been reviewed since."""
        from django.utils import timezone

        return self.is_published and self.review_due is not None and self.review_due < timezone.localdate()

    @property
    def headline_html(self):
        """The search headline as HTML, when the record came from ``search()``."""
        headline = getattr(self, "headline", None)
        return highlight(headline) if headline else None


# What the submitter writes in their own words: what the safeguarding scan
# reads and what a submission or an edit sets, with the region and dates.
WRITTEN_FIELDS = ["title", "summary", "organisations", "challenge", "approach", "results", "lessons", "costs"]
# What the person who sent it told us about themselves.
SUBMITTER_FIELDS = [
    "submitter_name",
    "submitter_job_title",
    "submitter_organisation",
    "submitter_email",
    "submitter_phone",
    "show_contact",
    "contact_through_portal",
    "consent_to_publish",
]


# The whole-example evidence answers a submission or an edit sets (figures apart).
EVIDENCE_FIELDS = [
    "cohort_size",
    "measurement_method",
    "evaluation_url",
    "evidence_level_proposed",
    *COST_FIELDS,
]


class OutcomeFigure(models.Model):
    """One result in numbers: how many people, the baseline before and the
    result after, and the national indicator it counts towards."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(default=0)
    measure = models.CharField(
        "what was measured", max_length=200, help_text="For example: in settled accommodation after 6 months."
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    indicator = models.ForeignKey(
        NationalIndicator, on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    people = models.PositiveIntegerField("number of people", null=True, blank=True)
    baseline_value = models.PositiveIntegerField("baseline before", null=True, blank=True)
    baseline_unit = models.CharField(max_length=10, choices=FigureUnit.choices, blank=True)
    baseline_on = models.DateField("baseline measured", null=True, blank=True)
    result_value = models.PositiveIntegerField("result after", null=True, blank=True)
    result_unit = models.CharField(max_length=10, choices=FigureUnit.choices, blank=True)
    result_on = models.DateField("result measured", null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [
            # Figures with a result ("has figures"), and by indicator: the list's filters.
            models.Index(
                fields=["case_study"],
                condition=Q(result_value__isnull=False),
                name="outcomefigure_with_result",
            ),
            models.Index(
                fields=["indicator", "case_study"],
                condition=Q(result_value__isnull=False),
                name="outcomefigure_result_indicator",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_on__isnull=True)
                | Q(result_on__isnull=True)
                | Q(result_on__gte=F("baseline_on")),
                name="outcomefigure_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(baseline_unit=FigureUnit.PERCENT) | Q(baseline_value__lte=100),
                name="outcomefigure_baseline_percent",
            ),
            models.CheckConstraint(
                condition=~Q(result_unit=FigureUnit.PERCENT) | Q(result_value__lte=100),
                name="outcomefigure_result_percent",
            ),
        ]

    def __str__(self):
        return describe_figure(**{name: getattr(self, name) for name in FIGURE_FIELDS})


# What one figure holds, as the forms, the service and the kept versions name it.
FIGURE_FIELDS = [
    "measure",
    "outcome",
    "indicator",
    "people",
    "baseline_value",
    "baseline_unit",
    "baseline_on",
    "result_value",
    "result_unit",
    "result_on",
]


class CaseStudyLink(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title
