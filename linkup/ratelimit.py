"""Rate limits that hold across every gunicorn worker and server.

Counts live in PostgreSQL (one atomic upsert per hit) or, when REDIS_URL is
set, in Redis (INCR with an expiry): never in process memory, and never a
read-then-write that two workers could interleave.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.db import connection


def client_address(request) -> str:
    """The client's address, trusting only as many proxies as configured."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_ip_address(request) -> str | None:
    """``client_address`` where an IP address is stored (django-axes's
    lockout, the audit trail): None for a request with no address, such as
    one made inside the process."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


# The clock windows are counted by: tests pin it, so that no window ends
# between two requests of one test.
clock = time.time


def _key(scope: str, identity: str) -> str:
    # Hashed so no address or e-mail is stored in clear.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{identity.strip().lower()}".encode()).hexdigest()[:32]
    return f"{scope}:{digest}"


def _redis_incr(key: str, window: int) -> int:
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    pipe = redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, window, nx=True)
    count, _ = pipe.execute()
    return int(count)


def _postgres_incr(key: str, window: int) -> int:
    window_start = int(clock()) // window * window
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO linkup_ratelimitcounter (key, window_start, hits, expires_at)
            VALUES (%s, %s, 1, now() + make_interval(secs => %s))
            ON CONFLICT (key, window_start) DO UPDATE SET hits = linkup_ratelimitcounter.hits + 1
            RETURNING hits
            """,
            [key, window_start, window],
        )
        (count,) = cursor.fetchone()
        # Tidy old windows now and then, without a scheduled job.
        if count == 1 and window_start % (window * 10) == 0:
            cursor.execute("DELETE FROM linkup_ratelimitcounter WHERE expires_at < now()")
    return count


def hit(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one attempt; return True if it is within the limit.

    ``scope`` names the limit ("submit", "directory-search"), ``identity`` is
    who is counted (a client address, an e-mail address).
    """
    key = _key(scope, identity)
    count = _redis_incr(f"ratelimit:{key}", window) if settings.REDIS_URL else _postgres_incr(key, window)
    return count <= limit


def refused(request, scope: str, *, limit: int, window: int):
    """Count one attempt from this client: the "too many requests" page once
    ``limit`` attempts of ``scope`` have been made in ``window`` seconds,
    otherwise None."""
    if hit(scope, client_address(request), limit=limit, window=window):
        return None
    return too_many_requests(request, retry_after=window)


def too_many_requests(request, *, retry_after: int = 60):
    """The polite GOV.UK page for someone who has hit a limit."""
    from django.shortcuts import render

    response = render(request, "errors/429.html", {"retry_minutes": max(1, retry_after // 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
