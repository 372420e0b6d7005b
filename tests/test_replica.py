"""Reads from a real streaming replica: a private primary, a hot standby made from it with
`pg_basebackup -R`, Redis, and the service under gunicorn with two workers. Anonymous reads come
from the replica while it keeps up; a curator reads their own writes at once; a lagging or
stopped replica sends reads to the primary without a single failed request."""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.db import DEFAULT_DB_ALIAS, transaction

from policytracker.db_router import REPLICA, PrimaryReplicaRouter, replica_reads
from tests.live import (
    curator_token,
    private_postgres,
    psql_value,
    replica_stop,
    running_service,
    service_env,
    streaming_replica,
)

MAX_LAG = 6.0  # REPLICA_MAX_LAG_SECONDS of the service under test
CHECK_INTERVAL = 2.0  # policytracker.db_router.CHECK_INTERVAL_SECONDS


def call(method: str, url: str, body=None, headers=None) -> tuple[int, dict | None]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def processes_mentioning(*paths: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if any(str(path) in cmdline for path in paths):
            found.append(process)
    return found


@pytest.fixture(scope="module")
def stack():
    pytest.importorskip("pgserver")
    from tests.test_redis_outage import REDIS_SERVER, private_redis

    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(private_postgres("replica_test"))
        primary_dir = Path(server.pgdata)
        redis_port, _ = stack.enter_context(private_redis())
        replica_url, replica_data = stack.enter_context(streaming_replica(server))
        # The workers' own log (warnings about the replica) goes to a file the tests read.
        log = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ptlog"))) / "log"
        env = {
            **service_env(server.get_uri("replica_test")),
            "DATABASE_REPLICA_URL": f"{replica_url}/replica_test",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
            "READ_YOUR_WRITES_SECONDS": "60",
            "GUNICORN_CMD_ARGS": f"--capture-output --error-logfile {log}",
            "LOG_FORMAT": "plain",
        }
        base = stack.enter_context(running_service(env, workers=2))
        writer = {"Authorization": f"Token {curator_token(env, 'replica-writer')}"}
        reader = {"Authorization": f"Token {curator_token(env, 'replica-reader')}"}
        yield {
            "base": base,
            "server": server,
            "primary": server.get_uri("postgres"),
            "replica": f"{replica_url}/replica_test",
            "replica_data": replica_data,
            "writer": writer,
            "reader": reader,
            "log": log,
        }
    # Nothing outlives the module: no server, no folder.
    assert not processes_mentioning(primary_dir, replica_data.parent)
    assert not primary_dir.exists() and not replica_data.parent.exists()


def readiness(base: str) -> dict:
    return call("GET", f"{base}/readyz")[1]


def replica_is(base: str, status: str) -> bool:
    """Every answer agrees for longer than a check interval. Two workers each keep their own
    view of the replica, and a few requests may all reach one of them: only once the other's
    cached view has expired is its answer known to be fresh too."""
    agreed_until = time.monotonic() + CHECK_INTERVAL + 0.5
    while time.monotonic() < agreed_until:
        if readiness(base)["replica"] != status:
            return False
        time.sleep(0.1)
    return True


def test_anonymous_reads_come_from_the_replica_and_writers_read_their_writes(stack):
    base, writer, reader = stack["base"], stack["writer"], stack["reader"]
    wait_for(lambda: replica_is(base, "up"), 30, "the replica to be up")

    # A fresh commit, replayed, then replay paused: from here the replica's age grows from 0.
    psql_value(stack["primary"], "CREATE TABLE beat AS SELECT now() AS at")
    beat = time.time()
    primary_lsn = psql_value(stack["primary"], "SELECT pg_current_wal_lsn()")
    wait_for(
        lambda: (
            psql_value(
                stack["replica"], f"SELECT pg_last_wal_replay_lsn() >= '{primary_lsn}'::pg_lsn"
            )
            == "t"
        ),
        10,
        "the replica to replay the beat",
    )
    psql_value(stack["replica"], "SELECT pg_wal_replay_pause()")
    wait_for(
        lambda: psql_value(stack["replica"], "SELECT pg_get_wal_replay_pause_state()") == "paused",
        10,
        "replay to pause",
    )

    person = {"slug": "replica-person", "name": "Replica Person"}
    assert call("POST", f"{base}/api/v1/people/", person, writer)[0] == 201
    assert call("POST", f"{base}/api/v1/people/replica-person/publish/", None, writer)[0] == 200
    url = f"{base}/api/v1/people/replica-person/"
    # The writer reads the primary, on either worker; the marker is in the shared cache.
    for _ in range(4):
        assert call("GET", url, headers=writer)[0] == 200
    # A curator who has not written, and anonymous clients, read the paused replica.
    assert call("GET", url, headers=reader)[0] == 404
    assert call("GET", url)[0] == 404
    assert time.time() - beat < MAX_LAG, "too slow to observe the replica before the lag bound"

    # Once its lag passes the bound, anonymous reads go to the primary while replay is paused.
    wait_for(lambda: call("GET", url)[0] == 200, MAX_LAG + CHECK_INTERVAL + 10, "the primary")
    seen_after = time.time() - beat
    assert seen_after >= MAX_LAG - 0.5, seen_after
    assert psql_value(stack["replica"], "SELECT pg_is_wal_replay_paused()") == "t"
    assert (
        psql_value(
            stack["replica"], "SELECT count(*) FROM bills_person WHERE slug = 'replica-person'"
        )
        == "0"
    )
    wait_for(lambda: replica_is(base, "lagging"), CHECK_INTERVAL + 5, "readiness to say lagging")
    assert "Replica lagging (replay" in stack["log"].read_text()
    ready = readiness(base)
    assert ready["status"] == "degraded" and ready["database"] == "up"

    psql_value(stack["replica"], "SELECT pg_wal_replay_resume()")
    wait_for(lambda: replica_is(base, "up"), MAX_LAG + CHECK_INTERVAL + 10, "the replica again")
    assert call("GET", url)[0] == 200
    assert call("GET", url, headers=reader)[0] == 200


def test_a_stopped_replica_costs_no_request(stack):
    base = stack["base"]
    # Replay runs again even if the test before failed while it was paused.
    psql_value(stack["replica"], "SELECT pg_wal_replay_resume()")
    wait_for(lambda: replica_is(base, "up"), 30, "the replica to be up")
    assert call("GET", f"{base}/api/v1/bills/")[0] == 200  # workers hold replica connections

    replica_stop(stack["replica_data"], getattr(stack["server"], "system_user", None))
    assert psql_value(stack["replica"], "SELECT 1") == ""  # really gone
    statuses = [call("GET", f"{base}/api/v1/bills/") for _ in range(10)]
    assert [status for status, _ in statuses] == [200] * 10
    assert all(len(body["results"]) == 7 for _, body in statuses)
    assert call("GET", f"{base}/api/v1/people/replica-person/")[0] == 200

    wait_for(lambda: replica_is(base, "down"), CHECK_INTERVAL + 5, "readiness to say down")
    # Each worker noticed, either at its next check or when a read failed on the replica (that
    # request was then answered from the primary: "failed reading the replica" in the log).
    assert stack["log"].read_text().count("Replica down (OperationalError") >= 1
    status, ready = call("GET", f"{base}/readyz")
    assert status == 200
    assert ready == {"status": "degraded", "database": "up", "cache": "up", "replica": "down"}


def test_the_replica_helper_leaves_no_process_and_no_folder():
    pytest.importorskip("pgserver")
    with private_postgres("replica_leak") as server:
        primary_dir = Path(server.pgdata)
        with streaming_replica(server) as (url, data):
            assert psql_value(f"{url}/replica_leak", "SELECT pg_is_in_recovery()") == "t"
            assert processes_mentioning(data)
        assert not processes_mentioning(data.parent)
        assert not data.parent.exists()
    assert not processes_mentioning(primary_dir)
    assert not primary_dir.exists()


# The router's decisions, without a replica: names only.
class Bill:
    class _meta:  # noqa: N801 (stands in for a model's options)
        app_label = "bills"


class Token:
    class _meta:  # noqa: N801
        app_label = "authtoken"


def test_the_router_reads_the_replica_only_inside_replica_reads():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Bill) == DEFAULT_DB_ALIAS  # commands, seed loader, tests
    with replica_reads() as routing:
        assert router.db_for_read(Bill) == REPLICA
        assert router.db_for_read(Token) == DEFAULT_DB_ALIAS  # accounts: always the primary
        assert router.db_for_write(Bill) == DEFAULT_DB_ALIAS
        assert routing.replica_used
    with replica_reads(False) as routing:
        assert router.db_for_read(Bill) == DEFAULT_DB_ALIAS
        assert not routing.replica_used
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "bills")
    assert not router.allow_migrate(REPLICA, "bills")


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there():
    router = PrimaryReplicaRouter()
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Bill) == DEFAULT_DB_ALIAS


def test_the_replica_url_must_be_postgresql():
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "DATABASE_REPLICA_URL": "mysql://u@127.0.0.1/x",
        "DJANGO_SETTINGS_MODULE": "policytracker.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL must point to PostgreSQL" in result.stderr
