"""Send the public site's reads to a read replica when DATABASE_REPLICA_URL is set.

``ReplicaMiddleware`` marks GET and HEAD requests outside admin as
read-only; during them, reads go to the replica. Everything else (forms,
admin, management commands) reads and writes the primary, so staff and
submitters always see their own changes.
"""

from __future__ import annotations

import threading

from django.conf import settings

_state = threading.local()


def replica_reads_enabled() -> bool:
    return getattr(_state, "use_replica", False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == "django_cache":
            # The database cache is read where it is written: a replica's
            # copy lags, and its pages are keyed on the replica's own content
            # version anyway (linkup/pagecache.py).
            return "default"
        return "replica" if replica_reads_enabled() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema; never migrate it directly.
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = f"/{settings.ADMIN_PATH}/"

    def __call__(self, request):
        _state.use_replica = request.method in {"GET", "HEAD"} and not request.path.startswith(
            self.admin_prefix
        )
        try:
            return self.get_response(request)
        finally:
            _state.use_replica = False
