"""Limits that hold: client addresses a header cannot forge, bounded throttle keys, a limit on
wrong tokens, and an OpenAPI document built once per process."""

import time
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from policytracker.schema_view import CachedSchemaView
from policytracker.throttling import client_address

URL = "/api/v1/statuses/"
WRONG_TOKEN = "Token " + "0" * 40


def address(forwarded: str | None, remote: str = "10.0.0.1") -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get(URL, **meta))


@pytest.fixture
def small_rates(settings):
    settings.API_THROTTLE_RATES = {"anonymous": "3/minute", "user": "100/minute"}
    settings.API_AUTH_FAILURE_RATE = "3/minute"
    return settings


class TestClientAddress:
    @pytest.mark.parametrize(
        ("num_proxies", "forwarded", "expected"),
        [
            (0, "203.0.113.5", "10.0.0.1"),
            (0, None, "10.0.0.1"),
            (1, "198.51.100.9, 203.0.113.5", "203.0.113.5"),
            (1, None, "10.0.0.1"),
            (2, "198.51.100.9, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
            (2, "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies: the left-most
            (1, " 2001:DB8::1 ", "2001:db8::1"),
        ],
    )
    def test_hop_chosen(self, settings, num_proxies, forwarded, expected):
        settings.NUM_PROXIES = num_proxies
        assert address(forwarded) == expected

    @pytest.mark.parametrize(
        "forwarded",
        ["1.2.3.4" * 700, "not-an-address", "", "1.2.3.4:80", "fe80::1%" + "x" * 5000, "01.2.3.4"],
    )
    def test_anything_but_an_address_falls_back_to_remote_addr(self, settings, forwarded):
        settings.NUM_PROXIES = 1
        assert address(forwarded) == "10.0.0.1"

    def test_a_long_header_is_read_from_the_right(self, settings):
        settings.NUM_PROXIES = 1
        forwarded = "198.51.100.9," * 5000 + "203.0.113.5"
        assert address(forwarded) == "203.0.113.5"

    def test_without_remote_addr_the_client_is_unknown(self, settings):
        settings.NUM_PROXIES = 0
        assert address("203.0.113.5", remote="") == "unknown"


@pytest.mark.django_db
class TestThrottleByClientAddress:
    def test_without_proxies_rotating_forwarded_for_is_throttled(self, client, small_rates):
        small_rates.NUM_PROXIES = 0
        statuses = [
            client.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]

    def test_one_proxy_counts_the_hop_it_added(self, client, small_rates):
        small_rates.NUM_PROXIES = 1

        def get(spoofed: str, hop: str) -> int:
            return client.get(URL, HTTP_X_FORWARDED_FOR=f"{spoofed}, {hop}").status_code

        assert [get(f"198.51.100.{i}", "203.0.113.5") for i in range(4)] == [200, 200, 200, 429]
        assert get("198.51.100.1", "203.0.113.6") == 200  # another client behind the proxy

    def test_two_proxies_count_the_second_hop_from_the_right(self, client, small_rates):
        small_rates.NUM_PROXIES = 2

        def get(forwarded: str) -> int:
            return client.get(URL, HTTP_X_FORWARDED_FOR=forwarded).status_code

        statuses = [get(f"198.51.100.{i}, 203.0.113.5, 10.0.0.{i}") for i in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert get("203.0.113.6, 10.0.0.9") == 200

    def test_garbage_forwarded_for_shares_the_remote_addr_budget(self, client, small_rates):
        small_rates.NUM_PROXIES = 1
        headers = ["x" * 5000, "garbage", "1.2.3.4" * 700, "::1%" + "y" * 5000]
        statuses = [client.get(URL, HTTP_X_FORWARDED_FOR=h).status_code for h in headers]
        assert statuses == [200, 200, 200, 429]


@pytest.fixture
def staff_token(db) -> str:
    user = User.objects.create_user("curator", is_staff=True)
    return f"Token {Token.objects.create(user=user).key}"


@pytest.mark.django_db
class TestAuthFailureLimit:
    def test_wrong_tokens_get_429_after_the_limit(self, client, small_rates):
        statuses = [client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN).status_code for _ in range(5)]
        assert statuses == [401, 401, 401, 429, 429]
        response = client.get(URL, HTTP_AUTHORIZATION="Token malformed header")
        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 60
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 429

    def test_valid_tokens_do_not_count(self, client, small_rates, staff_token):
        statuses = [client.get(URL, HTTP_AUTHORIZATION=staff_token).status_code for _ in range(6)]
        assert statuses == [200] * 6
        assert client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN).status_code == 401

    def test_counted_per_client_address(self, client, small_rates, staff_token):
        for _ in range(3):
            client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN, REMOTE_ADDR="192.0.2.1")
        assert (
            client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN, REMOTE_ADDR="192.0.2.1").status_code
            == 429
        )
        assert (
            client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN, REMOTE_ADDR="192.0.2.2").status_code
            == 401
        )
        # A spent address may still read anonymously; a token from it waits (a right guess
        # must look like a wrong one until the period ends).
        assert client.get(URL, REMOTE_ADDR="192.0.2.1").status_code == 200
        assert (
            client.get(URL, HTTP_AUTHORIZATION=staff_token, REMOTE_ADDR="192.0.2.1").status_code
            == 429
        )
        assert (
            client.get(URL, HTTP_AUTHORIZATION=staff_token, REMOTE_ADDR="192.0.2.2").status_code
            == 200
        )

    def test_the_budget_returns_after_the_period(self, client, small_rates):
        for _ in range(3):
            client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN)
        assert client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN).status_code == 429
        later = time.time() + 61
        with mock.patch("policytracker.authentication.time.time", return_value=later):
            assert client.get(URL, HTTP_AUTHORIZATION=WRONG_TOKEN).status_code == 401


