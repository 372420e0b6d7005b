"""Every list endpoint costs a fixed number of queries, whatever the page size or `include`."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bills.api import lean
from bills.models import BillPackage, StatementBill
from bills.services import bill_change_status
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    SponsorshipFactory,
    StatementFactory,
    TopicFactory,
)
from tests.sources.factories import CitationFactory

pytestmark = pytest.mark.django_db


def build_records(count: int) -> None:
    """`count` of every kind of record, each with citations, related rows and every reference
    filled (the gate checks each reference shown, so the selectors must select them)."""
    for _ in range(count):
        topic = TopicFactory()
        chamber = OrganizationFactory(classification="chamber")
        event = EventFactory(organizer=OrganizationFactory(parent=chamber))
        bill = BillFactory(
            summary="Counter-terrorism measures",
            package=BillPackage.objects.create(
                slug=f"package-{chamber.pk}", name="Package", is_published=True
            ),
            originating_chamber=chamber,
        )
        bill.topics.add(topic)
        bill.identifiers.create(scheme="adilet", identifier=f"Z{bill.pk:09d}")
        CitationFactory(record=bill)
        action = bill_change_status(
            bill=bill, to_status="announced", occurred_on=datetime.date(2016, 9, 1), actor=chamber
        )
        CitationFactory(record=action)
        sponsorship = SponsorshipFactory(bill=bill, chamber=chamber)
        CitationFactory(record=sponsorship)
        CitationFactory(record=sponsorship.organization)
        membership = MembershipFactory(organization=chamber)
        statement = StatementFactory(
            event=event,
            text="Terrorism must be prevented.",
            speaker_person=membership.person,
            speaker_membership=membership,
            on_behalf_of=chamber,
        )
        statement.topics.add(topic)
        StatementBill.objects.create(statement=statement, bill=bill, stance="support")
        CitationFactory(record=statement)
        CitationFactory(record=membership)
        statement.speaker_person.other_names.create(name=f"Other {bill.pk}")
        statement.speaker_person.other_names.create(name=f"Nurgali {bill.pk}")  # for ?q=
        CitationFactory(record=statement.speaker_person)


# (endpoint, expected queries): the page, one per prefetch, the change log's newest date
# (Last-Modified), and one content-type lookup per kind of cited record (cached per process
# in production; cleared here so counts are exact). Bills and statements are one query whose
# rows PostgreSQL writes as JSON (bills/api/documents.py); the content-type lookups are those
# of compiling it (cached per process too, and cleared here). A person reference asks two more
# (person and person name: whether the name is disputed), a stance its own (its excerpts).
LIST_ENDPOINTS = [
    ("/api/v1/bills/", 3),
    ("/api/v1/bills/?include=sponsors,actions,statements", 9),
    ("/api/v1/bills/?q=terrorism", 4),  # the ranking, then the page's documents
    ("/api/v1/bill-actions/", 4),
    ("/api/v1/sponsorships/", 6),
    ("/api/v1/people/", 7),
    ("/api/v1/people/?include=memberships", 10),
    ("/api/v1/people/?q=Nurgali", 7),
    ("/api/v1/organizations/", 4),
    ("/api/v1/memberships/", 6),
    ("/api/v1/events/", 4),
    ("/api/v1/statements/", 6),
    ("/api/v1/statements/?q=terrorism", 7),
    ("/api/v1/sources/", 2),
    ("/api/v1/citations/", 3),
    ("/api/v1/topics/", 2),
]


def count_queries(client, url: str, page_size: int) -> tuple[int, int]:
    separator = "&" if "?" in url else "?"
    # Content types and compiled documents are cached per process; start cold so the count is
    # the same in any order.
    ContentType.objects.clear_cache()
    lean.clear_compiled_documents()
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"{url}{separator}page_size={page_size}")
    assert response.status_code == 200, response.content
    return len(context.captured_queries), len(response.json()["results"])


def test_query_count_does_not_grow_with_page_size(client):
    # One data set for every endpoint: building 100 of everything is the slow part.
    build_records(100)
    measured = {}
    for url, _ in LIST_ENDPOINTS:
        few, few_rows = count_queries(client, url, 5)
        many, many_rows = count_queries(client, url, 100)
        assert (few_rows, many_rows) == (5, 100), url
        measured[url] = (few, many)
    expected = {url: (count, count) for url, count in LIST_ENDPOINTS}
    assert measured == expected


def test_detail_with_everything_included_is_constant(client):
    build_records(3)
    from bills.models import Bill

    slug = Bill.objects.first().slug
    ContentType.objects.clear_cache()
    lean.clear_compiled_documents()
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/api/v1/bills/{slug}/?include=sponsors,actions,statements")
    assert response.status_code == 200
    # The record as JSON, seven content types (compiling it, once per process), the change log.
    assert len(context.captured_queries) == 9
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"/api/v1/bills/{slug}/?include=sponsors,actions,statements")
    assert len(context.captured_queries) == 2  # warm: the record and the change log
