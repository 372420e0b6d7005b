"""Bill and statement pages read through prepared statements (policytracker/prepared.py) are
the pages read without them, page after page (cursor positions of every type are parameters),
and a connection plans each page's query once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from policytracker import prepared
from tests.bills.factories import BillFactory, StatementFactory

pytestmark = pytest.mark.django_db

WALKS = [
    "/api/v1/bills/?page_size=3&include=sponsors,actions,statements",
    "/api/v1/bills/?page_size=2&ordering=-updated_at",
    "/api/v1/bills/?page_size=2&ordering=short_title&status=announced&status=signed",
    "/api/v1/bills/?page_size=2&q=terrorism",
    "/api/v1/statements/?page_size=2&ordering=created_at",
    "/api/v1/statements/?page_size=2&q=security",
]


def walk(client, url: str) -> list[dict]:
    """Every page of a list, following `next`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    # Each list is walked eight times: far past the anonymous rate.
    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "user": "100000/minute"}


@pytest.fixture
def data():
    call_command("load_seed", stdout=StringIO())
    BillFactory.create_batch(4, summary="Measures against terrorism.")
    StatementFactory.create_batch(3, text="On information security.")


def test_prepared_pages_are_the_plain_pages(data, settings):
    client = APIClient()
    settings.LEAN_PREPARED_STATEMENTS = False
    plain = {url: walk(client, url) for url in WALKS}
    settings.LEAN_PREPARED_STATEMENTS = True
    for url in WALKS:
        for _ in range(7):  # past PostgreSQL's switch to a generic plan
            assert walk(client, url) == plain[url], url
    assert sum(len(page["results"]) for url in WALKS for page in plain[url]) > 20
    slug = plain[WALKS[0]][0]["results"][0]["slug"]
    detail = f"/api/v1/bills/{slug}/?include=sponsors,actions"
    read = [client.get(detail).json() for _ in range(7)]
    settings.LEAN_PREPARED_STATEMENTS = False
    assert read == [client.get(detail).json()] * 7


def test_a_connection_plans_a_page_once(data):
    client = APIClient()
    prepared.deallocate_all(connection)
    url = "/api/v1/bills/?include=sponsors"
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert first.captured_queries[0]["sql"].startswith("PREPARE lean_")
    assert "; EXECUTE lean_" in first.captured_queries[0]["sql"]
    assert second.captured_queries[0]["sql"].startswith("EXECUTE lean_")
    assert len(first.captured_queries) == len(second.captured_queries)


def test_statements_past_the_limit_are_deallocated_oldest_first(data, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_PER_CONNECTION", 3)
    prepared.deallocate_all(connection)
    client = APIClient()
    for size in range(1, 7):  # six different queries
        assert client.get(f"/api/v1/statements/?page_size={size}").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'lean_%%'")
        assert cursor.fetchone()[0] == 3
    assert client.get("/api/v1/statements/?page_size=1").status_code == 200  # prepared anew


def test_a_query_with_a_literal_percent_sign_runs_unprepared():
    assert prepared._numbered("SELECT %s WHERE name LIKE 'a%%'", 1) is None
    assert prepared._numbered("SELECT %s, %s", 2) == "SELECT $1, $2"
