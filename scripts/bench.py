"""Read-path benchmark: the project under gunicorn against a floor, on generated data.

Usage: .venv/bin/python scripts/bench.py [--quick] [--reuse] [--duration 10] [--rounds 2]
       [--concurrency 8] [--database-url URL] [--project-env KEY=VALUE ...]

1. Data: `manage.py migrate` and `manage.py generate_data --clear` (10,000 bills, 100,000
   statements; --quick: 1,000 and 10,000) into a dedicated database, `policytracker_bench` on
   the server of DATABASE_URL (or BENCH_DATABASE_URL as given), created if missing. It is
   truncated and refilled, so it must never be a database you keep. --reuse skips this step.
2. Servers: the project (gunicorn, policytracker/gunicorn_conf.py, 3 sync workers, production
   settings: DEBUG=0, a fresh SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, plain HTTP, limits out of
   the way, the response cache off where settings honour RESPONSE_CACHE_ENABLED) and the floor
   (scripts/bench_floor.py: bare WSGI + psycopg2 + orjson, same rows, 3 sync workers).
3. Checks: both servers must answer 200 with the same record ids for every URL.
4. Throughput: for each URL, rounds of --duration seconds alternating project and floor, each
   with --concurrency threads sending GETs over http.client (no Accept-Encoding); req/s over
   all rounds, p50/p99 of every request's latency.
5. Latency sweep: single requests (one at a time) of bills?include=sponsors,actions at page
   sizes 10/100/200, interleaved; the p50s and a least-squares slope in µs per bill. Then single
   requests of the statements list and search (`SINGLE`), p50 of each.
6. Queries per request: the project's are counted in a subprocess that runs the same URLs
   through Django's test client under CaptureQueriesContext (same settings and database,
   in-process, so they are the SQL statements one request runs); the floor reports its own
   count in an `X-Queries` header.
7. Memory: VmRSS (and peak VmHWM) of each gunicorn worker after the runs.

Prints one table plus the machine's load average at start and end. Everything started is
stopped at the end, also on Ctrl-C or SIGTERM. Needs PostgreSQL only (no Docker, no Redis).
The client is Python and shares the machine's cores with the servers, so compare ratios
within one run, not absolute numbers across machines.
"""

