"""Load benchmark: serve the API under gunicorn on loopback and drive its read endpoints.

Usage: .venv/bin/python scripts/load_test.py [--clients 50] [--duration 60] [--workers 4]

Migrates, loads the seed and collects static files, starts gunicorn (DEBUG=0) on a free port of
127.0.0.1, waits for /readyz, then runs concurrent keep-alive clients for a fixed time (or until
--max-requests) and prints throughput, latency percentiles, errors and per-endpoint counts. The
exit status is 1 when any request failed (anything but 2xx/304, or an exception).
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
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


def child_env(port: int) -> dict[str, str]:
    """Production-like settings for the served process; DATABASE_URL passes through if set."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "THROTTLE_ANON_RATE": "1000000/minute",
        "THROTTLE_USER_RATE": "1000000/minute",
        "PYTHONUNBUFFERED": "1",
    }


def free_port() -> int:
    """A port the kernel considers free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare(env: dict[str, str]) -> None:
    """Migrate, load the seed and collect static files (the manifest storage needs them)."""
    for command in (["migrate", "--noinput"], ["load_seed"], ["collectstatic", "--noinput"]):
        print(f"$ manage.py {' '.join(command)}", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )


def gunicorn_path() -> str:
    """The gunicorn beside the running interpreter, else the checkout's virtualenv."""
    beside = Path(sys.executable).with_name("gunicorn")
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "gunicorn")


def get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One GET on a fresh connection: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll /readyz until it answers 200; fail if gunicorn exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode} before ready")
        try:
            if get(port, "/readyz", timeout=2.0)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"/readyz did not answer 200 within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM the gunicorn master (it stops its workers), SIGKILL if it lingers."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def seeded_bill_paths(port: int) -> list[str]:
    """Detail paths (with every include) for the bills the list endpoint shows."""
    status, body = get(port, "/api/v1/bills/?page_size=200", timeout=30.0)
    if status != 200:
        raise RuntimeError(f"GET /api/v1/bills/ answered {status}: {body[:300]!r}")
    slugs = [bill["slug"] for bill in json.loads(body)["results"]]
    if not slugs:
        raise RuntimeError("the bill list is empty: was the seed loaded?")
    return [f"/api/v1/bills/{slug}/{INCLUDE}" for slug in slugs]


def client(port: int, seed: int, bills: list[str], budget: "Budget", stats: Stats) -> None:
    """Issue weighted random GETs on one keep-alive connection until the budget runs out."""
    rng = random.Random(seed)
    names = [name for name, _, _ in MIX]
    paths = {name: path for name, path, _ in MIX}
    weights = [weight for _, _, weight in MIX]
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    while budget.take():
        name = rng.choices(names, weights)[0]
        path = paths[name] or rng.choice(bills)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept": "application/json"})
            response = conn.getresponse()
            response.read()
            outcome = response.status
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


def report(stats: Stats, elapsed: float) -> int:
    """Print the figures; return the number of failed requests."""
    latencies = sorted(stats.latencies_ms)
    total, errors = len(latencies), sum(stats.errors.values())
    print(f"requests       {total}")
    print(f"requests/s     {total / elapsed:.1f}  (over {elapsed:.1f} s)")
    print(
        "latency ms     "
        + "  ".join(f"p{p} {percentile(latencies, p / 100):.1f}" for p in (50, 95, 99))
        + f"  max {latencies[-1] if latencies else 0:.1f}"
    )
    print(f"errors         {errors}")
    for label, count in stats.errors.most_common():
        print(f"  {label:<40} {count}")
    for label, count in stats.error_endpoints.most_common():
        print(f"    on {label:<37} {count}")
    print(f"per endpoint {'':<27} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, _, _ in MIX:
        timings = sorted(stats.by_endpoint[name])
        p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
        print(f"  {name:<37} {len(timings):>7} {p50:>8.1f} {p95:>8.1f}")
    return errors


@contextlib.contextmanager
def serving(args: argparse.Namespace, port: int, env: dict[str, str]) -> Iterator[None]:
    """gunicorn on HOST:port until the block exits (normally, on error or on Ctrl-C)."""
    command = [gunicorn_path(), "policytracker.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(args.workers), "--threads", str(args.threads)]
    with tempfile.NamedTemporaryFile(prefix="load_test_gunicorn_", suffix=".log") as log:
        print(f"$ gunicorn {' '.join(command[1:])}", flush=True)
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(port, server)
            yield
        except BaseException:
            log.flush()
            tail = Path(log.name).read_text(errors="replace").splitlines()[-30:]
            print("gunicorn log (last lines):", *tail, sep="\n  ", file=sys.stderr)
            raise
        finally:
            stop(server)


def run(args: argparse.Namespace) -> int:
    """Prepare, serve, load, report."""
    port = args.port or free_port()
    env = child_env(port)
    prepare(env)
    per_client = [Stats() for _ in range(args.clients)]
    with serving(args, port, env):
        bills = seeded_bill_paths(port)
        print(
            f"{args.clients} clients for {args.duration:g} s (at most {args.max_requests} "
            f"requests) against {HOST}:{port}, {len(bills)} bill detail paths",
            flush=True,
        )
        budget = Budget(args.duration, args.max_requests)
        threads = [
            threading.Thread(
                target=client, args=(port, i, bills, budget, per_client[i]), daemon=True
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
        merged.latencies_ms += stats.latencies_ms
        for name, timings in stats.by_endpoint.items():
            merged.by_endpoint[name] += timings
        merged.errors.update(stats.errors)
        merged.error_endpoints.update(stats.error_endpoints)
    return 1 if report(merged, elapsed) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="Concurrent client threads.")
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of load.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=1, help="Threads per gunicorn worker.")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="Request cap.")
    parser.add_argument("--port", type=int, default=0, help="Port (default: a free one).")
    args = parser.parse_args()
    try:
        return run(args)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"load test failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; gunicorn stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
