"""Whole public pages, kept in the shared cache for visitors who are not
signed in.

A list, search or reading page is the same for every anonymous visitor who
asks for the same address, and building it (queries, forms, templates) is
nearly all of its cost. ``cached_page`` keeps the finished page in the
shared cache (Redis or the database cache, so every app server shares it),
keyed on the address and on the **content version**.

The content version is the one way cached pages are retired. Every write
to public content calls ``content_changed()``: one signal receiver does so
for saves, deletes and many-to-many changes of ``CONTENT_MODELS``, and each
write that sends no signals (``QuerySet.update()``, bulk or raw SQL in the
import and the freshness command) calls it itself. It adds a row to
``ContentChange`` in the writer's own transaction, and the version is the
sum of that table's weights, so the new version becomes visible exactly
when the change commits, with no window after the commit and nothing lost
if the process dies then. Writers only insert, so they never wait on each
other for it. The version is read from the database the page reads from
(the replica, when there is one), so a page is never stored under a
version newer than its data.

Only what is safe to share is stored: GET requests without a session or
messages cookie, and 200 responses that set no cookie, carry no CSRF token,
did not start a session and are not marked private.

"""

from __future__ import annotations

import functools
import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse

from linkup.models import ContentChange

KEY_PREFIX = "page"
# Every model whose rows a public page, feed or export shows; saving,
# deleting or relinking one retires the cached pages.
CONTENT_MODELS = (
    "linkup.Region",
    "linkup.Outcome",
    "linkup.ClientGroup",
    "linkup.NationalIndicator",
    "linkup.Agency",
    "linkup.LocalAuthority",
    "casestudies.CaseStudy",
    "casestudies.CaseStudyLink",
    "casestudies.OutcomeFigure",
    "directory.Listing",
    "directory.ListingSearch",
    "toolkit.Section",
    "toolkit.Page",
    "toolkit.Need",
    "toolkit.AgencySuggestion",
)
# Old changes are folded into one row this often, so the sum stays cheap to read.
FOLD_EVERY = 200


@transaction.atomic(savepoint=False)
def content_changed() -> None:
    """Retire every cached page once the current transaction commits.

    Call it after (or in the same transaction as) any write to public
    content that sends no model signals."""
    change = ContentChange.objects.create()
    if change.pk % FOLD_EVERY == 0:
        # Rows another writer is folding are skipped (and stay counted), so
        # the sum never shrinks.
        older = ContentChange.objects.filter(pk__lt=change.pk).select_for_update(skip_locked=True)
        folded = dict(older.values_list("pk", "weight"))
        if folded:
            ContentChange.objects.filter(pk__in=folded).delete()
            ContentChange.objects.create(weight=sum(folded.values()))


def _content_saved(sender, **kwargs):
    content_changed()


def _content_relinked(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        content_changed()


def _migrated(using, **kwargs):
    # Data migrations write through historical models, which send no signals
    # this module listens to: a deploy's migrations may have changed content.
    if ContentChange._meta.db_table in connections[using].introspection.table_names():
        content_changed()


def connect_signals() -> None:
    """Connect the one receiver to every model of ``CONTENT_MODELS`` and to
    its many-to-many links, and retire pages after every ``migrate``
    (called from LinkupConfig.ready)."""
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("linkup"), dispatch_uid="linkup.pagecache.migrated"
    )
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        uid = f"linkup.pagecache.{label}"
        post_save.connect(_content_saved, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(_content_saved, sender=model, dispatch_uid=f"{uid}.deleted")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _content_relinked, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}"
            )


def content_version() -> int:
    """The content version, from the database pages read."""
    return _versioned_source()[1]


def _versioned_source() -> tuple[str, int]:
    """The database pages read (its name: two databases never share pages,
    whatever their versions) and its content version."""
    alias = router.db_for_read(ContentChange)
    # Plain SQL: building the ORM's aggregate took longer than the rest of a
    # cache hit (bench/run_all.py, repeat visits).
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(weight), 0) FROM {ContentChange._meta.db_table}")  # noqa: S608
        version = cursor.fetchone()[0]
    return connections[alias].settings_dict["NAME"], version


def _shareable_request(request) -> bool:
    if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _shareable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page carries a CSRF token
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False  # the visitor is about to get a session of their own
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    if response.has_header("Vary"):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def page_key(request, source: tuple[str, int]) -> str:
    database, version = source
    address = request.build_absolute_uri()
    digest = hashlib.blake2b(f"{database}\n{address}".encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:{version}:{digest}"


def cached_page(view):
    """Serve ``view``'s page from the shared cache when it may be shared."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        source = _versioned_source()
        key = page_key(request, source)
        stored = cache.get(key)
        if stored is not None:
            headers, content = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if _shareable_response(request, response):
            cache.set(key, (dict(response.items()), response.content), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
