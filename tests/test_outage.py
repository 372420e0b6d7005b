"""The API survives a real PostgreSQL outage: 503 while it is down or frozen, recovery without
restart, and no acknowledged write lost.

A private embedded PostgreSQL (pgserver) is started, the service runs against it under
gunicorn, and the tests stop and restart that server, or freeze it (SIGSTOP) and resume it
(SIGCONT), underneath the running service.
"""

import contextlib
import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.live import curator_token, get, private_postgres, running_service, service_env

pytest.importorskip("pgserver")


def stop(server) -> None:
    from pgserver._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)


def test_api_answers_503_during_an_outage_and_recovers():
    with (
        private_postgres("outage") as server,
        running_service(service_env(server.get_uri("outage"))) as service,
    ):
        status, _, body = get(f"{service}/api/v1/bills/")
        assert status == 200
        assert len(json.loads(body)["results"]) == 7

        stop(server)
        status, headers, body = get(f"{service}/api/v1/bills/")
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert headers["Content-Type"] == "application/problem+json"
        assert json.loads(body)["title"] == "Service unavailable"
        assert get(f"{service}/readyz")[0] == 503
        assert get(f"{service}/healthz")[0] == 200
        assert get(f"{service}/api/v1/statements/?q=terrorism")[0] == 503

        server.ensure_postgres_running()
        status, _, body = get(f"{service}/api/v1/bills/")
        assert status == 200, body
        assert len(json.loads(body)["results"]) == 7  # nothing lost
        assert get(f"{service}/readyz")[0] == 200


def post(url: str, body: dict, headers: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={**headers, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def server_processes(server) -> list[int]:
    """The postmaster of `server` and every process it started (its backends)."""
    postmaster = int((Path(server.pgdata) / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == postmaster:
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_a_frozen_database_is_a_fast_503_and_acknowledged_writes_survive():
    with private_postgres("frozen") as server:
        env = service_env(server.get_uri("frozen"))
        with running_service(env, workers=2) as service:
            headers = {"Authorization": f"Token {curator_token(env, 'freeze-curator')}"}
            acknowledged = []

            def create(slug: str) -> int:
                status = post(f"{service}/api/v1/people/", {"slug": slug, "name": slug}, headers)
                if 200 <= status < 300:
                    acknowledged.append(slug)
                return status

            assert [create(f"before-{n}") for n in range(3)] == [201, 201, 201]
            frozen = server_processes(server)
            signal_all(frozen, signal.SIGSTOP)
            try:
                (status, headers_out, body), seconds = timed(
                    lambda: get(f"{service}/api/v1/bills/")
                )
                assert status == 503, body
                assert headers_out["Content-Type"] == "application/problem+json"
                assert seconds < 5, seconds
                (ready, _, _), seconds = timed(lambda: get(f"{service}/readyz"))
                assert ready == 503 and seconds < 5
                assert get(f"{service}/healthz")[0] == 200
                status, seconds = timed(lambda: create("during-freeze"))
                assert status == 503 and seconds < 5
            finally:
                signal_all(frozen, signal.SIGCONT)
            deadline = time.monotonic() + 30
            while get(f"{service}/readyz")[0] != 200 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert create("after-freeze") == 201
            for slug in acknowledged:
                status, _, _ = get(f"{service}/api/v1/people/{slug}/", headers)
                assert status == 200, slug
