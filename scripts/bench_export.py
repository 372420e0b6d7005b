"""Bulk export benchmark: how long `manage.py export_snapshot` takes on 10,000 bills and
100,000 statements, and its peak resident memory; then a whole `?format=csv` list streamed
through gunicorn, with the worker's memory before and after.

1. Data: the read benchmark's database (`policytracker_bench`, see scripts/bench.py):
   `migrate` and `generate_data --clear` unless --reuse (--quick: 1,000 bills, 10,000
   statements).
2. `export_snapshot` in a child process with production settings and a throwaway
   EXPORTS_ROOT: wall time, and its peak RSS from the kernel (`wait4`'s ru_maxrss).
3. `GET /api/v1/statements/?format=csv` (every statement, one row per statement and bill) from
   one gunicorn worker, read in 64 KB pieces: time, bytes, rows, and the worker's VmRSS before
   and after and its peak (VmHWM): a stream, not a page held in memory.

Prints a table with the targets (snapshot under 60 s and 200 MB) and the machine's load.
"""

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import bench_database_url, ensure_database, manage, table, worker_memory
from local_stack import HOST, ROOT, gunicorn_instance, production_env

TARGET_SECONDS = 60
TARGET_MB = 200


def export(env: dict, root: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS in MB, and the command's output."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "export_snapshot"],
        cwd=ROOT,
        env={**env, "EXPORTS_ROOT": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"export_snapshot failed:\n{output[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def stream_csv(url: str, path: str) -> tuple[float, int, int]:
    """Seconds, bytes and lines of a streamed CSV answer."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    started = time.monotonic()
    connection.request("GET", path)
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}: {response.read(300)!r}")
    size = lines = 0
    while piece := response.read(65536):
        size += len(piece)
        lines += piece.count(b"\r\n")
    connection.close()
    return time.monotonic() - started, size, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 bills, 10,000 statements")
    parser.add_argument("--reuse", action="store_true", help="keep the generated data")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    bills, statements = (1_000, 10_000) if args.quick else (10_000, 100_000)
    database_url = bench_database_url(args.database_url)
    load_start = os.getloadavg()
    env = production_env(database_url, LOG_LEVEL="WARNING", RESPONSE_CACHE_ENABLED="0")
    env.pop("REDIS_URL", None)
    if not args.reuse:
        ensure_database(database_url)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(
            env, "generate_data", "--bills", str(bills), "--statements", str(statements), "--clear"
        )
    with tempfile.TemporaryDirectory(prefix="pt-export-") as root:
        seconds, peak_mb, output = export(env, Path(root))
        print(output.strip())
    rows = [
        ("export_snapshot", f"{seconds:.1f} s", f"< {TARGET_SECONDS} s",
         f"{peak_mb:.0f} MB", f"< {TARGET_MB} MB",
         "met" if seconds < TARGET_SECONDS and peak_mb < TARGET_MB else "MISSED"),
    ]  # fmt: skip
    log = Path(tempfile.mkdtemp(prefix="pt-export-gunicorn-")) / "gunicorn.log"
    with gunicorn_instance(env, log, workers=1) as instance:
        stream_csv(instance.url, "/api/v1/topics/?format=csv")  # the worker is warm
        [(before_kb, _)] = worker_memory(instance.process.pid)
        took, size, lines = stream_csv(instance.url, "/api/v1/statements/?format=csv")
        [(after_kb, peak_kb)] = worker_memory(instance.process.pid)
    rows.append(
        (f"statements ?format=csv ({lines - 1} rows, {size / 1e6:.0f} MB)", f"{took:.1f} s", "",
         f"{before_kb / 1024:.0f} → {after_kb / 1024:.0f} MB (peak {peak_kb / 1024:.0f})", "",
         ""),
    )  # fmt: skip
    print(f"\n{bills} bills, {statements} statements generated; database on {HOST}")
    table(("run", "time", "target", "memory (RSS)", "target", "result"), rows)
    load_end = os.getloadavg()
    print(f"load average: start {load_start[0]:.2f}, end {load_end[0]:.2f} ({os.cpu_count()} CPUs)")
    return 0 if rows[0][-1] == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
