"""Start (or reuse) an embedded PostgreSQL server for development when no DATABASE_URL is set.

A fresh machine with no database server still runs and tests: the `pgserver` package ships real
PostgreSQL binaries. The server keeps running after this process exits so later runs reuse it.
Run as a script (`python -m policytracker.embedded_db .pgdata`) it prints the server's URL, which
the Makefile hands to child processes that run with production settings (DEBUG off); with
`--stop` it stops that server (`make clean-db`).
"""

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "policytracker"
# Where `useradd` lives; minimal PATHs (`env -i`, cron, some containers) leave these out.
SYSTEM_BIN_DIRS = ("/usr/local/sbin", "/usr/sbin", "/sbin")


@contextlib.contextmanager
def system_bin_dirs_on_path() -> Iterator[None]:
    """As root, pgserver runs PostgreSQL as a `pgserver` system user that it creates with
    `useradd` on first use, looked up on PATH; make sure the sbin folders are there meanwhile."""
    original = os.environ.get("PATH", "")
    present = original.split(os.pathsep)
    missing = [folder for folder in SYSTEM_BIN_DIRS if folder not in present]
    if os.geteuid() != 0 or not missing:
        yield
        return
    os.environ["PATH"] = os.pathsep.join([*filter(None, present), *missing])
    try:
        yield
    finally:
        os.environ["PATH"] = original


def embedded_database_url(data_dir: Path) -> str:
    """postgres:// URL of the embedded server under `data_dir`, started (and its database
    created) if needed. It connects through the server's unix socket."""
    import warnings

    with warnings.catch_warnings(), system_bin_dirs_on_path():
        # platformdirs warns about a missing XDG_RUNTIME_DIR on headless machines; harmless here.
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: only needed when no DATABASE_URL is set

        server = pgserver.get_server(data_dir, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    # Usually data_dir itself; pgserver picks a shorter folder when that path is too long for
    # a unix socket.
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def embedded_server_stop(data_dir: Path) -> None:
    """Stop the embedded server under `data_dir` if one runs, whichever process started it.
    pgserver's own cleanup stops it only when its list of client processes is empty, which a
    killed `runserver` leaves stale."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import pg_ctl
        from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is None or not info.is_running():
        return
    # As root the server runs as the `pgserver` user, and pg_ctl must too.
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)


if __name__ == "__main__":
    # python -m policytracker.embedded_db DATA_DIR: start if needed, print the URL.
    # python -m policytracker.embedded_db --stop DATA_DIR: stop it.
    if sys.argv[1] == "--stop":
        embedded_server_stop(Path(sys.argv[2]))
    else:
        print(embedded_database_url(Path(sys.argv[1])))
