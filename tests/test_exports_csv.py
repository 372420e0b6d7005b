"""`?format=csv` on every list endpoint: the filtered set's rows, as the snapshot writes them,
streamed in chunks with a pinned number of queries, through the same gate as the JSON."""

import csv
import io
import math
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction

from bills.models import Statement
from policytracker.exports import chunks
from policytracker.exports.records import anonymous_request, entities, list_view
from policytracker.exports.snapshot import snapshot_write
from policytracker.exports.tables import TABLES
from tests.bills.factories import BillFactory, StatementFactory
from tests.sources.factories import CitationFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture(scope="module")
def _seed_for_the_module(django_db_setup, django_db_blocker):
    # Once for the module, rolled back at its end; each test runs in a savepoint inside it
    # (tests that need no seed do not depend on whether it is there).
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()  # ids another module's database state left cached
        with transaction.atomic():
            call_command("load_seed", stdout=StringIO())
            yield
            transaction.set_rollback(True)
        ContentType.objects.clear_cache()


@pytest.fixture
def seeded(_seed_for_the_module, db):
    pass


def streamed(response) -> tuple[list[bytes], list[list[str]]]:
    assert response.status_code == 200, response
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    parts = list(response.streaming_content)
    text = b"".join(parts).decode("utf-8")
    return parts, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("name", list(TABLES))
