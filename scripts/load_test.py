"""Load benchmark: the deployed shape on loopback (gunicorn instances behind nginx) under
concurrent keep-alive clients sending a weighted mix of anonymous reads.

Usage: .venv/bin/python scripts/load_test.py [--clients 64] [--duration 60] [--instances 2]
       [--workers 2] [--no-proxy]

Migrates, loads the seed and collects static files, starts a private redis-server (when
installed) for the shared rate-limit counters, `--instances` gunicorn servers on one database
and nginx with deploy/nginx/policytracker.conf in front of them (scripts/local_stack.py), then
runs the clients for a fixed time (or until --max-requests) and prints a table: requests,
requests/s, latency percentiles, errors and the share of answers nginx served from its cache,
with the machine's load average before and after. The exit status is 1 when any request failed
(anything but 2xx/304, or an exception).
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from local_stack import local_stack, nginx_binary, prepare, private_redis, production_env

OK_STATUSES = frozenset({*range(200, 300), 304})
INCLUDE = "?include=sponsors,actions,statements"
# (name, path or None for "a seeded bill's detail", weight)
MIX: list[tuple[str, str | None, int]] = [
    ("bills list", "/api/v1/bills/", 15),
    ("bill detail+include", None, 25),
    ("statements", "/api/v1/statements/", 10),
    ("statements q=terrorism", "/api/v1/statements/?q=terrorism", 8),
    ("search q=registration", "/api/v1/search/?q=registration", 10),
    ("people", "/api/v1/people/", 8),
    ("organizations", "/api/v1/organizations/", 6),
    ("bill-actions", "/api/v1/bill-actions/", 6),
    ("sources", "/api/v1/sources/", 5),
    ("statuses", "/api/v1/statuses/", 4),
    ("healthz", "/healthz", 3),
]


class Stats:
    """One client's tallies; merged after the run, so no locking while measuring."""

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.by_endpoint: defaultdict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.error_endpoints: Counter[str] = Counter()
        self.cache: Counter[str] = Counter()
        self.upstream: Counter[str] = Counter()

    def merge(self, other: "Stats") -> None:
        self.latencies_ms += other.latencies_ms
        for name, timings in other.by_endpoint.items():
            self.by_endpoint[name] += timings
        self.errors.update(other.errors)
        self.error_endpoints.update(other.error_endpoints)
        self.cache.update(other.cache)


