"""The response cache (policytracker/response_cache.py): anonymous API reads come from the cache
while the change log's newest public event is the one they were rendered at, and never after
a write; credentials, errors and a failing cache bypass it."""

import socket
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from bills import services as bill_services
from bills.models import Bill
from policytracker import cache_guard, response_cache
from tests.bills.factories import BillFactory, SponsorshipFactory, StatementFactory
from tests.live import free_port
from tests.test_redis_outage import redis_cache

GZIP = "policytracker.response_cache.PublicGZipMiddleware"
CACHE = "policytracker.response_cache.ResponseCacheMiddleware"
# The test run's own Redis database (others use 15): the fixtures flush it.
REDIS_LOCATION = "redis://127.0.0.1:6379/11"
BILLS = "/api/v1/bills/?include=sponsors,actions&page_size=100"
# Headers a hit must repeat exactly.
SAME_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Link")


def vary(response) -> set[str]:
    """The Vary header as a set (its order follows which middleware touched the session)."""
    return {name.strip().lower() for name in response.get("Vary", "").split(",")}


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def install(settings) -> None:
    """The configured stack (policytracker/settings.py): gzip just above
    ConditionalGetMiddleware, the cache innermost (inside the replica routing, the rate-limit
    headers and the request metrics); switched on."""
    assert GZIP in settings.MIDDLEWARE and settings.MIDDLEWARE[-1] == CACHE
    settings.RESPONSE_CACHE_ENABLED = True
    settings.RESPONSE_CACHE_SECONDS = 300