def test_every_list_streams_the_rows_of_the_snapshot(seeded, name, api_client, settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path
    written = snapshot_write(base_url=BASE)
    with (written.path / f"{name}.csv").open(newline="", encoding="utf-8") as file:
        expected = list(csv.reader(file))
    response = api_client.get(f"/api/v1/{name}/?format=csv")
    assert response["Content-Disposition"] == f'attachment; filename="policytracker-{name}.csv"'
    _, rows = streamed(response)
    assert rows[0] == expected[0] == TABLES[name].header
    assert sorted(rows[1:]) == sorted(expected[1:])  # the list's order, the same rows
    assert len(rows) > 1


def test_accept_text_csv_negotiates_the_same_download(seeded, api_client):
    _, by_accept = streamed(api_client.get("/api/v1/bills/", HTTP_ACCEPT="text/csv"))
    _, by_format = streamed(api_client.get("/api/v1/bills/?format=csv"))
    assert by_accept == by_format and len(by_accept) == 8


def test_filters_search_and_ordering_apply(seeded, api_client):
    _, rows = streamed(api_client.get("/api/v1/bills/?format=csv&status=signed&ordering=-slug"))
    header, *signed = rows
    status = header.index("status")
    assert [row[status] for row in signed] == ["signed", "signed"]
    slugs = [row[header.index("slug")] for row in signed]
    assert slugs == sorted(slugs, reverse=True)
    _, found = streamed(api_client.get("/api/v1/people/?format=csv&q=Nurgali"))
    assert [row[1] for row in found[1:]] == ["nurlan-bilisbekov"]
    response = api_client.get("/api/v1/bills/?format=csv&status=nonsense")
    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_bom_is_an_option_named_in_errors(seeded, api_client):
    parts, rows = streamed(api_client.get("/api/v1/topics/?format=csv&bom=1"))
    assert parts[0].startswith("\ufeff".encode()) and rows[0][0] == "id"
    parts, _ = streamed(api_client.get("/api/v1/topics/?format=csv&bom=0"))
    assert parts[0].startswith(b"id,")
    for query in ("format=csv&bom=maybe", "bom=1", "format=csv&bom="):
        response = api_client.get(f"/api/v1/topics/?{query}")
        assert response.status_code == 400, query
        assert "bom" in response.json()["errors"], query
    assert api_client.get("/api/v1/statuses/?bom=1").status_code == 400
    assert api_client.get("/api/v1/statuses/?format=csv&bom=1").status_code == 200


def test_drafts_only_for_curators(api_client, curator_client):
    draft = BillFactory(slug="draft-only", is_published=False)
    public = BillFactory(slug="public-bill")
    statement = StatementFactory(slug="said")
    CitationFactory(record=statement)
    CitationFactory(record=draft, excerpt="Draft-only excerpt.")
    _, anonymous = streamed(api_client.get("/api/v1/bills/?format=csv"))
    slugs = {row[1] for row in anonymous[1:]}
    assert public.slug in slugs and draft.slug not in slugs
    _, curated = streamed(curator_client.get("/api/v1/bills/?format=csv"))
    assert {"draft-only", "public-bill"} <= {row[1] for row in curated[1:]}
    _, citations = streamed(api_client.get("/api/v1/citations/?format=csv"))
    assert "Draft-only excerpt." not in str(citations)
    response = api_client.get("/api/v1/bills/?format=csv")
    b"".join(response.streaming_content)  # read to the end: its read transaction ends
    assert "private" not in response.get("Cache-Control", "")


def test_streams_in_chunks_with_pinned_queries(api_client, monkeypatch, django_assert_num_queries):
    for number in range(7):
        CitationFactory(record=StatementFactory(slug=f"s-{number}"))
    monkeypatch.setattr(chunks, "CHUNK_SIZE", 3)
    # The read-only transaction (a savepoint inside the test's own) and one server-side
    # cursor whose rows carry the documents: the chunks are fetched from it, not queried.
    statements = Statement.objects.count()  # (with or without the module's seed)
    with django_assert_num_queries(3):
        response = api_client.get("/api/v1/statements/?format=csv")
        parts, rows = streamed(response)
    assert len(rows) > statements >= 7
    assert len(parts) == 1 + math.ceil(statements / 3)  # the header, then a part per chunk


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("bills", 3), ("bill-actions", 4), ("sponsorships", 4), ("people", 6),
        ("organizations", 4), ("memberships", 4), ("events", 4), ("statements", 3),
        ("topics", 3), ("sources", 3), ("citations", 3), ("statuses", 0),
    ]
)  # fmt: skip
def test_query_counts_do_not_grow_with_records(
    seeded, name, queries, api_client, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        streamed(api_client.get(f"/api/v1/{name}/?format=csv"))


def test_a_page_on_another_site_may_read_the_download_headers(api_client):
    response = api_client.get("/api/v1/topics/?format=csv", HTTP_ORIGIN="https://ngo.example")
    streamed(response)  # read to the end (its read transaction ends with it)
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {name.strip() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"Content-Disposition", "Content-Range", "ETag"} <= exposed
    preflight = api_client.options(
        "/api/v1/exports/",
        HTTP_ORIGIN="https://ngo.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="range",
    )
    assert "range" in preflight["Access-Control-Allow-Headers"]


def test_an_unknown_format_is_a_400_naming_it(api_client, curator_client):
    for path, allowed in [
        ("/api/v1/bills/?format=xml", "csv, json"),
        ("/api/v1/statuses/?format=yaml", "csv, json"),
        ("/api/v1/topics/1/?format=csv", "json"),  # a detail is JSON only
    ]:
        response = api_client.get(path)
        assert response.status_code == 400, path
        assert response.json()["errors"]["format"] == [f"Unknown format. Allowed: {allowed}."]
    for path in ("/api/v1/statuses/?format=", "/api/v1/bills/?format="):
        assert "format" in api_client.get(path).json()["errors"], path
    # Page parameters mean nothing for the whole set: refused, not ignored.
    for path in (
        "/api/v1/sources/?format=csv&page_size=5",
        "/api/v1/statuses/?format=csv&cursor=x",
    ):
        response = api_client.get(path)
        assert response.status_code == 400, path
        assert set(response.json()["errors"]) == {path.rsplit("&", 1)[1].split("=")[0]}
    # A method the endpoint does not serve is refused as such, whatever the format asks.
    refused = curator_client.generic("TRACE", "/api/v1/bills/").status_code
    assert refused in (403, 405)
    assert curator_client.generic("TRACE", "/api/v1/bills/?format=csv").status_code == refused
    assert curator_client.generic("TRACE", "/api/v1/bills/?format=xml").status_code == refused


def test_a_refusal_comes_before_the_first_byte(api_client):
    # `include=` and `citations=` are read as the query is built: a 400, not a cut stream.
    response = api_client.get("/api/v1/bills/?format=csv&include=false")
    assert response.status_code == 400 and "include" in response.json()["errors"]
    response = api_client.get("/api/v1/statements/?format=csv&citations=bogus")
    assert response.status_code == 400 and "citations" in response.json()["errors"]


def test_a_download_left_unread_ends_its_transaction(api_client):
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection

    from policytracker.exports.streaming import csv_response

    CitationFactory(record=StatementFactory(slug="unread"))
    depth = len(connection.savepoint_ids)
    [statements] = [found for found in entities() if found.name == "statements"]
    view = list_view(statements, anonymous_request("http://testserver"))
    response = csv_response(view, view.lean_queryset(), TABLES["statements"])
    assert len(connection.savepoint_ids) == depth + 1  # the first chunk was read, in it
    # The client went away before reading the body (as the test client does, the test's own
    # connection is kept open when the request finishes).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert len(connection.savepoint_ids) == depth
