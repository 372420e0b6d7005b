"""A mirror that loads the bulk state, then follows only `/api/v1/changes/` while a curator
publishes, unpublishes, deletes, renames and edits embedded data, ends equal to a fresh crawl."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bills import services as bill_services
from bills.models import Bill, BillAction
from tests.bills.factories import BillFactory, PersonFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "bills": "bill",
    "bill-actions": "billaction",
    "sponsorships": "sponsorship",
    "people": "person",
    "organizations": "organization",
    "memberships": "membership",
    "events": "event",
    "statements": "statement",
    "topics": "topic",
    "sources": "source",
    "citations": "citation",
}


def crawl(client) -> dict[tuple[str, int], dict]:
    """Every public record, by (type, id), following each list's `next` links."""
    state = {}
    for prefix, record_type in ENDPOINTS.items():
        url = f"/api/v1/{prefix}/?page_size=200"
        while url:
            page = client.get(url).json()
            for item in page["results"]:
                state[(record_type, item["id"])] = item
            url = page["next"]
    return state


def follow(client, state: dict, cursor: int) -> int:
    """Apply every event after `cursor` to `state`; return the new cursor."""
    url = f"/api/v1/changes/?after={cursor}&limit=7"
    while True:
        page = client.get(url).json()
        for event in page["results"]:
            key = (event["record_type"], event["record_id"])
            if event["record_type"] not in ENDPOINTS.values():
                continue
            if event["event"] in {"unpublished", "deleted"} or event["data"] is None:
                state.pop(key, None)
            else:
                state[key] = event["data"]
            cursor = event["seq"]
        if not page["results"]:
            return cursor
        url = page["next"]


def curator_client() -> APIClient:
    user = User.objects.create_user("mirror-curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def etag(client, url: str) -> str:
    return client.get(url)["ETag"]


def test_mirror_following_the_feed_equals_a_fresh_crawl(api_client):
    # The state before the mirror starts: public and draft records with embedded data.
    speaker = PersonFactory(slug="speaker")
    old_source = SourceFactory()
    quoted = StatementFactory(slug="quoted", speaker_person=speaker)
    CitationFactory(record=quoted, source=old_source)
    hidden_later = StatementFactory(slug="hidden-later")
    CitationFactory(record=hidden_later)
    doomed = BillFactory(slug="doomed")
    CitationFactory(record=doomed, source=old_source)
    draft_source = SourceFactory(is_published=False)
    draft_bill = BillFactory(slug="draft-bill", is_published=False)
    action = bill_services.bill_record_action(
        bill=draft_bill,
        to_status="drafted",
        occurred_on=datetime.date(2016, 2, 1),
        citations=[{"source": draft_source, "excerpt": f"Step {n}."} for n in range(3)],
    )

    cursor = api_client.get("/api/v1/changes/?limit=1").json()["latest"]
    mirror = crawl(api_client)
    assert ("bill", draft_bill.pk) not in mirror

    curator = curator_client()
    # Publish a bill (with its draft source), then record a backdated status change.
    url = "/api/v1/bills/draft-bill/"
    assert curator.post(f"{url}publish/?with_dependents=1").status_code == 200, "publish"
    bill_services.bill_change_status(
        bill=Bill.objects.get(pk=draft_bill.pk),
        to_status="submitted",
        occurred_on=datetime.date(2016, 3, 1),
        skips_unrecorded_steps=True,
    )
    # Unpublish a statement, delete a bill, rename the speaker.
    assert curator.post("/api/v1/statements/hidden-later/unpublish/").status_code == 200
    response = curator.delete(
        "/api/v1/bills/doomed/", HTTP_IF_MATCH=etag(curator, "/api/v1/bills/doomed/")
    )
    assert response.status_code == 204
    response = curator.patch(
        "/api/v1/people/speaker/",
        {"slug": "speaker-renamed", "name": "Renamed Speaker"},
        format="json",
        HTTP_IF_MATCH=etag(curator, "/api/v1/people/speaker/"),
    )
    assert response.status_code == 200, response.content
    # Embedded edits: a cited source's title, a contradicting citation, a statement's text.
    source_url = f"/api/v1/sources/{old_source.pk}/"
    response = curator.patch(
        source_url,
        {"title": "Corrected title"},
        format="json",
        HTTP_IF_MATCH=etag(curator, source_url),
    )
    assert response.status_code == 200, response.content
    response = curator.post(
        "/api/v1/citations/",
        {
            "record_type": "statement",
            "record_id": quoted.pk,
            "source": old_source.pk,
            "excerpt": "The ministry denies it.",
            "relation": "contradicts",
            "claimed_value": "No such plan",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    response = curator.patch(
        "/api/v1/statements/quoted/",
        {"text": "Fixed quote text."},
        format="json",
        HTTP_IF_MATCH=etag(curator, "/api/v1/statements/quoted/"),
    )
    assert response.status_code == 200, response.content

    follow(api_client, mirror, cursor)
    fresh = crawl(api_client)
    assert ("billaction", action.pk) in fresh
    assert BillAction.objects.filter(bill=draft_bill).count() == 2
    assert sorted(mirror) == sorted(fresh)
    assert mirror == fresh
