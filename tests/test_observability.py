"""Operations: every request has an id (the caller's if it is sane, else a new one) that its log
lines and its response carry; logs are one JSON object a line; /metrics serves Prometheus
figures to internal addresses or with the metrics token only, summed over gunicorn's workers."""

import io
import json
import logging
import os
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

from policytracker.logging_json import JsonFormatter, RequestIdFilter
from tests.live import private_postgres, service_env

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.local_stack import gunicorn_instance, http_get, prepare  # noqa: E402

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_log():
    """The root logger's records as the JSON lines the console handler writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.mark.django_db
def test_a_request_gets_an_id_that_its_log_lines_carry(client, json_log):
    response = client.get("/api/v1/bills/no-such-bill/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert HEX_ID.fullmatch(request_id)
    lines = json_log()
    assert lines and all(line["request_id"] == request_id for line in lines)
    assert {"Not Found: /api/v1/bills/no-such-bill/"} <= {line["message"] for line in lines}
    (access,) = [line for line in lines if line["logger"] == "policytracker.access"]
    assert access["method"] == "GET"
    assert access["path"] == "/api/v1/bills/no-such-bill/"
    assert access["status"] == 404
    assert access["client"] == "127.0.0.1"
    assert isinstance(access["duration_ms"], float)
    assert {"timestamp", "level", "logger", "message", "pid"} <= set(access)


@pytest.mark.django_db
def test_the_caller_s_request_id_is_kept(client, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="edge-7f3a.42:1")
    assert response["X-Request-ID"] == "edge-7f3a.42:1"
    assert {line["request_id"] for line in json_log()} == {"edge-7f3a.42:1"}


@pytest.mark.parametrize(
    "hostile",
    ["a" * 129, "abc\ndef", "abc\r\nX-Injected: 1", "with space", '"quoted"', "ид", "-leading"],
)
@pytest.mark.django_db
def test_a_hostile_request_id_is_replaced(client, json_log, hostile):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert HEX_ID.fullmatch(response["X-Request-ID"])
    assert {line["request_id"] for line in json_log()} == {response["X-Request-ID"]}


def test_a_log_line_outside_a_request_has_no_id_and_keeps_tracebacks(json_log):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("policytracker.test").exception("failed", extra={"odd": object()})
    (line,) = json_log()
    assert line["request_id"] is None
    assert line["level"] == "ERROR"
    assert "ValueError: boom" in line["exception"]
    assert line["odd"].startswith("<object object")


# --- /metrics ------------------------------------------------------------------------------


def metrics(client, **extra):
    return client.get("/metrics", **extra)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.20.0.5", "192.168.1.9", "::1"])
@pytest.mark.django_db
def test_metrics_answer_internal_addresses(client, address):
    client.get("/api/v1/bills/")
    response = metrics(client, REMOTE_ADDR=address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b'django_http_requests_total_by_method_total{method="GET"}' in response.content


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "not-an-address"])
@pytest.mark.django_db
def test_metrics_refuse_outside_addresses(client, address):
    response = metrics(client, REMOTE_ADDR=address)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert b"django_http" not in response.content


@pytest.mark.django_db
def test_metrics_refuse_a_request_that_came_through_a_proxy(client):
    # The proxy is an internal peer; the client behind it is not, whatever it claims.
    response = metrics(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert response.status_code == 403


@pytest.mark.django_db
def test_metrics_answer_the_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    ok = metrics(
        client,
        REMOTE_ADDR="8.8.8.8",
        HTTP_X_FORWARDED_FOR="8.8.4.4",
        HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789",
    )
    assert ok.status_code == 200
    for wrong in ("Bearer scrape-secret", "Token scrape-secret-0123456789", "Bearer ключ"):
        assert metrics(client, REMOTE_ADDR="8.8.8.8", HTTP_AUTHORIZATION=wrong).status_code == 403


@pytest.mark.django_db
def test_without_a_token_set_no_bearer_is_accepted(client, settings):
    settings.METRICS_TOKEN = ""
    response = metrics(client, REMOTE_ADDR="8.8.8.8", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403


# --- through gunicorn ----------------------------------------------------------------------


def counter(text: str, name: str, labels: str) -> float:
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(labels)}\}} (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_gunicorn_workers_log_json_and_metrics_count_every_worker_s_requests():
    pytest.importorskip("pgserver")
    with private_postgres("observability") as server:
        env = {**service_env(server.get_uri("observability")), "LOG_FORMAT": "json"}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # the gunicorn config makes a private one
        prepare(env)
        log = Path(tempfile.mkdtemp(prefix="pt-obs-")) / "gunicorn.log"
        with gunicorn_instance(env, log, workers=2) as instance:
            ids = [f"obs-{number}" for number in range(30)]
            for request_id in ids:
                status, headers, _ = http_get(
                    f"{instance.url}/api/v1/bills/", {"X-Request-ID": request_id}
                )
                assert status == 200 and headers["X-Request-ID"] == request_id
            status, headers, _ = http_get(f"{instance.url}/healthz", {"X-Request-ID": "x" * 200})
            assert HEX_ID.fullmatch(headers["X-Request-ID"])

            lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
            access = {
                line["request_id"]: line
                for line in lines
                if line["logger"] == "policytracker.access"
            }
            assert set(ids) <= set(access)
            assert access["obs-0"]["path"] == "/api/v1/bills/"
            assert access["obs-0"]["status"] == 200
            assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's too

            # Every worker that served them stops; the figures outlive it (multiprocess files).
            served_by = {access[request_id]["pid"] for request_id in ids}
            for pid in served_by:
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 30
            while any(alive(pid) for pid in served_by):
                assert time.monotonic() < deadline, "the workers did not stop"
                time.sleep(0.1)
            while (answer := http_get(f"{instance.url}/metrics"))[0] != 200:
                assert time.monotonic() < deadline, "no worker came back"
                time.sleep(0.2)
            text = answer[2].decode()
            name = "django_http_requests_total_by_method_total"
            assert counter(text, name, 'method="GET"') >= len(ids)
            status_name = "django_http_responses_total_by_status_total"
            assert counter(text, status_name, 'status="200"') >= len(ids)
