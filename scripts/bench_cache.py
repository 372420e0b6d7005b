"""Response cache benchmark: the same reads from gunicorn with RESPONSE_CACHE_ENABLED=1 and =0.

Usage: .venv/bin/python scripts/bench_cache.py [--data generated|seed] [--bills 2000]
       [--statements 20000] [--workers 2] [--clients 4] [--duration 5] [--rounds 2]
       [--database-url postgres://postgres@127.0.0.1:5432/bench_pt_cache]

Creates the database when missing, migrates it and fills it (`generate_data --clear` with the
given sizes, or the seed), starts a private redis-server and two gunicorn instances on it (the
production settings of scripts/local_stack.py), one with the response cache and one without,
and measures each endpoint on both in interleaved rounds with `--clients` keep-alive clients,
once without and once with `Accept-Encoding: gzip`. Prints a Markdown table: requests/s, p50
and p99 in ms, and the share of cache hits. Until settings.py lists the cache and gzip
middleware, the instances run a generated settings module that adds them (as proposed there).
Standard library plus psycopg2 (to create the database).
"""

import argparse
import contextlib
import http.client
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from local_stack import ROOT, gunicorn_instance, private_redis, production_env

ENDPOINTS = [
    "/api/v1/bills/?include=sponsors,actions&page_size=100",
    "/api/v1/statements/?page_size=100",
]
SETTINGS_MODULE = "bench_cache_settings"
# The MIDDLEWARE change proposed for settings.py, applied only while it is missing there.
SETTINGS_SOURCE = """
from policytracker.settings import *  # noqa: F403

GZIP = "policytracker.response_cache.PublicGZipMiddleware"
CACHE = "policytracker.response_cache.ResponseCacheMiddleware"
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
if GZIP not in MIDDLEWARE:
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.http.ConditionalGetMiddleware"), GZIP)
if CACHE not in MIDDLEWARE:
    at = MIDDLEWARE.index("policytracker.middleware.RateLimitHeadersMiddleware") + 1
    MIDDLEWARE.insert(at, CACHE)
RESPONSE_CACHE_ENABLED = env_bool("RESPONSE_CACHE_ENABLED", default=True)  # noqa: F405
RESPONSE_CACHE_SECONDS = int(env("RESPONSE_CACHE_SECONDS", "300"))  # noqa: F405
"""


def ensure_database(url: str) -> None:
    """CREATE DATABASE for `url` unless it exists (connecting to the server's `postgres`)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def manage(env: dict, *args: str) -> None:
    import subprocess

    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )


def fill(env: dict, data: str, bills: int, statements: int) -> None:
    manage(env, "migrate", "--noinput")
    if data == "seed":
        manage(env, "load_seed")
    else:
        manage(
            env, "generate_data", "--clear", "--bills", str(bills), "--statements", str(statements)
        )


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


class Run:
    """Latencies, statuses and cache answers of one (instance, endpoint, encoding) cell."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[int | str] = Counter()
        self.cache: Counter[str] = Counter()
        self.seconds = 0.0
        self.lock = threading.Lock()


def warm(base: str, path: str, headers: dict) -> None:
    address = urlsplit(base)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=300)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
    finally:
        conn.close()


def hammer(base: str, path: str, headers: dict, clients: int, duration: float, run: Run) -> None:
    """`clients` threads GET `path` in a loop for `duration` seconds."""
    address = urlsplit(base)
    deadline = time.monotonic() + duration

    def client() -> None:
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
        latencies, statuses, cache = [], Counter(), Counter()
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                statuses[response.status] += 1
                cache[response.getheader("X-Response-Cache") or "none"] += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as error:
                statuses[type(error).__name__] += 1
                conn.close()
            latencies.append((time.perf_counter() - started) * 1000)
        conn.close()
        with run.lock:
            run.latencies += latencies
            run.statuses.update(statuses)
            run.cache.update(cache)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds += time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=["generated", "seed"], default="generated")
    parser.add_argument("--bills", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per cell and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-fill", action="store_true", help="reuse the database as it is")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/bench_pt_cache",
    )
    args = parser.parse_args()

    ensure_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder, private_redis() as (port, _):
        Path(folder, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
        base_env = production_env(
            args.database_url,
            REDIS_URL=f"redis://127.0.0.1:{port}/0",
            DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
            PYTHONPATH=os.pathsep.join([folder, str(ROOT), os.environ.get("PYTHONPATH", "")]),
            NUM_PROXIES="0",
            LOG_LEVEL="WARNING",
        )
        if not args.skip_fill:
            print(f"filling {args.database_url} ({args.data}) ...", flush=True)
            fill(base_env, args.data, args.bills, args.statements)
        logs = Path(folder)
        with contextlib.ExitStack() as stack:
            instances = {}
            for label, flag in (("cache on", "1"), ("cache off", "0")):
                env = {**base_env, "RESPONSE_CACHE_ENABLED": flag}
                log = logs / f"gunicorn-{flag}.log"
                instances[label] = stack.enter_context(
                    gunicorn_instance(env, log, workers=args.workers)
                )
            encodings = {"identity": {}, "gzip": {"Accept-Encoding": "gzip"}}
            cells = {
                (label, path, encoding): Run()
                for label in instances
                for path in ENDPOINTS
                for encoding in encodings
            }
            for label, path, encoding in cells:  # one request each fills the cache
                warm(instances[label].url, path, encodings[encoding])
            for number in range(args.rounds):
                print(f"round {number + 1}/{args.rounds} ...", flush=True)
                for path in ENDPOINTS:
                    for encoding, headers in encodings.items():
                        for label, instance in instances.items():
                            run = cells[(label, path, encoding)]
                            hammer(instance.url, path, headers, args.clients, args.duration, run)
        report(cells, args)
    return 0


def report(cells: dict, args) -> None:
    print(
        f"\n{args.data} data ({args.bills} bills, {args.statements} statements)"
        if args.data == "generated"
        else "\nseed data",
        f"; gunicorn {args.workers} sync workers, {args.clients} clients, "
        f"{args.rounds}×{args.duration:g} s per cell, interleaved; {os.cpu_count()} CPUs\n",
        sep="",
    )
    print("| request | encoding | cache | req/s | p50 ms | p99 ms | hits | errors |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for (label, path, encoding), run in cells.items():
        ordered = sorted(run.latencies)
        total = len(ordered)
        errors = sum(count for status, count in run.statuses.items() if status != 200)
        hits = run.cache["hit"]
        share = f"{100 * hits / total:.0f} %" if total else "n/a"
        print(
            f"| `{path}` | {encoding} | {label.removeprefix('cache ')} | "
            f"{total / run.seconds if run.seconds else 0:.1f} | "
            f"{percentile(ordered, 0.5):.1f} | {percentile(ordered, 0.99):.1f} | "
            f"{share} | {errors} |"
        )


if __name__ == "__main__":
    sys.exit(main())