@pytest.fixture
def schema_builds():
    CachedSchemaView.cache_clear()
    generator = CachedSchemaView.generator_class
    original = generator.get_schema
    with mock.patch.object(generator, "get_schema", autospec=True, side_effect=original) as spy:
        yield spy
    CachedSchemaView.cache_clear()


@pytest.mark.django_db
class TestSchemaCache:
    def test_built_once_and_served_as_the_same_bytes(self, client, schema_builds):
        first = client.get("/api/schema/")
        second = client.get("/api/schema/")
        assert schema_builds.call_count == 1
        assert (first.status_code, second.status_code) == (200, 200)
        assert first.content == second.content and b"openapi" in first.content
        assert first["ETag"] == second["ETag"]
        assert first["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"

    def test_etag_revalidates_with_304(self, client, schema_builds):
        etag = client.get("/api/schema/")["ETag"]
        response = client.get("/api/schema/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304 and response.content == b""
        assert schema_builds.call_count == 1

    def test_generated_once_whatever_the_format(self, client, schema_builds):
        yaml_etag = client.get("/api/schema/")["ETag"]
        json_responses = [
            client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
            for _ in range(2)
        ]
        assert schema_builds.call_count == 1
        assert json_responses[0].content == json_responses[1].content
        assert json_responses[0].json()["openapi"].startswith("3.")
        assert json_responses[0]["ETag"] != yaml_etag

    def test_prebuilt_before_the_first_request(self, client, schema_builds):
        """wsgi.py calls prebuild() as the process starts: no visitor waits for generation."""
        CachedSchemaView.prebuild()
        assert schema_builds.call_count == 1
        response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200 and schema_builds.call_count == 1

    def test_a_failed_prebuild_does_not_stop_the_process(self, client, schema_builds, caplog):
        schema_builds.side_effect = RuntimeError("a broken hook")
        CachedSchemaView.prebuild()  # logged, not raised: the API still starts
        assert "could not be built" in caplog.text
        assert client.get("/api/v1/statuses/").status_code == 200

    def test_languages_make_no_new_variant(self, client, schema_builds):
        english = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en")
        russian = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="ru")
        assert schema_builds.call_count == 1 and russian.content == english.content

    def test_query_parameters_and_callers_make_no_new_variant(
        self, client, schema_builds, staff_token
    ):
        plain = client.get("/api/schema/")
        varied = client.get("/api/schema/?lang=de&version=9", HTTP_AUTHORIZATION=staff_token)
        assert schema_builds.call_count == 1
        assert varied.content == plain.content
