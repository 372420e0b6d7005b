"""Two instances, one truth: two gunicorn servers on one PostgreSQL and one Redis behave as one
for idempotent creates, If-Match and rate limits, asked directly or through nginx running
deploy/nginx/policytracker.conf in front of both. Behind nginx: a forged X-Forwarded-For does
not evade the limit, anonymous reads are cached and token holders' never, and half-open
connections do not keep others from being answered."""

import json
import shutil
import socket
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.live import curator_token, private_postgres, service_env

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.local_stack import (  # noqa: E402
    local_stack,
    nginx_binary,
    prepare,
    private_redis,
)

pytest.importorskip("pgserver")
redis = pytest.importorskip("redis")
if shutil.which("redis-server") is None:
    pytest.skip("redis-server is not installed", allow_module_level=True)

DATABASE = "two_instances"
ANON_LIMIT = 10
needs_nginx = pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")


def call(method: str, url: str, body=None, headers=None, timeout: float = 20):
    """(status, headers, body): JSON bodies parsed, others (nginx's pages, metrics) as bytes."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, answer, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer, raw = error.code, error.headers, error.read()
    # The headers stay an HTTPMessage: names are case-insensitive (corsheaders sends lower case).
    is_json = "json" in answer.get("Content-Type", "") and raw
    return status, answer, json.loads(raw) if is_json else raw


class Deployment:
    def __init__(self, server, stack, redis_port: int, token: str) -> None:
        self.server = server
        self.a, self.b = stack.instances
        self.proxy = stack.proxy
        self.logs = stack.logs
        self.redis = redis.Redis(host="127.0.0.1", port=redis_port)
        self.auth = {"Authorization": f"Token {token}"}

    def value(self, sql: str) -> str:
        """The single value `sql` returns (the line under psql's dashed header)."""
        lines = [line.strip() for line in self.server.psql(f"\\c {DATABASE}\n{sql}").splitlines()]
        return lines[lines.index(next(line for line in lines if set(line) == {"-"})) + 1]

    def pair(self, route: str) -> tuple[str, str]:
        if route == "proxy":
            if self.proxy is None:
                pytest.skip("nginx is not installed")
            return self.proxy, self.proxy
        return self.a, self.b


@pytest.fixture(scope="module")
def deployment():
    with private_postgres(DATABASE) as server, private_redis() as (redis_port, _):
        env = {
            **service_env(server.get_uri(DATABASE)),
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "NUM_PROXIES": "1",
            "THROTTLE_ANON_RATE": f"{ANON_LIMIT}/minute",
            "LOG_FORMAT": "json",
        }
        prepare(env)
        token = curator_token(env, "two-instances-curator")
        with local_stack(env, instances=2, workers=1, proxy=nginx_binary() is not None) as stack:
            yield Deployment(server, stack, redis_port, token)


@pytest.fixture(autouse=True)
def full_budget(deployment):
    # Rate-limit counters live in the shared Redis: every test starts with a full budget.
    deployment.redis.flushall()


@pytest.mark.parametrize("route", ["direct", "proxy"])
def test_an_idempotency_key_replays_on_the_other_instance(deployment, route):
    first, second = deployment.pair(route)
    slug = f"idem-{route}"
    person = {"slug": slug, "name": f"Idem {route}"}
    headers = {**deployment.auth, "Idempotency-Key": f"key-{route}"}
    created = call("POST", f"{first}/api/v1/people/", person, headers)
    assert created[0] == 201, created
    replayed = call("POST", f"{second}/api/v1/people/", person, headers)
    assert replayed[0] == 201
    assert replayed[1]["Idempotent-Replayed"] == "true"
    assert replayed[2] == created[2]
    assert deployment.value(f"SELECT count(*) FROM bills_person WHERE slug = '{slug}';") == "1"


@pytest.mark.parametrize("route", ["direct", "proxy"])
def test_if_match_holds_across_instances(deployment, route):
    first, second = deployment.pair(route)
    path = "/api/v1/bills/kz-2016-counter-intelligence/"
    status, headers, _ = call("GET", first + path, headers=deployment.auth)
    assert status == 200
    etag = headers["ETag"]
    patched = call(
        "PATCH",
        second + path,
        {"summary": f"Via {route}."},
        {
            **deployment.auth,
            "If-Match": etag,
        },
    )
    assert patched[0] == 200, patched
    stale = call(
        "PATCH",
        first + path,
        {"summary": "Lost update."},
        {
            **deployment.auth,
            "If-Match": etag,
        },
    )
    assert stale[0] == 412
    assert call("GET", second + path, headers=deployment.auth)[2]["summary"] == f"Via {route}."


def test_the_anonymous_limit_is_shared_by_both_instances(deployment):
    for number in range(ANON_LIMIT):
        base = deployment.a if number % 2 == 0 else deployment.b
        status, headers, _ = call("GET", f"{base}/api/v1/bills/")
        assert status == 200, number
        assert headers["X-RateLimit-Remaining"] == str(ANON_LIMIT - number - 1)
    status, headers, _ = call("GET", f"{deployment.b}/api/v1/bills/")
    assert status == 429
    assert int(headers["Retry-After"]) > 0
    assert call("GET", f"{deployment.a}/api/v1/bills/")[0] == 429


@needs_nginx
def test_a_forged_forwarded_for_does_not_evade_the_limit_behind_the_proxy(deployment):
    proxy = deployment.proxy
    served_ids = []
    for number in range(ANON_LIMIT):
        # A new URL each time: the cache must not answer, every request reaches an instance.
        headers = {"X-Forwarded-For": f"198.51.100.{number}"}
        status, answer, _ = call(
            "GET", f"{proxy}/api/v1/bills/?page_size={number + 1}", None, headers
        )
        assert status == 200, number
        assert answer["X-Cache-Status"] == "MISS"
        served_ids.append(answer["X-Request-ID"])
    status, answer, _ = call(
        "GET", f"{proxy}/api/v1/bills/?page_size=20", None, {"X-Forwarded-For": "203.0.113.9"}
    )
    assert status == 429
    assert answer["Cache-Control"] == "private, no-store"
    # nginx spread them over both instances, which counted them together.
    for log in deployment.logs:
        text = log.read_text()
        assert any(request_id in text for request_id in served_ids), log


@needs_nginx
def test_an_anonymous_read_is_cached_and_a_token_holder_s_never(deployment):
    url = f"{deployment.proxy}/api/v1/people/"
    draft = {"slug": "cache-draft", "name": "Cache Draft"}
    assert call("POST", url, draft, deployment.auth)[0] == 201
    first = call("GET", url)
    second = call("GET", url)
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache-Status"] in ("MISS", "EXPIRED")
    assert second[1]["X-Cache-Status"] == "HIT"
    assert second[2] == first[2]
    assert second[1]["X-Request-ID"] != first[1]["X-Request-ID"]  # this request's, not the cached

    # The curator sees drafts; that answer is neither served from nor put into the cache.
    for _ in range(2):
        status, headers, body = call("GET", url, headers=deployment.auth)
        assert status == 200
        assert headers["X-Cache-Status"] == "BYPASS"
        assert headers["Cache-Control"] == "private, no-store"
        assert "cache-draft" in [person["slug"] for person in body["results"]]
    status, headers, _ = call("GET", url, headers={"Cookie": "sessionid=whatever"})
    assert headers["X-Cache-Status"] == "BYPASS"
    third = call("GET", url)
    assert third[1]["X-Cache-Status"] == "HIT"
    assert "cache-draft" not in [person["slug"] for person in third[2]["results"]]

    # A browser's cross-origin read is another variant (Vary: Origin): it gets its CORS header.
    for _ in range(2):
        status, headers, _ = call("GET", url, headers={"Origin": "https://example.org"})
        assert status == 200
        assert headers["Access-Control-Allow-Origin"] == "*"


@needs_nginx
def test_the_proxy_keeps_metrics_and_oversized_bodies_out(deployment):
    assert call("GET", f"{deployment.proxy}/metrics")[0] == 403
    assert call("GET", f"{deployment.a}/metrics")[0] == 200  # from loopback, directly
    too_big = b"x" * (1024 * 1024 + 1)
    request = urllib.request.Request(
        f"{deployment.proxy}/api/v1/people/", data=too_big, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=20)
    assert refused.value.code == 413


def half_open(port: int, partial: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(partial)
    return sock


SLOW_HEADERS = b"GET /api/v1/bills/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
SLOW_BODY = (
    b"POST /api/v1/people/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b'Content-Length: 1000\r\n\r\n{"slug": '
)


@needs_nginx
def test_half_open_connections_do_not_block_others_behind_the_proxy(deployment):
    port_a = int(deployment.a.rsplit(":", 1)[1])
    # Directly, one half-open connection holds instance A's only sync worker.
    blocker = half_open(port_a, SLOW_HEADERS)
    try:
        with pytest.raises(OSError):  # a timeout: nobody reads the request
            call("GET", f"{deployment.a}/healthz", timeout=2)
    finally:
        blocker.close()
    deadline = time.monotonic() + 20
    while call("GET", f"{deployment.a}/healthz", timeout=2)[0] != 200:
        assert time.monotonic() < deadline
        time.sleep(0.2)

    proxy_port = int(deployment.proxy.rsplit(":", 1)[1])
    slow = [half_open(proxy_port, SLOW_HEADERS if n % 2 else SLOW_BODY) for n in range(10)]
    try:
        time.sleep(0.5)
        for _ in range(4):  # round robin: both instances answer
            started = time.monotonic()
            status, headers, _ = call("GET", f"{deployment.proxy}/readyz", timeout=5)
            assert status == 200
            assert headers["Cache-Control"] == "no-store"
            assert time.monotonic() - started < 3
    finally:
        for sock in slow:
            sock.close()


def test_both_instances_write_one_change_log_and_serve_the_same_feed(deployment):
    """Writes spread over both instances at once land in one ordered log; following the feed
    through either instance gives the same events, every committed row, no gaps or repeats."""
    before = int(deployment.value("SELECT coalesce(max(seq), 0) FROM changes_changeevent;"))

    def create(number: int) -> int:
        instance = (deployment.a, deployment.b)[number % 2]
        person = {"slug": f"feed-{number}", "name": f"Feed Person {number}"}
        return call("POST", f"{instance}/api/v1/people/", person, deployment.auth)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(create, range(20))) == [201] * 20

    def follow(instance: str) -> list[tuple]:
        events, url = [], f"{instance}/api/v1/changes/?after={before}&limit=7"
        while True:
            status, _, page = call("GET", url, headers=deployment.auth)
            assert status == 200, page
            events += [(e["seq"], e["event"], e["record_type"], e["slug"]) for e in page["results"]]
            if not page["results"]:
                return events
            url = page["next"]

    via_a, via_b = follow(deployment.a), follow(deployment.b)
    assert via_a == via_b
    seqs = [seq for seq, *_ in via_a]
    assert seqs == sorted(set(seqs))
    committed = deployment.value(f"SELECT count(*) FROM changes_changeevent WHERE seq > {before};")
    assert len(via_a) == int(committed)
    created = [slug for _, event, kind, slug in via_a if (event, kind) == ("created", "person")]
    assert sorted(created) == sorted(f"feed-{number}" for number in range(20))
