"""`citations=compact` on the bill and statement lists: each citation names its source by id,
URL and title, the page carries each cited source once (`sources`), and nothing is lost: put back
together, the page is the full page; the map holds exactly the sources cited, never a draft."""

import itertools
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.test_lean import generated_world

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/statements/?page_size=200",
    "/api/v1/statements/?page_size=200&q=security",
    "/api/v1/bills/?page_size=200",
    *(
        "/api/v1/bills/?page_size=200&include=" + ",".join(combo)
        for size in range(1, 4)
        for combo in itertools.combinations(["sponsors", "actions", "statements"], size)
    ),
]


def citations(node):
    """Every citation (a dict with `source` and `excerpt`) anywhere in a JSON value."""
    if isinstance(node, dict):
        if "source" in node and "excerpt" in node:
            yield node
        for value in node.values():
            yield from citations(value)
    elif isinstance(node, list):
        for item in node:
            yield from citations(item)


def expanded(page: dict) -> list[dict]:
    """The compact page's records with each citation's source taken from the page's map."""
    for citation in citations(page["results"]):
        citation["source"] = page["sources"][str(citation["source"]["id"])]
    return page["results"]


def compare(client) -> int:
    compared = 0
    for url in LISTS:
        full = client.get(url)
        compact = client.get(url + "&citations=compact")
        assert full.status_code == compact.status_code == 200, compact.content
        page = compact.json()
        cited = list(citations(page["results"]))
        assert all(set(c["source"]) == {"id", "url", "title"} for c in cited), url
        assert {str(c["source"]["id"]) for c in cited} == set(page["sources"]), url
        assert expanded(page) == full.json()["results"], url
        compared += len(cited)
    return compared


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "user": "100000/minute"}


def curator_client() -> APIClient:
    user = User.objects.create_user("compact-curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_seed_pages_lose_nothing_and_shrink():
    call_command("load_seed", stdout=StringIO())
    client = APIClient()
    assert compare(client) > 50
    url = "/api/v1/bills/?include=sponsors,actions,statements"
    full, compact = client.get(url), client.get(url + "&citations=compact")
    assert len(compact.content) < 0.96 * len(full.content), (
        len(compact.content),
        len(full.content),
    )


def test_drafts_and_hidden_sources_stay_out_of_the_map():
    generated_world()
    anonymous = APIClient()
    curator = curator_client()
    assert compare(anonymous) > 0
    assert compare(curator) > 0
    body = b"".join(
        anonymous.get(url + "&citations=compact").content for url in LISTS if "bills" in url
    )
    assert b"hidden source" not in body
    assert b"hidden source" in curator.get(LISTS[-1] + "&citations=compact").content


def test_a_bad_value_or_a_detail_is_a_400_naming_the_parameter():
    call_command("load_seed", stdout=StringIO())
    client = APIClient()
    bad = client.get("/api/v1/bills/?citations=short")
    assert bad.status_code == 400 and "citations" in bad.json()["errors"]
    slug = client.get("/api/v1/bills/").json()["results"][0]["slug"]
    detail = client.get(f"/api/v1/bills/{slug}/?citations=compact")
    assert detail.status_code == 400 and "citations" in detail.json()["errors"]
    assert "sources" not in client.get("/api/v1/bills/?citations=full").json()
