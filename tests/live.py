"""Helpers for tests that run the real service under gunicorn against a private PostgreSQL."""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except urllib.error.URLError:
        return 0, {}, b""  # not listening (yet)


@contextlib.contextmanager
def private_postgres(database: str) -> Iterator:
    """A throwaway embedded PostgreSQL with one database, deleted afterwards."""
    import pgserver

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # A short path keeps the unix socket path under the kernel's length limit.
        server = pgserver.get_server(Path(tempfile.mkdtemp(prefix="ptdb")), cleanup_mode="delete")
    server.psql(f"CREATE DATABASE {database};")
    try:
        yield server
    finally:
        server.cleanup()


def service_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "THROTTLE_ANON_RATE": "1000000/minute",
        "THROTTLE_USER_RATE": "1000000/minute",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return result.stdout.decode()


@contextlib.contextmanager
def running_service(env: dict, workers: int = 1) -> Iterator[str]:
    """Migrate, load the seed, serve under gunicorn; yields the base URL."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_seed")
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "policytracker.wsgi",
            "--config",
            "python:policytracker.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--limit-request-line",
            "8190",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and get(f"{base}/readyz")[0] != 200:
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


CREATE_CURATOR = """
import sys
import django
django.setup()
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user(sys.argv[1], password=(sys.argv[2:] or [None])[0], is_staff=True)
user.groups.add(Group.objects.get(name="Curators"))
print(Token.objects.create(user=user).key)
"""


def curator_token(env: dict, username: str, password: str | None = None) -> str:
    """A token of a new staff user in the Curators group of the service's database (who may
    also log in to the admin when given a password)."""
    result = subprocess.run(
        [sys.executable, "-c", CREATE_CURATOR, username, *([password] if password else [])],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "policytracker.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()[-1]


@contextlib.contextmanager
def streaming_replica(server) -> Iterator[tuple[str, Path]]:
    """A hot standby of the embedded `server` (see private_postgres): `pg_basebackup -R` into a
    throwaway folder, started on a free loopback port and waited for until it streams. Yields
    (its postgres:// URL without a database name, its data folder); stopped and deleted
    afterwards. As root the embedded server runs as its own OS user, and so does this one."""
    from pgserver._commands import POSTGRES_BIN_PATH

    user = getattr(server, "system_user", None)
    base = Path(tempfile.mkdtemp(prefix="ptrep"))
    data = base / "data"
    if user is not None:
        import pwd

        entry = pwd.getpwnam(user)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    primary_socket = server.get_postmaster_info().socket_dir
    port = free_port()

    def run(*args: str, timeout: float = 60) -> None:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / args[0]), *args[1:]],
            user=user,
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    try:
        run(
            "pg_basebackup",
            "-h",
            str(primary_socket),
            "-U",
            "postgres",
            "-D",
            str(data),
            "-R",  # writes standby.signal and primary_conninfo
            "-X",
            "stream",
            "-c",
            "fast",
        )
        options = f"-p {port} -h 127.0.0.1 -k {base}"
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start")
        url = f"postgres://postgres@127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while (
            psql_value(url, "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")
            != "1"
        ):
            if time.monotonic() > deadline:
                raise TimeoutError((base / "log").read_text())
            time.sleep(0.2)
        yield url, data
    finally:
        if (data / "postmaster.pid").exists():
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def replica_stop(data: Path, user: str | None) -> None:
    """Stop the standby under `data` at once (as if it crashed)."""
    from pgserver._commands import POSTGRES_BIN_PATH

    subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
        user=user,
        check=True,
        capture_output=True,
        timeout=60,
    )


def psql_value(url: str, sql: str) -> str:
    """The single value `sql` returns on the server at `url` ("" when it does not answer)."""
    from pgserver._commands import POSTGRES_BIN_PATH

    result = subprocess.run(
        [str(POSTGRES_BIN_PATH / "psql"), "-XAtq", "-d", url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.stdout.strip() if result.returncode == 0 else ""
