"""Contract fuzzing: schemathesis drives the live service from its own OpenAPI schema, with
every built-in check, as an anonymous client and as a curator; it must find nothing.

Bounded in time (FUZZ_SECONDS per pass, default 120) and loopback only. Expected statuses
that the checks allow beyond their defaults are in schemathesis.toml, each with its reason.
"""

import os
import subprocess

import pytest

from tests.live import BIN, ROOT, curator_token, private_postgres, running_service, service_env

pytest.importorskip("schemathesis")
pytest.importorskip("pgserver")

SECONDS = os.environ.get("FUZZ_SECONDS", "120")


def schemathesis(base: str, *extra: str) -> subprocess.CompletedProcess:
    command = [
        str(BIN / "st"),
        "run",
        f"{base}/api/schema/",
        "--checks",
        "all",
        "--workers",
        "1",
        "--max-time",
        SECONDS,
        "--max-examples",
        "25",
        "--seed",
        "20161022",
        *extra,
    ]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def live_service():
    with private_postgres("fuzz") as server:
        env = service_env(server.get_uri("fuzz"))
        with running_service(env, workers=2) as base:
            yield base, env


def test_anonymous_fuzzing_finds_nothing(live_service):
    base, _ = live_service
    result = schemathesis(base)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_curator_fuzzing_finds_nothing(live_service):
    base, env = live_service
    token = curator_token(env, "fuzz-curator")
    result = schemathesis(base, "--header", f"Authorization: Token {token}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
