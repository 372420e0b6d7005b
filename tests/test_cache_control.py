"""What a shared cache may keep: anonymous reads of public API data are `public` for
CACHE_MAX_AGE_SECONDS; anything with credentials, the admin, writes and errors (but 404/410)
are `private, no-store`; probes and metrics are `no-store`."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token

from tests.bills.factories import BillFactory

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


@pytest.fixture
def curator_user():
    user = User.objects.create_user("cache-curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def token(curator_user):
    return Token.objects.create(user=curator_user).key


def test_an_anonymous_read_of_the_api_is_public_and_varies_by_credentials(client):
    BillFactory()
    response = client.get("/api/v1/bills/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30"
    assert {"accept", "origin", "authorization", "cookie"} <= vary(response)


def test_the_max_age_comes_from_the_setting(client, settings):
    settings.CACHE_MAX_AGE_SECONDS = 5
    assert client.get("/api/v1/bills/")["Cache-Control"] == "public, max-age=5"


def test_head_and_a_not_modified_answer_are_public_too(client):
    bill = BillFactory()
    url = f"/api/v1/bills/{bill.slug}/"
    assert client.head(url)["Cache-Control"] == "public, max-age=30"
    etag = client.get(url)["ETag"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"] == "public, max-age=30"


def test_a_missing_record_is_public_for_everyone(client):
    response = client.get("/api/v1/bills/no-such-bill/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "public, max-age=30"


def test_a_refused_query_is_not_kept(client):
    response = client.get("/api/v1/bills/?no_such_parameter=1")
    assert response.status_code == 400
    assert response["Cache-Control"] == PRIVATE


def test_a_throttled_answer_is_not_kept(client, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/minute"}
    assert client.get("/api/v1/bills/").status_code == 200
    response = client.get("/api/v1/bills/")
    assert response.status_code == 429
    assert response["Cache-Control"] == PRIVATE


def test_a_token_holder_s_read_is_private(client, token):
    response = client.get("/api/v1/bills/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_wrong_token_is_private(client):
    response = client.get("/api/v1/bills/", HTTP_AUTHORIZATION="Token wrong")
    assert response.status_code == 401
    assert response["Cache-Control"] == PRIVATE


def test_a_curator_s_view_of_a_draft_is_never_kept(client, curator_user):
    draft = BillFactory(is_published=False)
    client.force_login(curator_user)
    response = client.get(f"/api/v1/bills/{draft.slug}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    listed = client.get("/api/v1/bills/")
    assert [bill["slug"] for bill in listed.json()["results"]] == [draft.slug]
    assert listed["Cache-Control"] == PRIVATE


def test_writes_are_private(client, token):
    anonymous = client.post("/api/v1/people/", {"slug": "x", "name": "X"}, "application/json")
    assert anonymous.status_code in (401, 403)
    assert anonymous["Cache-Control"] == PRIVATE
    created = client.post(
        "/api/v1/people/",
        {"slug": "cache-person", "name": "Cache Person"},
        "application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert created.status_code == 201
    assert created["Cache-Control"] == PRIVATE


def test_the_admin_is_private_even_before_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_probes_and_metrics_are_not_stored(client):
    for path in ("/healthz", "/readyz", "/metrics"):
        response = client.get(path, REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path


def test_pages_outside_the_api_are_private(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Cache-Control"] == PRIVATE
