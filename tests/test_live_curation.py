"""The curation paths through a real gunicorn with production settings and the seed loaded:
creates with an Idempotency-Key, GET-with-include then PATCH with its ETag, publishing what
depends on drafts, and drafts staying invisible, as a client over HTTP sees them."""

import json
import urllib.error
import urllib.request

import pytest

from tests.live import curator_token, manage, private_postgres, running_service, service_env

pytest.importorskip("pgserver")


def call(method: str, url: str, body=None, headers=None) -> tuple[int, dict, dict | None]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            raw = response.read()
            return response.status, dict(response.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, dict(error.headers), json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def service():
    with private_postgres("live_curation") as server:
        env = service_env(server.get_uri("live_curation"))
        with running_service(env, workers=2) as base:
            token = curator_token(env, "live-curator")
            assert manage(env, "load_seed").startswith("Seed already loaded")
            yield base, {"Authorization": f"Token {token}"}


def test_the_seed_is_served(service):
    base, _ = service
    status, _, body = call("GET", f"{base}/api/v1/bills/")
    assert status == 200
    assert len(body["results"]) == 7


def test_create_with_idempotency_key_is_created_once(service):
    base, auth = service
    headers = {**auth, "Idempotency-Key": "live-1"}
    person = {"slug": "live-person", "name": "Live Person"}
    first = call("POST", f"{base}/api/v1/people/", person, headers)
    assert first[0] == 201, first
    assert first[1]["Location"].endswith("/api/v1/people/live-person/")
    again = call("POST", f"{base}/api/v1/people/", person, headers)
    assert again[0] == 201
    assert again[1]["Idempotent-Replayed"] == "true"
    assert call("GET", f"{base}/api/v1/people/live-person/")[0] == 404  # still a draft


def test_get_with_include_then_patch_with_its_etag(service):
    base, auth = service
    url = f"{base}/api/v1/bills/kz-2016-counter-intelligence/"
    status, headers, _ = call("GET", url + "?include=actions,sponsors", headers=auth)
    assert status == 200
    etag = headers["ETag"]
    patched = call("PATCH", url, {"summary": "Checked live."}, {**auth, "If-Match": etag})
    assert patched[0] == 200, patched
    stale = call("PATCH", url, {"summary": "Lost update."}, {**auth, "If-Match": etag})
    assert stale[0] == 412
    assert call("GET", url)[2]["summary"] == "Checked live."


def test_publishing_what_depends_on_drafts(service):
    base, auth = service
    created = call(
        "POST",
        f"{base}/api/v1/sources/",
        {"document_url": "https://example.org/live-draft", "title": "Draft source"},
        auth,
    )
    assert created[0] == 201, created
    statement = {
        "slug": "live-statement",
        "attribution": "A deputy",
        "text": "Said on a live server.",
        "form": "paraphrase",
        "sources": [{"source": created[2]["id"], "excerpt": "Said on a live server."}],
    }
    assert call("POST", f"{base}/api/v1/statements/", statement, auth)[0] == 201
    refused = call("POST", f"{base}/api/v1/statements/live-statement/publish/", None, auth)
    assert refused[0] == 409
    assert refused[2]["dependents"][0]["type"] == "source"
    assert call("GET", f"{base}/api/v1/statements/live-statement/")[0] == 404
    published = call(
        "POST", f"{base}/api/v1/statements/live-statement/publish/?with_dependents=1", None, auth
    )
    assert published[0] == 200
    assert call("GET", f"{base}/api/v1/statements/live-statement/")[0] == 200


def test_an_unpublished_speaker_disappears_from_statements(service):
    base, auth = service
    status, _, body = call("GET", f"{base}/api/v1/statements/?speaker=nurlan-nigmatulin")
    assert status == 200 and body["results"]
    assert call("POST", f"{base}/api/v1/people/nurlan-nigmatulin/unpublish/", None, auth)[0] == 200
    everything = call("GET", f"{base}/api/v1/statements/?page_size=200")[2]
    assert "nurlan-nigmatulin" not in json.dumps(everything)
    assert call("GET", f"{base}/api/v1/statements/?speaker=nurlan-nigmatulin")[0] == 400
    assert call("POST", f"{base}/api/v1/people/nurlan-nigmatulin/publish/", None, auth)[0] == 200


def test_a_post_in_an_unpublished_organization_is_not_embedded(service):
    base, auth = service
    organization = {"slug": "zqx-office", "name": "Zqx Office", "classification": "agency"}
    assert call("POST", f"{base}/api/v1/organizations/", organization, auth)[0] == 201
    post = {"person": "nurlan-bilisbekov", "organization": "zqx-office", "role": "Zqx adviser"}
    created = call("POST", f"{base}/api/v1/memberships/", post, auth)
    assert created[0] == 201, created
    url = f"{base}/api/v1/memberships/{created[2]['id']}/"
    assert call("POST", f"{url}publish/", None, auth)[0] == 409  # its organization is a draft
    assert call("POST", f"{url}publish/?with_dependents=1", None, auth)[0] == 200
    people = f"{base}/api/v1/people/?include=memberships&page_size=200"
    assert "zqx" in json.dumps(call("GET", people)[2]).lower()
    unpublished = call("POST", f"{base}/api/v1/organizations/zqx-office/unpublish/", None, auth)
    assert unpublished[0] == 200
    for path in (people, f"{base}/api/v1/memberships/?page_size=200"):
        assert "zqx" not in json.dumps(call("GET", path)[2]).lower(), path
    assert call("GET", f"{base}/api/v1/people/?role=zqx")[2]["results"] == []