import argparse
import contextlib
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from local_stack import (
    HOST,
    ROOT,
    Instance,
    _stop,
    _tail,
    free_port,
    gunicorn_instance,
    production_env,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/policytracker_bench"
BENCH_DATABASE = "policytracker_bench"
INCLUDE = "/api/v1/bills/?include=sponsors,actions&page_size={}"
ENDPOINTS = [
    ("bills include=sponsors,actions p100", INCLUDE.format(100)),
    ("bills p100", "/api/v1/bills/?page_size=100"),
    ("statements p100", "/api/v1/statements/?page_size=100"),
    ("statements q=security", "/api/v1/statements/?q=security"),
    ("bill detail", None),  # rotates over the bills of the first list page
]
SWEEP = (10, 100, 200)
# Single requests whose p50 has a target of its own (< 100 ms at 100,000 statements).
SINGLE = [
    ("statements p100", "/api/v1/statements/?page_size=100"),
    ("statements q=security", "/api/v1/statements/?q=security"),
    ("statements q=security p100", "/api/v1/statements/?q=security&page_size=100"),
]


def bench_database_url(given: str | None) -> str:
    """The benchmark's own database: BENCH_DATABASE_URL or --database-url as given, else
    DATABASE_URL's server with the database name replaced (never the development database)."""
    if given:
        return given
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL")
    if not base:
        return DEFAULT_DATABASE_URL
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def ensure_database(url: str) -> None:
    import psycopg2

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextlib.contextmanager
def floor_instance(env: dict, log: Path, *, workers: int = 3):
    """scripts/bench_floor.py under gunicorn (sync workers) on a free loopback port."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "bench_floor:application", "--chdir", str(ROOT / "scripts")]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "120"]
    floor_env = {**env, "PYTHONPATH": str(ROOT)}
    with open(log, "ab") as output:
        process = subprocess.Popen(command, env=floor_env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 60
        while get(f"http://{HOST}:{port}", "/healthz")[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the floor did not start:\n{_tail(log)}")
            time.sleep(0.2)
        yield Instance(f"http://{HOST}:{port}", port, log, process)
    finally:
        _stop(process)


def get(base: str, path: str, timeout: float = 120) -> tuple[int, dict, bytes]:
    address = urlsplit(base)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError:
        return 0, {}, b""
    finally:
        conn.close()


class Load:
    """`concurrency` threads sending GETs for `duration` seconds; latencies in ms."""

    def __init__(self, base: str, paths: list[str], concurrency: int, duration: float):
        self.base, self.paths = base, paths
        self.concurrency, self.duration = concurrency, duration
        self.latencies: list[float] = []
        self.errors = 0
        self.cache_hits = 0
        self.lock = threading.Lock()

    def client(self, number: int, stop_at: float) -> None:
        address = urlsplit(self.base)
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
        latencies, errors, hits, index = [], 0, 0, number
        while time.perf_counter() < stop_at:
            path = self.paths[index % len(self.paths)]
            index += self.concurrency
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": "application/json"})
                response = conn.getresponse()
                response.read()
                hits += response.getheader("X-Response-Cache") == "hit"
                if response.status != 200:
                    errors += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                continue
            latencies.append((time.perf_counter() - started) * 1000)
        conn.close()
        with self.lock:
            self.latencies += latencies
            self.errors += errors
            self.cache_hits += hits

    def run(self) -> float:
        """Runs one round; returns its length in seconds (until the last answer)."""
        started = time.perf_counter()
        stop_at = started + self.duration
        threads = [
            threading.Thread(target=self.client, args=(number, stop_at), daemon=True)
            for number in range(self.concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    num = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return num / sum((x - mean_x) ** 2 for x, _ in points)


def worker_memory(master_pid: int) -> list[tuple[int, int]]:
    """(VmRSS, VmHWM) in kB of each child process of `master_pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            status = dict(
                line.split(":", 1) for line in (entry / "status").read_text().splitlines()
            )
            if int(status["PPid"]) == master_pid:
                found.append((int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])))
    return found


def count_queries(env: dict, paths: list[str]) -> dict[str, int]:
    """Queries per request of the project, from Django's test client in a subprocess."""
    code = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client, counts = Client(), {}\n"
        "for path in json.loads(sys.argv[1]):\n"
        "    client.get(path, HTTP_HOST='127.0.0.1')\n"
        "    with CaptureQueriesContext(connection) as queries:\n"
        "        status = client.get(path, HTTP_HOST='127.0.0.1').status_code\n"
        "    counts[path] = len(queries) if status == 200 else -status\n"
        "print(json.dumps(counts))\n"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "policytracker.settings", "LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"counting queries failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def same_rows(project: bytes, floor: bytes) -> bool:
    def ids(body: bytes):
        data = json.loads(body)
        rows = data.get("results", [data])
        return [row["id"] for row in rows]

    return ids(project) == ids(floor)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 bills, 3 s rounds")
    parser.add_argument("--reuse", action="store_true", help="keep the generated data")
    parser.add_argument("--duration", type=float, help="seconds per round (10; --quick 3)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per server and URL")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--project-env", action="append", default=[], metavar="KEY=VALUE",
        help="extra environment for the project's server (repeatable)",
    )  # fmt: skip
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    duration = args.duration or (3.0 if args.quick else 10.0)
    bills, statements = (1_000, 10_000) if args.quick else (10_000, 100_000)
    database_url = bench_database_url(args.database_url)
    load_start = os.getloadavg()
    env = production_env(
        database_url,
        NUM_PROXIES="0",
        LOG_LEVEL="WARNING",
        RESPONSE_CACHE_ENABLED="0",
        **dict(item.split("=", 1) for item in args.project_env),
    )
    env.pop("REDIS_URL", None)
    address = urlsplit(database_url)
    print(f"database {address.path.lstrip('/')} on {address.hostname or 'a local socket'}")
    if not args.reuse:
        ensure_database(database_url)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        generated = manage(
            env, "generate_data", "--bills", str(bills), "--statements", str(statements),
            "--seed", str(args.seed), "--clear",
        )  # fmt: skip
        print("generate_data:", " ".join(generated.split()))
    logs = Path(tempfile.mkdtemp(prefix="pt-bench-"))
    with contextlib.ExitStack() as running:
        project = running.enter_context(
            gunicorn_instance(env, logs / "project.log", workers=args.workers)
        )
        floor = running.enter_context(floor_instance(env, logs / "floor.log", workers=args.workers))
        servers = {"project": project.url, "floor": floor.url}
        status, _, body = get(project.url, "/api/v1/bills/?page_size=200")
        if status != 200:
            raise RuntimeError(f"/api/v1/bills/ answered {status}: {body[:300]!r}")
        detail_paths = [f"/api/v1/bills/{b['slug']}/" for b in json.loads(body)["results"]]
        paths = {name: [path] if path else detail_paths for name, path in ENDPOINTS}

        # Same rows, and response sizes.
        sizes, floor_queries = {}, {}
        for name, [path, *_] in paths.items():
            answers = {server: get(url, path) for server, url in servers.items()}
            for server, (status, _, answer) in answers.items():
                if status != 200:
                    raise RuntimeError(f"{server} answered {status} to {path}: {answer[:300]!r}")
            if not same_rows(answers["project"][2], answers["floor"][2]):
                print(f"WARNING: project and floor list different records for {path}")
            sizes[name] = (len(answers["project"][2]), len(answers["floor"][2]))
            floor_queries[name] = int(answers["floor"][1].get("X-Queries", -1))

        # Throughput: interleaved rounds.
        results = {}
        for name, endpoint_paths in paths.items():
            loads = {server: Load(url, endpoint_paths, args.concurrency, duration)
                     for server, url in servers.items()}  # fmt: skip
            elapsed = dict.fromkeys(servers, 0.0)
            for _ in range(args.rounds):
                for server in servers:
                    elapsed[server] += loads[server].run()
            results[name] = {server: (len(load.latencies) / elapsed[server], load)
                             for server, load in loads.items()}  # fmt: skip
            print(f"  measured {name}", flush=True)

        # Single-request latency sweep.
        repeats = 5 if args.quick else 9
        sweep = {server: {size: [] for size in SWEEP} for server in servers}
        for _ in range(repeats):
            for size in SWEEP:
                for server, url in servers.items():
                    started = time.perf_counter()
                    get(url, INCLUDE.format(size))
                    sweep[server][size].append((time.perf_counter() - started) * 1000)
        single = {server: {name: [] for name, _ in SINGLE} for server in servers}
        for _ in range(repeats):
            for name, path in SINGLE:
                for server, url in servers.items():
                    started = time.perf_counter()
                    get(url, path)
                    single[server][name].append((time.perf_counter() - started) * 1000)
        memory = {
            "project": worker_memory(project.process.pid),
            "floor": worker_memory(floor.process.pid),
        }
    queries = count_queries(env, [paths[name][0] for name in paths])
    load_end = os.getloadavg()

    report(args, duration, results, sizes, queries, floor_queries, paths, sweep, memory)
    report_single(single)
    print(f"load average at start {fmt_load(load_start)}, at end {fmt_load(load_end)} "
          f"({os.cpu_count()} CPUs)")  # fmt: skip
    return 0


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def report(args, duration, results, sizes, queries, floor_queries, paths, sweep, memory):
    print()
    print(f"{args.rounds} interleaved rounds of {duration:g} s per server and request, "
          f"{args.concurrency} concurrent clients, {args.workers} sync workers each")  # fmt: skip
    header = ("request", "project req/s", "floor req/s", "ratio", "p50 project", "p50 floor",
              "p99 project", "p99 floor", "KB project/floor", "queries project/floor",
              "errors", "cache hits")  # fmt: skip
    rows = []
    for name, by_server in results.items():
        (project_rate, project), (floor_rate, floor) = by_server["project"], by_server["floor"]
        rows.append((
            name, f"{project_rate:.1f}", f"{floor_rate:.1f}",
            f"{project_rate / floor_rate:.2f}x" if floor_rate else "-",
            f"{percentile(project.latencies, 0.5):.0f} ms",
            f"{percentile(floor.latencies, 0.5):.0f} ms",
            f"{percentile(project.latencies, 0.99):.0f} ms",
            f"{percentile(floor.latencies, 0.99):.0f} ms",
            f"{sizes[name][0] / 1024:.0f} / {sizes[name][1] / 1024:.0f}",
            f"{queries.get(paths[name][0], '?')} / {floor_queries[name]}",
            f"{project.errors} / {floor.errors}",
            f"{project.cache_hits}",
        ))  # fmt: skip
    table(header, rows)
    print()
    sweep_rows = []
    fits = {}
    for server, by_size in sweep.items():
        medians = {size: statistics.median(times) for size, times in by_size.items()}
        fits[server] = slope(list(medians.items())) * 1000
        sweep_rows.append((server, *(f"{medians[size]:.0f} ms" for size in SWEEP),
                           f"{fits[server]:.0f} µs"))  # fmt: skip
    table(("single request, include=sponsors,actions", *(f"p50 page {s}" for s in SWEEP),
           "marginal per bill"), sweep_rows)  # fmt: skip
    if fits["floor"]:
        print(f"marginal cost per bill: project {fits['project']:.0f} µs, floor "
              f"{fits['floor']:.0f} µs ({fits['project'] / fits['floor']:.1f}x)")  # fmt: skip
    for server, workers in memory.items():
        rss = ", ".join(f"{kb / 1024:.0f}" for kb, _ in workers)
        peak = ", ".join(f"{hwm / 1024:.0f}" for _, hwm in workers)
        print(f"{server} worker RSS after the run: {rss} MB (peak {peak} MB)")


def report_single(single: dict) -> None:
    print()
    rows = [
        (name, *(f"{statistics.median(single[server][name]):.0f} ms" for server in single))
        for name, _ in SINGLE
    ]
    table(("single request p50", *single), rows)


def table(header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    line = " | ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    print(line.format(*header))
    print("-+-".join("-" * width for width in widths))
    for row in rows:
        print(line.format(*row))


def _interrupted(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: servers stopped", file=sys.stderr)
        sys.exit(130)