@pytest.fixture
def cached(settings, monkeypatch):
    """The cache middleware installed, in Redis when a server runs on 6379 (else in memory)."""
    install(settings)
    monkeypatch.setitem(response_cache._unavailable_until, "at", float("-inf"))
    if redis_available():
        settings.CACHES = {
            "default": {**redis_cache(6379)["default"], "LOCATION": REDIS_LOCATION},
        }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def curator(db):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    user = User.objects.create_user("cache-curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def bills_with_parts(count: int = 3) -> list[Bill]:
    bills = [BillFactory(slug=f"cached-{n}") for n in range(count)]
    for bill in bills:
        SponsorshipFactory(bill=bill)
    return bills


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [bill["title"] for bill in response.json()["results"]]


# -- hits ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_hit_serves_the_same_bytes_and_headers_without_rendering(client, cached):
    bills_with_parts()
    first = client.get(BILLS)
    assert first.status_code == 200
    assert first[response_cache.HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(BILLS)
    assert second[response_cache.HEADER] == "hit"
    assert second.content == first.content
    for name in SAME_HEADERS:
        assert second.get(name) == first.get(name), name
    assert vary(second) == vary(first)
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"].startswith("public")
    # Only the change log's position: no selector, no serializer.
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert "changes_changeevent" in queries[0]["sql"]


@pytest.mark.django_db
def test_a_hit_answers_conditional_requests_with_304(client, cached):
    bills_with_parts()
    etag = client.get(BILLS)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BILLS, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(queries) == 1  # answered from the entry


@pytest.mark.django_db
def test_a_record_detail_keeps_its_version_etag(client, cached, curator):
    BillFactory(slug="versioned")
    first = client.get("/api/v1/bills/versioned/")
    second = client.get("/api/v1/bills/versioned/")
    assert second[response_cache.HEADER] == "hit"
    assert first["ETag"] == second["ETag"] == curator.get("/api/v1/bills/versioned/")["ETag"]
    assert first["ETag"].startswith('"1-')


@pytest.mark.django_db
def test_head_is_answered_from_the_get_entry(client, cached):
    bills_with_parts()
    assert client.head(BILLS)[response_cache.HEADER] == "miss"  # a HEAD does not store
    client.get(BILLS)
    head = client.head(BILLS)
    assert head[response_cache.HEADER] == "hit"
    assert head.content == b""


@pytest.mark.django_db
def test_the_key_holds_host_accept_and_query(client, cached):
    bills_with_parts()
    client.get(BILLS)
    assert client.get(BILLS, HTTP_HOST="localhost")[response_cache.HEADER] == "miss"
    assert client.get(BILLS, HTTP_ACCEPT="application/json")[response_cache.HEADER] == "miss"
    assert client.get(BILLS.replace("100", "99"))[response_cache.HEADER] == "miss"
    links = client.get(BILLS, HTTP_HOST="localhost").json()["results"][0]
    assert "//localhost/" in str(links)  # absolute links follow the host asked for


@pytest.mark.django_db
def test_hits_count_against_the_rate_limit(client, cached, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "3/minute"}
    bills_with_parts(1)
    answers = [client.get(BILLS) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.get(response_cache.HEADER) for a in answers[:3]] == ["miss", "hit", "hit"]
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]


# -- exactness: a write is seen by the next read -------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_curators_api_write_is_seen_by_the_next_anonymous_read(client, cached, curator):
    bills_with_parts()
    before = client.get(BILLS)
    assert client.get(BILLS)[response_cache.HEADER] == "hit"
    etag = curator.get("/api/v1/bills/cached-1/")["ETag"]
    changed = curator.patch(
        "/api/v1/bills/cached-1/",
        {"title": "Renamed by a curator"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200, changed.content
    after = client.get(BILLS)
    assert after[response_cache.HEADER] == "miss"
    assert "Renamed by a curator" in titles(after)
    assert after["ETag"] != before["ETag"]
    assert client.get(BILLS)[response_cache.HEADER] == "hit"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publish_and_unpublish_through_the_services_are_seen(client, cached):
    bills_with_parts(2)
    draft = BillFactory(slug="cached-draft", title="The draft bill", is_published=False)
    assert "The draft bill" not in titles(client.get(BILLS))
    bill_services.bill_publish(bill=draft)
    assert "The draft bill" in titles(client.get(BILLS))
    assert client.get("/api/v1/bills/cached-draft/").status_code == 200
    bill_services.bill_unpublish(bill=Bill.objects.get(slug="cached-draft"))
    assert "The draft bill" not in titles(client.get(BILLS))
    assert client.get("/api/v1/bills/cached-draft/").status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_from_another_thread_is_seen(client, cached):
    bills_with_parts(1)
    client.get(BILLS)
    assert client.get(BILLS)[response_cache.HEADER] == "hit"

    def writer():
        from django.db import connections

        try:
            bill = Bill.objects.get(slug="cached-0")
            bill_services.bill_update(bill=bill, values={"title": "Written by a thread"})
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join()
    assert "Written by a thread" in titles(client.get(BILLS))


@pytest.mark.django_db
def test_a_drafts_change_keeps_the_public_entry(client, cached):
    bills_with_parts(1)
    draft = BillFactory(slug="still-draft", is_published=False)
    client.get(BILLS)
    bill_services.bill_update(bill=draft, values={"title": "Edited draft"})
    assert client.get(BILLS)[response_cache.HEADER] == "hit"


@pytest.mark.django_db
def test_the_change_feed_is_cached_and_moves_with_the_log(client, cached):
    bill = BillFactory(slug="fed")
    first = client.get("/api/v1/changes/")
    assert first.json()["results"] == []
    assert client.get("/api/v1/changes/")[response_cache.HEADER] == "hit"
    bill_services.bill_update(bill=bill, values={"title": "In the feed"})
    feed = client.get("/api/v1/changes/")
    assert feed[response_cache.HEADER] == "miss"
    assert [item["event"] for item in feed.json()["results"]] == ["updated"]


@pytest.mark.django_db
def test_atom_feeds_are_cached_and_move_with_the_log(client, cached):
    bill = BillFactory(slug="atom", title="Atom bill")
    url = "/api/v1/feeds/bills/atom.atom"
    first = client.get(url)
    assert first.status_code == 200
    second = client.get(url)
    assert second[response_cache.HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    bill_services.bill_update(bill=bill, values={"title": "Atom bill, renamed"})
    assert client.get(url)[response_cache.HEADER] == "miss"


# -- what bypasses the cache --------------------------------------------------------------------


@pytest.mark.django_db
def test_credentials_never_read_or_fill_the_cache(client, cached, curator):
    bills_with_parts(1)
    BillFactory(slug="curators-only", title="Curators only", is_published=False)
    client.get(BILLS)
    seen = curator.get(BILLS)
    assert response_cache.HEADER not in seen
    assert "Curators only" in titles(seen)
    assert "Curators only" not in titles(client.get(BILLS))
    user = User.objects.create_user("signed-in", password="pw")
    client.force_login(user)
    assert response_cache.HEADER not in client.get(BILLS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/bills/missing/", "/api/v1/bills/?unknown=1", "/admin/login/"]
)
def test_errors_and_the_admin_are_not_cached(client, cached, path):
    client.get(path)
    assert client.get(path).get(response_cache.HEADER) in (None, "miss")


@pytest.mark.django_db
def test_disabled_means_no_cache(client, cached, settings):
    settings.RESPONSE_CACHE_ENABLED = False
    bills_with_parts(1)
    client.get(BILLS)
    assert response_cache.HEADER not in client.get(BILLS)


@pytest.mark.django_db
def test_redis_down_means_no_cache_and_no_error(client, cached, monkeypatch, caplog):
    monkeypatch.setitem(cache_guard._last_warning, "at", float("-inf"))
    bills_with_parts(1)
    with override_settings(CACHES=redis_cache(free_port())):  # nothing listens there
        answers = [client.get(BILLS) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert [a[response_cache.HEADER] for a in answers] == ["miss", "miss"]
    assert answers[0].content == answers[1].content
    assert any("response cache" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_a_failing_cache_client_is_skipped(client, cached, monkeypatch):
    from redis.exceptions import TimeoutError as RedisTimeout

    bills_with_parts(1)
    client.get(BILLS)

    def hung(*args, **kwargs):
        raise RedisTimeout("Timeout reading from socket")

    from django.core.cache import caches

    monkeypatch.setattr(type(caches["default"]), "get", hung)
    answer = client.get(BILLS)
    assert answer.status_code == 200 and answer[response_cache.HEADER] == "miss"
    assert len(answer.json()["results"]) == 1


def test_statements_list_is_cached(client, cached, db):
    StatementFactory()
    url = "/api/v1/statements/?page_size=100"
    first = client.get(url)
    second = client.get(url)
    assert second[response_cache.HEADER] == "hit" and second.content == first.content


def test_a_database_that_does_not_answer_is_a_503_problem_at_once(client, cached, monkeypatch):
    from django.db import OperationalError

    from policytracker import response_cache

    def frozen():
        raise OperationalError("deadline passed")

    monkeypatch.setattr(response_cache, "log_position", frozen)
    response = client.get("/api/v1/bills/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"]
    assert response.json()["status"] == 503
    assert "no-store" in response["Cache-Control"]
