"""Every benchmark, then one table.

    .venv/bin/python bench/run_all.py [--quick]

1. Runs bench/casestudies.py, bench/directory.py and bench/search.py, which
   seed their own databases at scale (20,000 case studies; 100,000 directory
   listings) and print query plans and detailed figures.
2. Serves each of those databases with gunicorn (gunicorn.conf.py) on
   loopback and measures every key page: p50/p95 time for one client, and
   throughput with several clients as a share of a bare Django view served
   by the same gunicorn configuration in the same run (target ≥ 40 % for
   list and search pages). Each page is measured twice: built for every
   request (the page cache off, as for a first visit to that address), and
   as served to repeat visitors from the page cache (linkup/pagecache.py).
3. Measures the first visit's page weight: HTML, CSS and JavaScript as sent
   compressed (target ≤ 60 kB).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import threading
import time

from common import PROJECT_DIR, PYTHON, Gunicorn, bench_env, manage, percentile, request

BENCH_DIR = PROJECT_DIR / "bench"

# (database, [(page, path)]) — each database is left by its benchmark.
GROUPS = [
    (
        "linkup_bench_casestudies",
        [
            ("case studies: grid", "/case-studies/"),
            (
                "case studies: list, 2 filters",
                "/case-studies/browse/?region=london&client_group=care-leavers",
            ),
            ("case studies: keyword search", "/case-studies/browse/?q=tenancy"),
        ],
    ),
    (
        "linkup_bench_directory",
        [
            ("directory: keyword search", "/directory/search/?q=gambling"),
            ("directory: typo search", "/directory/search/?q=probaton"),
            ("directory: filtered search", "/directory/search/?area=nottingham&agency=probation"),
        ],
    ),
    (
        "linkup_bench_search",
        [("site search", "/search/?q=tenancy")],
    ),
]


def run_benchmark(script: str, env_extra: dict, args: list[str]) -> None:
    print(f"\n{'=' * 70}\n{script} {' '.join(args)}\n{'=' * 70}", flush=True)
    env = {**os.environ, **env_extra}
    env.pop("DATABASE_URL", None)
    subprocess.run([PYTHON, str(BENCH_DIR / script), *args], cwd=PROJECT_DIR, env=env, check=True)


def latency(port: int, path: str, requests: int) -> tuple[float, float]:
    headers = {"Host": f"127.0.0.1:{port}"}
    request("GET", port, path, headers=headers)  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _, _ = request("GET", port, path, headers=headers)
        times.append(time.perf_counter() - started)
        assert status == 200, f"{path}: {status}"
    return percentile(times, 50) * 1000, percentile(times, 95) * 1000


def throughput(port: int, path: str, clients: int, seconds: float) -> float:
    deadline = time.monotonic() + seconds
    counts = [0] * clients
    headers = {"Host": f"127.0.0.1:{port}"}

    def loop(index):
        while time.monotonic() < deadline:
            status, _, _ = request("GET", port, path, headers=headers)
            if status == 200:
                counts[index] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def page_weight(port: int) -> list[tuple[str, int]]:
    """Bytes sent for a first visit to the home page, compressed."""
    accept = {"Host": f"127.0.0.1:{port}", "Accept-Encoding": "br, gzip"}
    _, html, _ = request("GET", port, "/", headers=accept)
    # The portal's HTML is compressed by the reverse proxy in front of it.
    parts = [("HTML (gzip)", len(gzip.compress(html, 6)))]
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', text)
    assets += re.findall(r'<script type="module" src="([^"]+)"', text)
    for asset in list(assets):
        status, body, response = request("GET", port, asset, headers=accept)
        assert status == 200, asset
        encoding = response.getheader("Content-Encoding") or "none"
        parts.append((f"{asset.rsplit('/', 1)[-1]} ({encoding})", len(body)))
        if asset.endswith(".js"):
            _, raw, _ = request("GET", port, asset, headers={"Host": f"127.0.0.1:{port}"})
            for imported in re.findall(rb'from\s*"([^"]+)"', raw):
                target = os.path.normpath(os.path.join(os.path.dirname(asset), imported.decode()))
                status, body, response = request("GET", port, target, headers=accept)
                assert status == 200, target
                encoding = response.getheader("Content-Encoding") or "none"
                parts.append((f"{target.rsplit('/', 1)[-1]} ({encoding})", len(body)))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller data and shorter runs, for a try-out")
    parser.add_argument("--skip-seeding", action="store_true", help="reuse the databases of the last run")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    rows, listings, requests = (2_000, 5_000, 30) if args.quick else (20_000, 100_000, 100)
    seconds = 3.0 if args.quick else args.seconds

    if not args.skip_seeding:
        run_benchmark("casestudies.py", {}, ["--rows", str(rows), "--requests", str(requests), "--no-plans"])
        run_benchmark(
            "directory.py",
            {"BENCH_LISTINGS": str(listings), "BENCH_KEEP_AS": "linkup_bench_directory", "BENCH_PLANS": "0"},
            [],
        )
        run_benchmark("search.py", {}, ["--rows", str(rows), "--requests", str(requests)])

    port = 8770
    results = []
    print(
        f"\n{'=' * 70}\nPages under gunicorn, {args.clients} clients for throughput\n{'=' * 70}", flush=True
    )
    for database, pages in GROUPS:
        # One client address asks many times: the anti-scraping limit would answer 429.
        env = bench_env(database, DIRECTORY_RATE_LIMIT_PER_MINUTE="1000000")
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        measured = {name: [name] for name, _ in pages}
        for cache_seconds in ("0", "600"):
            with Gunicorn({**env, "PAGE_CACHE_SECONDS": cache_seconds}, port):
                for name, path in pages:
                    p50, p95 = latency(port, path, requests)
                    measured[name] += [p50, p95, throughput(port, path, args.clients, seconds)]
        # The ceiling, measured in the same run with the same configuration.
        with Gunicorn(env, port, app="bench.bare_wsgi:application"):
            bare = throughput(port, "/", args.clients, seconds)
        results += [(*row, bare) for row in measured.values()]
    with Gunicorn(bench_env(GROUPS[0][0]), port):
        weight = page_weight(port)

    print(f"\n{'':<34}{'built for every request':^32}{'repeat visit (page cache)':^32}")
    columns = ("p50 ms", "p95 ms", "req/s", "share") * 2
    print(f"{'page':<34}" + "".join(f"{column:>8}" for column in columns) + f"{'bare':>8}")
    for name, *figures, bare in results:
        row = f"{name:<34}"
        for p50, p95, rate in (figures[:3], figures[3:]):
            row += f"{p50:>8.1f}{p95:>8.1f}{rate:>8.0f}{rate / bare:>8.0%}"
        below = [kind for kind, rate in (("built", figures[2]), ("cached", figures[5])) if rate / bare < 0.4]
        flag = f"  below 40 %: {', '.join(below)}" if below else ""
        print(f"{row}{bare:>8.0f}{flag}")
    total = sum(size for _, size in weight)
    print("\nFirst visit to the home page, bytes sent:")
    for part, size in weight:
        print(f"  {part:<50}{size:>8,}")
    flag = "" if total <= 60_000 else "  (over the 60 kB target)"
    print(f"  {'total':<50}{total:>8,}{flag}")


if __name__ == "__main__":
    sys.exit(main())
