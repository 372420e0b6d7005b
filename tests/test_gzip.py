"""gzip (policytracker.response_cache.PublicGZipMiddleware): API answers are compressed for
clients that accept it, with the same JSON, the same (weak) ETag either way and Vary:
Accept-Encoding; answers to a session cookie (BREACH) and the admin are not."""

import gzip
import json

import pytest
from django.contrib.auth.models import User

from policytracker import response_cache
from tests.bills.factories import BillFactory, SponsorshipFactory
from tests.test_response_cache import BILLS, install

pytestmark = pytest.mark.django_db


@pytest.fixture
def bills():
    for n in range(3):
        SponsorshipFactory(bill=BillFactory(slug=f"zipped-{n}"))


@pytest.fixture(params=[True, False], ids=["cache-on", "cache-off"])
def middleware(request, settings, monkeypatch, bills):
    install(settings)
    settings.RESPONSE_CACHE_ENABLED = request.param
    monkeypatch.setitem(response_cache._unavailable_until, "at", float("-inf"))
    return request.param


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",")}


def test_a_gzip_request_gets_the_same_json_compressed(client, middleware):
    plain = client.get(BILLS)
    zipped = client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert "accept-encoding" in vary(zipped) and "accept-encoding" in vary(plain)
    # The ETag is the uncompressed bytes', made weak: a conditional GET matches either way.
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    again = client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain["ETag"])
    assert again.status_code == 304


def test_the_cache_stores_compressed_bytes(client, settings, bills):
    install(settings)
    first = client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip")
    second = client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip")
    assert second[response_cache.HEADER] == "hit"
    assert second["Content-Encoding"] == "gzip"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    # The identity entry is another one.
    plain = client.get(BILLS)
    assert plain[response_cache.HEADER] == "miss"
    assert json.loads(gzip.decompress(second.content)) == plain.json()


def test_cache_on_and_off_give_the_same_etag(client, settings, bills):
    install(settings)
    settings.RESPONSE_CACHE_ENABLED = False
    off = client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip")
    settings.RESPONSE_CACHE_ENABLED = True
    on = client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip")
    assert on["ETag"] == off["ETag"]
    assert gzip.decompress(on.content) == gzip.decompress(off.content)


def test_detail_version_etag_survives_gzip(client, middleware):
    plain = client.get("/api/v1/bills/zipped-0/")
    zipped = client.get("/api/v1/bills/zipped-0/", HTTP_ACCEPT_ENCODING="gzip")
    assert plain["ETag"].startswith('"1-')
    if zipped.get("Content-Encoding") == "gzip":
        assert zipped["ETag"] == f"W/{plain['ETag']}"


def test_token_clients_get_gzip(curator_client, middleware):
    response = curator_client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert response_cache.HEADER not in response


def test_a_session_cookie_is_never_compressed(client, middleware):
    client.force_login(User.objects.create_user("browser", password="pw"))
    response = client.get(BILLS, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_the_admin_is_never_compressed(admin_client, middleware):
    response = admin_client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_the_schema_is_served_compressed_from_memory(client, settings):
    """The OpenAPI document is stored compressed too (policytracker/schema_view.py): a client
    that accepts gzip gets those bytes, the same document, with the same ETag."""
    from policytracker.schema_view import CachedSchemaView

    CachedSchemaView.cache_clear()
    accept = "application/vnd.oai.openapi+json"
    plain = client.get("/api/schema/", HTTP_ACCEPT=accept)
    zipped = client.get("/api/schema/", HTTP_ACCEPT=accept, HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert len(zipped.content) < len(plain.content) / 8
    assert "accept-encoding" in vary(zipped) and "accept-encoding" in vary(plain)
    assert zipped["ETag"].removeprefix("W/") == plain["ETag"]
    again = client.get(
        "/api/schema/",
        HTTP_ACCEPT=accept,
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=plain["ETag"],
    )
    assert again.status_code == 304
    # A browser with an admin session gets it compressed too: the document holds no secret.
    client.cookies[settings.SESSION_COOKIE_NAME] = "x"
    signed_in = client.get("/api/schema/", HTTP_ACCEPT=accept, HTTP_ACCEPT_ENCODING="gzip")
    assert signed_in["Content-Encoding"] == "gzip"
    CachedSchemaView.cache_clear()
