"""Reference data shared by every part of the portal.

The records are loaded by data migrations (see ``linkup/reference_data.py``)
so every fresh database has them. Staff may edit descriptions in admin; the
names and slugs are the campaign's fixed vocabulary.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from procrastinate.contrib.django.models import ProcrastinateJob

from linkup.moderation import ModerationEvent  # noqa: F401  (a model of this app)


class ReferenceQuerySet(models.QuerySet):
    def ordered(self):
        return self.order_by("position", "name")


class ReferenceItem(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists (lowest first).")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        """The name the interface shows (checkboxes, chips, headings)."""
        return self.name


class RegionQuerySet(ReferenceQuerySet):
    def open_to_listings(self):
        """The regions the directory covers (``DIRECTORY_REGIONS``)."""
        return self.filter(slug__in=settings.DIRECTORY_REGIONS).ordered()


class Region(ReferenceItem):
    """One of the nine English regions."""

    objects = RegionQuerySet.as_manager()

    class Meta(ReferenceItem.Meta):
        pass

    def get_absolute_url(self):
        return reverse("casestudies:region", args=[self.slug])

    @property
    def sentence_name(self) -> str:
        """The name as a sentence says it: "London", but "the East Midlands"."""
        return self.name if self.slug in REGIONS_WITHOUT_ARTICLE else f"the {self.name}"


class Outcome(ReferenceItem):
    """Something a case study can show: settled accommodation, employment, …"""

    class Meta(ReferenceItem.Meta):
        pass


class ClientGroup(ReferenceItem):
    """One of the four PSA 16 client groups."""

    short_name = models.CharField(max_length=60, help_text="Used where space is short, e.g. table headings.")

    class Meta(ReferenceItem.Meta):
        pass

    def get_absolute_url(self):
        return reverse("casestudies:client_group", args=[self.slug])

    @property
    def label(self) -> str:
        """The short name, one for each group across the interface; the full
        name is kept for where the definition matters (indicators, the toolkit)."""
        return self.short_name or self.name


class NationalIndicator(models.Model):
    """A PSA 16 national indicator (NI 143–150) for one client group."""

    code = models.CharField(max_length=10, unique=True, help_text="For example NI 147.")
    client_group = models.ForeignKey(ClientGroup, on_delete=models.PROTECT, related_name="indicators")
    title = models.CharField(max_length=200)
    plain_english = models.TextField(help_text="What the indicator measures, in plain words.")
    outcomes = models.ManyToManyField(Outcome, related_name="indicators")

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}: {self.title}"


class Agency(ReferenceItem):
    """An agency or sector that takes part in joint working."""

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "agencies"


class LocalAuthorityQuerySet(ReferenceQuerySet):
    def open_to_listings(self):
        """The authorities a directory listing may cover: those of the
        regions the directory covers."""
        return self.filter(region__slug__in=settings.DIRECTORY_REGIONS).ordered()


class LocalAuthority(ReferenceItem):
    """An upper-tier local authority, in one region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")
    neighbours = models.ManyToManyField("self", blank=True, help_text="Authorities sharing a boundary.")

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "local authorities"


# Regions named without "the" in a sentence ("in London", but "in the East Midlands").
REGIONS_WITHOUT_ARTICLE = {"london", "yorkshire-and-the-humber"}


def directory_region_names() -> str:
    """The regions the directory covers, as a sentence names them: "the East
    Midlands", or "the East Midlands and London"."""
    return get_text_list([region.sentence_name for region in Region.objects.open_to_listings()], "and")


class RateLimitCounter(models.Model):
    """Hits per key per time window, incremented atomically (see linkup/ratelimit.py)."""

    key = models.CharField(max_length=80)
    window_start = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_unique_window")
        ]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.hits}"


class QueuedEmail(models.Model):
    """An e-mail waiting for the job queue to deliver it (``linkup/notifications.py``).

    The row exists only until the message has gone: delivering it deletes
    it, so addresses and text are kept no longer than delivery needs. Staff
    see ``kind``, ``about`` and ``last_error`` (never the message) in admin.
    """

    kind = models.CharField(max_length=200, help_text="The template the message was written from.")
    about = models.CharField(max_length=200, help_text="What it is about: a kind and a record number.")
    to = models.EmailField(max_length=320)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="Headers of the portal's own making.")
    subject = models.TextField()
    body = models.TextField()
    # A record whose ``emailed_at`` is set when the message goes.
    emailed_record_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    emailed_record_id = models.PositiveBigIntegerField(null=True, blank=True)
    # procrastinate deletes finished jobs itself, in SQL: no constraint to trip over.
    job = models.ForeignKey(
        ProcrastinateJob, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    last_error = models.CharField(max_length=200, blank=True, help_text="The type of the last error only.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "e-mail waiting to be sent"
        verbose_name_plural = "e-mails waiting to be sent"
        ordering = ["created_at"]

    def __str__(self):
        return self.about


class ContentChange(models.Model):
    """One row per write to public content, added in the writer's own
    transaction by ``linkup.pagecache.content_changed()``; the sum of
    ``weight`` is the content version that cached public pages are keyed
    on. Old rows are folded into one now and then, keeping the sum."""

    weight = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "content change"

    def __str__(self):
        return f"Content change {self.pk} (weight {self.weight})"


class SearchWord(models.Model):
    """A word of the public text of one kind of content (``source``, a search
    provider's key), with the number of records using it: the one vocabulary
    that typo correction and "did you mean" choose from (``linkup/search.py``).
    ``word`` is unaccented lower case, to compare with; ``spelling`` is how the
    content writes it, to show ("Derbyshire")."""

    source = models.CharField(max_length=40)
    word = models.CharField(max_length=40)
    spelling = models.CharField(max_length=40)
    ndoc = models.PositiveIntegerField(default=1)
    # Words the English configuration does not index ("and", "can"): never
    # offered as a correction.
    stop = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "word"], name="searchword_unique_source_word")
        ]
        indexes = [
            GistIndex(fields=["word"], opclasses=["gist_trgm_ops"], name="linkup_searchword_trgm"),
            models.Index(fields=["word"], name="linkup_searchword_word"),
        ]

    def __str__(self):
        return self.word
