"""Truthful freshness: `updated_since`, Last-Modified/If-Modified-Since and ETags move when a
record's public representation changes, including visibility and embedded changes; and
`status_recorded_since` finds a backdated status change recorded today."""

import datetime
import time

import pytest
from django.utils import timezone
from django.utils.http import parse_http_date

from bills import services as bill_services
from bills.models import Bill, StatementBill, Topic
from sources import services as source_services
from tests.bills.factories import (
    BillFactory,
    MembershipFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def since(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item.get("slug", item.get("id")) for item in response.json()["results"]]


def test_a_record_that_becomes_public_through_its_bill_is_updated_since(api_client):
    bill = BillFactory(slug="late", is_published=False)
    sponsorship = SponsorshipFactory(bill=bill)
    moment = timezone.now()
    bill_services.bill_publish(bill=bill)
    listed = api_client.get("/api/v1/sponsorships/", {"updated_since": since(moment)}).json()
    assert [item["id"] for item in listed["results"]] == [sponsorship.pk]


def test_publishing_a_cited_source_moves_the_citing_record(api_client):
    bill = BillFactory(slug="cites-a-draft")
    source = SourceFactory(is_published=False)
    citation = CitationFactory(record=bill, source=source)
    moment = timezone.now()
    source_services.source_publish(source=source)
    assert slugs(api_client.get("/api/v1/bills/", {"updated_since": since(moment)})) == [
        "cites-a-draft"
    ]
    citations = api_client.get("/api/v1/citations/", {"updated_since": since(moment)}).json()
    assert [item["id"] for item in citations["results"]] == [citation.pk]


def test_conditional_get_sees_an_embedded_statements_fix(api_client):
    bill = BillFactory(slug="embeds")
    statement = StatementFactory(text="Typo'd text.")
    CitationFactory(record=statement)
    bill_services.statement_set_stance(
        statement=statement,
        bill=bill,
        stance="support",
        citations=[{"source": SourceFactory(), "excerpt": "We back it."}],
    )
    url = "/api/v1/bills/embeds/?include=statements"
    first = api_client.get(url)
    assert StatementBill.objects.filter(bill=bill).exists()
    time.sleep(1.1)  # HTTP dates have whole seconds
    bill_services.statement_update(statement=statement, values={"text": "Fixed text."})
    by_date = api_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200
    assert "Fixed text." in by_date.content.decode()
    by_tag = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_tag.status_code == 200
    unchanged = api_client.get(url, HTTP_IF_NONE_MATCH=by_tag["ETag"])
    assert unchanged.status_code == 304


def test_renaming_a_speaker_moves_the_statement(api_client):
    statement = StatementFactory(slug="said")
    CitationFactory(record=statement)
    first = api_client.get("/api/v1/statements/said/")
    moment = timezone.now()
    time.sleep(1.1)
    bill_services.person_update(person=statement.speaker_person, values={"name": "New Name"})
    assert slugs(api_client.get("/api/v1/statements/", {"updated_since": since(moment)})) == [
        "said"
    ]
    again = api_client.get(
        "/api/v1/statements/said/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_status_recorded_since_finds_a_backdated_action_recorded_now(api_client):
    bill = BillFactory(slug="backdated")
    moment = timezone.now()
    bill_services.bill_change_status(
        bill=bill, to_status="drafted", occurred_on=datetime.date(2016, 1, 5)
    )
    today = timezone.localdate().isoformat()
    assert slugs(api_client.get("/api/v1/bills/", {"status_changed_since": today})) == []
    assert slugs(api_client.get("/api/v1/bills/", {"status_recorded_since": since(moment)})) == [
        "backdated"
    ]
    later = since(timezone.now() + datetime.timedelta(minutes=1))
    assert slugs(api_client.get("/api/v1/bills/", {"status_recorded_since": later})) == []
    response = api_client.get("/api/v1/bills/", {"status_recorded_since": "yesterday"})
    assert response.status_code == 400 and "status_recorded_since" in response.content.decode()
    assert Bill.objects.get(pk=bill.pk).status == "drafted"


def test_renaming_a_sponsor_moves_the_bill_that_shows_it(api_client):
    person = PersonFactory()
    SponsorshipFactory(bill=BillFactory(slug="sponsored"), person=person, organization=None)
    url = "/api/v1/bills/sponsored/?include=sponsors"
    first = api_client.get(url)
    time.sleep(1.1)
    bill_services.person_update(person=person, values={"name": "Renamed Sponsor"})
    again = api_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert "Renamed Sponsor" in again.content.decode()


def test_topics_take_updated_since(api_client):
    moment = timezone.now()
    bill_services.topic_create(values={"slug": "land", "name": "Land"})
    assert slugs(api_client.get("/api/v1/topics/", {"updated_since": since(moment)})) == ["land"]
    later = since(timezone.now() + datetime.timedelta(minutes=1))
    assert slugs(api_client.get("/api/v1/topics/", {"updated_since": later})) == []


def test_a_lists_last_modified_never_moves_back_when_a_record_leaves_it(api_client):
    older = bill_services.bill_create(
        values={"slug": "older", "title": "Older bill", "short_title": "Older"}
    )
    bill_services.bill_publish(bill=older)
    time.sleep(1.1)
    newer = bill_services.bill_create(
        values={"slug": "newer", "title": "Newer bill", "short_title": "Newer"}
    )
    bill_services.bill_publish(bill=newer)
    first = api_client.get("/api/v1/bills/")
    assert slugs(first) == ["newer", "older"] or slugs(first) == ["older", "newer"]
    time.sleep(1.1)
    bill_services.bill_unpublish(bill=Bill.objects.get(slug="newer"))
    by_date = api_client.get("/api/v1/bills/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200
    assert slugs(by_date) == ["older"]
    assert parse_http_date(by_date["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    # An empty page still dates from the change that emptied it.
    bill_services.bill_unpublish(bill=Bill.objects.get(slug="older"))
    time.sleep(1.1)
    empty = api_client.get("/api/v1/bills/", HTTP_IF_MODIFIED_SINCE=by_date["Last-Modified"])
    assert empty.status_code == 200 and slugs(empty) == []
    assert empty["Last-Modified"]


def test_a_drafts_changes_do_not_date_the_public_list(api_client, curator_client):
    bill_services.bill_publish(
        bill=bill_services.bill_create(
            values={"slug": "shown", "title": "Shown bill", "short_title": "Shown"}
        )
    )
    time.sleep(1.1)  # past the second of the change (policytracker.api.last_modified_of)
    public = api_client.get("/api/v1/bills/")
    bill_services.bill_create(
        values={"slug": "hidden-draft", "title": "Draft bill", "short_title": "Draft"}
    )
    time.sleep(1.1)
    assert api_client.get("/api/v1/bills/")["Last-Modified"] == public["Last-Modified"]
    curated = curator_client.get("/api/v1/bills/")
    assert parse_http_date(curated["Last-Modified"]) > parse_http_date(public["Last-Modified"])


def test_renaming_a_topic_moves_the_records_tagged_with_it(api_client):
    topic = bill_services.topic_create(values={"slug": "security", "name": "Security"})
    BillFactory(slug="tagged").topics.add(topic)
    StatementFactory(slug="tagged-statement").topics.add(topic)
    BillFactory(slug="untagged")
    moment = timezone.now()
    bill_services.topic_update(topic=topic, values={"slug": "information-security"})
    assert slugs(api_client.get("/api/v1/bills/", {"updated_since": since(moment)})) == ["tagged"]
    statements = api_client.get("/api/v1/statements/", {"updated_since": since(moment)})
    assert slugs(statements) == ["tagged-statement"]
    assert api_client.get("/api/v1/bills/tagged/").json()["topics"] == ["information-security"]
    moment = timezone.now()
    bill_services.topic_delete(topic=Topic.objects.get(pk=topic.pk))
    assert slugs(api_client.get("/api/v1/bills/", {"updated_since": since(moment)})) == ["tagged"]
    assert api_client.get("/api/v1/bills/tagged/").json()["topics"] == []


@pytest.mark.parametrize(
    ("url", "change"),
    [
        ("/api/v1/bills/stanced/?include=statements", "stance"),
        ("/api/v1/people/member/?include=memberships", "membership"),
    ],
)
def test_if_modified_since_sees_changes_inside_an_include(api_client, url, change):
    bill = BillFactory(slug="stanced")
    statement = StatementFactory()
    CitationFactory(record=statement)
    bill_services.statement_set_stance(
        statement=statement,
        bill=bill,
        stance="support",
        citations=[{"source": SourceFactory(), "excerpt": "We back it."}],
    )
    membership = MembershipFactory(person=PersonFactory(slug="member"), role="Deputy")
    first = api_client.get(url)
    assert first.status_code == 200
    time.sleep(1.1)
    if change == "stance":
        bill_services.statement_set_stance(statement=statement, bill=bill, stance="oppose")
        expected = '"oppose"'
    else:
        bill_services.membership_update(membership=membership, values={"role": "Chairman"})
        expected = "Chairman"
    again = api_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert expected in again.content.decode()
