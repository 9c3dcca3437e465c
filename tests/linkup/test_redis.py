"""With REDIS_URL set, the cache and the rate limiter use Redis.

Run by scripts/test (``-m redis``) when a Redis server answers at
TEST_REDIS_URL.
"""

import os
import subprocess
import sys
import uuid

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.redis

PROBE = """
import django, sys
django.setup()
from django.core.cache import cache
from linkup import ratelimit
scope = sys.argv[1]
cache.set("probe-" + scope, "kept", 30)
print("CACHE:", cache.get("probe-" + scope))
print("HITS:", [ratelimit.hit(scope, "198.51.100.7", limit=2, window=60) for _ in range(3)])
"""


def test_cache_and_rate_limits_use_redis():
    import redis

    url = os.environ["TEST_REDIS_URL"]
    scope = f"redis-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.update({"DJANGO_SETTINGS_MODULE": "linkup.settings", "REDIS_URL": url})
    result = subprocess.run(
        [sys.executable, "-c", PROBE, scope],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "CACHE: kept" in result.stdout
    assert "HITS: [True, True, False]" in result.stdout
    client = redis.Redis.from_url(url)
    keys = client.keys(f"*ratelimit:{scope}:*")
    assert len(keys) == 1
    assert int(client.get(keys[0])) == 3
    assert 0 < client.ttl(keys[0]) <= 60
    client.delete(*keys)
