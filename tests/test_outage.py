"""The API survives a real PostgreSQL outage: 503 while it is down, recovery without restart.

A private embedded PostgreSQL (pgserver) is started, the service runs against it under
gunicorn, and the test stops and restarts that server underneath the running service.
"""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pgserver = pytest.importorskip("pgserver")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except urllib.error.URLError:
        return 0, {}, b""  # not listening (yet)


@pytest.fixture
def private_postgres():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # A short path keeps the unix socket path under the kernel's length limit.
        server = pgserver.get_server(Path(tempfile.mkdtemp(prefix="ptdb")), cleanup_mode="delete")
    server.psql("CREATE DATABASE outage;")
    yield server
    server.cleanup()


@pytest.fixture
def service(private_postgres):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": private_postgres.get_uri("outage"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "THROTTLE_ANON_RATE": "100000/minute",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["load_seed"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "policytracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and get(f"{base}/readyz")[0] != 200:
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def stop(server) -> None:
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def test_api_answers_503_during_an_outage_and_recovers(private_postgres, service):
    import json

    status, _, body = get(f"{service}/api/v1/bills/")
    assert status == 200
    assert len(json.loads(body)["results"]) == 7

    stop(private_postgres)
    status, headers, body = get(f"{service}/api/v1/bills/")
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["title"] == "Service unavailable"
    assert get(f"{service}/readyz")[0] == 503
    assert get(f"{service}/healthz")[0] == 200
    status, _, body = get(f"{service}/api/v1/statements/?q=terrorism")
    assert status == 503

    private_postgres.ensure_postgres_running()
    status, _, body = get(f"{service}/api/v1/bills/")
    assert status == 200, body
    assert len(json.loads(body)["results"]) == 7  # nothing lost
    assert get(f"{service}/readyz")[0] == 200