def get(base: str, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One GET on a fresh connection: (status, body)."""
    address = urlsplit(base)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def seeded_bill_paths(base: str) -> list[str]:
    """Detail paths (with every include) for the bills the list endpoint shows."""
    status, body = get(base, "/api/v1/bills/?page_size=200", timeout=30.0)
    if status != 200:
        raise RuntimeError(f"GET /api/v1/bills/ answered {status}: {body[:300]!r}")
    slugs = [bill["slug"] for bill in json.loads(body)["results"]]
    if not slugs:
        raise RuntimeError("the bill list is empty: was the seed loaded?")
    return [f"/api/v1/bills/{slug}/{INCLUDE}" for slug in slugs]


def client(
    base: str, seed: int, bills: list[str], budget: "Budget", stats: Stats, headers: dict
) -> None:
    """Issue weighted random GETs on one keep-alive connection until the budget runs out."""
    rng = random.Random(seed)
    names = [name for name, _, _ in MIX]
    paths = {name: path for name, path, _ in MIX}
    weights = [weight for _, _, weight in MIX]
    address = urlsplit(base)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    while budget.take():
        name = rng.choices(names, weights)[0]
        path = paths[name] or rng.choice(bills)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            outcome = response.status
            stats.cache[response.getheader("X-Cache-Status") or "none"] += 1
            if response.will_close:
                conn.close()  # gunicorn's sync workers close after each answer
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
            conn.close()  # the next request reconnects
        elapsed_ms = (time.perf_counter() - started) * 1000
        stats.latencies_ms.append(elapsed_ms)
        stats.by_endpoint[name].append(elapsed_ms)
        if outcome not in OK_STATUSES:
            label = f"HTTP {outcome}" if isinstance(outcome, int) else outcome
            stats.errors[label] += 1
            stats.error_endpoints[f"{label} {name}"] += 1
    conn.close()


class Budget:
    """Shared stop condition: a deadline, a request cap and an external stop flag."""

    def __init__(self, duration: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + duration
        self.remaining = max_requests
        self.stopped = threading.Event()
        self._lock = threading.Lock()

    def take(self) -> bool:
        if self.stopped.is_set() or time.monotonic() >= self.deadline:
            return False
        with self._lock:
            self.remaining -= 1
            return self.remaining >= 0


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages of the machine."""
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "unknown"


def upstream_failures(access_log: Path | None) -> Counter[str]:
    """Answers of the instances that nginx saw fail (500 or more; nginx counts an instance that
    did not answer as 502 or 504), by status, from its access log: a stale cached copy may have
    hidden them from clients."""
    failures: Counter[str] = Counter()
    if access_log is None:
        return failures
    for line in access_log.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            for status in json.loads(line)["upstream_status"].split(","):
                status = status.strip(" :")
                if status.isdigit() and int(status) >= 500:
                    failures[status] += 1
    return failures


def report(stats: Stats, elapsed: float, setup: str, load_before: str, load_after: str) -> int:
    """Print the figures as Markdown (the README's Benchmarks table); return the failures."""
    latencies = sorted(stats.latencies_ms)
    total, errors = len(latencies), sum(stats.errors.values())
    hits = stats.cache["HIT"] + stats.cache["STALE"] + stats.cache["UPDATING"]
    answered = sum(stats.cache.values())
    share = f"{100 * hits / answered:.1f} %" if answered and "none" not in stats.cache else "n/a"
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n{setup}; {today}; load average {load_before} before, {load_after} after.\n")
    print("| requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | cache hits |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {total} | {total / elapsed:.1f} | "
        + " | ".join(f"{percentile(latencies, p / 100):.1f}" for p in (50, 95, 99))
        + f" | {latencies[-1] if latencies else 0:.1f} | {errors} | {share} |"
    )
    for label, count in stats.errors.most_common():
        print(f"  {label:<40} {count}")
    upstream = ", ".join(f"{status} {count}" for status, count in stats.upstream.most_common())
    print(f"\ninstance answers nginx saw fail: {upstream or 'none'}")
    for label, count in stats.error_endpoints.most_common():
        print(f"    on {label:<37} {count}")
    print(f"\nper endpoint {'':<27} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, _, _ in MIX:
        timings = sorted(stats.by_endpoint[name])
        p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
        print(f"  {name:<37} {len(timings):>7} {p50:>8.1f} {p95:>8.1f}")
    print("cache status   " + ", ".join(f"{k} {v}" for k, v in stats.cache.most_common()))
    return errors


def drive(args: argparse.Namespace, targets: list[str]) -> tuple[Stats, float]:
    """Run the clients against `targets` (client i uses target i mod n)."""
    bills = seeded_bill_paths(targets[0])
    print(
        f"{args.clients} clients for {args.duration:g} s (at most {args.max_requests} "
        f"requests) against {', '.join(targets)}, {len(bills)} bill detail paths",
        flush=True,
    )
    headers = {"Accept": "application/json"}
    if args.bypass_cache:
        # nginx never answers a session holder from its cache; the app finds no such session
        # and serves an anonymous caller (one more query).
        headers["Cookie"] = "sessionid=load-test-no-such-session"
    per_client = [Stats() for _ in range(args.clients)]
    budget = Budget(args.duration, args.max_requests)
    threads = [
        threading.Thread(
            target=client,
            args=(targets[i % len(targets)], i, bills, budget, per_client[i], headers),
            daemon=True,
        )
        for i in range(args.clients)
    ]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    finally:
        budget.stopped.set()  # on Ctrl-C the clients stop after their current request
    elapsed = time.monotonic() - started
    merged = Stats()
    for stats in per_client:
        merged.merge(stats)
    return merged, elapsed


def run(args: argparse.Namespace) -> int:
    """Prepare, serve, load, report."""
    proxy = not args.no_proxy
    if proxy and nginx_binary() is None:
        raise RuntimeError("nginx is not installed (or run with --no-proxy)")
    with contextlib.ExitStack() as stack:
        overrides = {}
        if shutil.which("redis-server") and not args.no_redis:
            port, _ = stack.enter_context(private_redis())
            overrides["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        env = production_env(**overrides)
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # each instance makes its own
        print("$ manage.py migrate, load_seed, collectstatic", flush=True)
        prepare(env, collectstatic=True)
        served = stack.enter_context(
            local_stack(env, instances=args.instances, workers=args.workers, proxy=proxy)
        )
        setup = (
            f"{args.clients} clients, {args.duration:g} s, {args.instances} gunicorn instances "
            f"x {args.workers} sync workers"
            + (" behind nginx" if proxy else " (no proxy)")
            + (", cache bypassed" if args.bypass_cache else "")
            + (", Redis" if "REDIS_URL" in overrides else "")
            + f", {os.cpu_count()} CPUs"
        )
        load_before = load_average()
        stats, elapsed = drive(args, [served.proxy] if proxy else served.instances)
        stats.upstream = upstream_failures(served.proxy_log)
        load_after = load_average()
    return 1 if report(stats, elapsed, setup, load_before, load_after) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64, help="Concurrent client threads.")
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of load.")
    parser.add_argument("--instances", type=int, default=2, help="gunicorn instances.")
    parser.add_argument("--workers", type=int, default=2, help="Sync workers per instance.")
    parser.add_argument("--no-proxy", action="store_true", help="Clients hit gunicorn directly.")
    parser.add_argument(
        "--bypass-cache", action="store_true", help="Every request reaches an instance."
    )
    parser.add_argument("--no-redis", action="store_true", help="Per-process memory cache.")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="Request cap.")
    args = parser.parse_args()
    try:
        return run(args)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or b""
        print(f"load test failed: {error}\n{detail.decode(errors='replace')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
