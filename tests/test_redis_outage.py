"""Without its cache (Redis down or hung) the API keeps answering: the rate limits fail open
within the client's short timeouts, a warning is logged, and /readyz reports "degraded"."""

import contextlib
import json
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.test import override_settings

from policytracker import cache_guard
from tests.live import free_port, get, private_postgres, running_service, service_env
from tests.sources.factories import SourceFactory

REDIS_SERVER = shutil.which("redis-server")


def redis_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }


@pytest.fixture
def redis_down(monkeypatch):
    """The cache points at a port where nothing listens (connections are refused)."""
    monkeypatch.setitem(cache_guard._last_warning, "at", float("-inf"))
    with override_settings(CACHES=redis_cache(free_port())):
        yield


@pytest.mark.django_db
def test_reads_answer_without_the_cache_and_say_so_in_the_log(client, redis_down, caplog):
    SourceFactory()
    response = client.get("/api/v1/sources/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    assert "X-RateLimit-Limit" not in response  # the limits were not applied
    assert any("Cache unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_readiness_reports_the_cache_as_degraded(client, redis_down):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "up",
        "cache": "down",
        "replica": "none",
    }


@pytest.mark.django_db
def test_a_wrong_token_is_still_a_clean_401(client, redis_down):
    response = client.get("/api/v1/bills/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_readiness_reports_a_working_cache(client):
    assert client.get("/readyz").json() == {
        "status": "ok",
        "database": "up",
        "cache": "up",
        "replica": "none",
    }


@contextlib.contextmanager
def private_redis():
    """A throwaway redis-server on a free loopback port, keeping nothing on disk."""
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        + ["no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.05)
        yield port, process
    finally:
        process.send_signal(signal.SIGCONT)
        process.kill()
        process.wait(timeout=10)


def timed_get(url: str):
    start = time.monotonic()
    status, headers, body = get(url)
    return status, headers, body, time.monotonic() - start


@pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")
def test_the_service_survives_a_hung_and_a_stopped_redis():
    pytest.importorskip("pgserver")
    with private_postgres("redis_outage") as server, private_redis() as (port, redis):
        env = {
            **service_env(server.get_uri("redis_outage")),
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        }
        with running_service(env) as service:
            status, headers, _, _ = timed_get(f"{service}/api/v1/bills/")
            assert status == 200 and "X-RateLimit-Limit" in headers  # counted in Redis

            redis.send_signal(signal.SIGSTOP)  # hung: accepts connections, never answers
            status, headers, body, seconds = timed_get(f"{service}/api/v1/bills/")
            assert status == 200 and len(json.loads(body)["results"]) == 7
            assert seconds < 2, seconds
            ready = json.loads(get(f"{service}/readyz")[2])
            assert ready == {
                "status": "degraded",
                "database": "up",
                "cache": "down",
                "replica": "none",
            }

            redis.send_signal(signal.SIGCONT)
            deadline = time.monotonic() + 10
            while json.loads(get(f"{service}/readyz")[2])["status"] != "ok":
                assert time.monotonic() < deadline, "the cache did not come back"
                time.sleep(0.2)
            assert "X-RateLimit-Limit" in get(f"{service}/api/v1/bills/")[1]

            redis.kill()  # down: connections refused
            redis.wait(timeout=10)
            status, _, _, seconds = timed_get(f"{service}/api/v1/bills/")
            assert status == 200 and seconds < 2
            assert get(f"{service}/readyz")[0] == 200
