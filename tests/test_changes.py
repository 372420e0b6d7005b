"""The change log: every service path writes its events in the same transaction, embedded
changes log the records that show them, and `/api/v1/changes/` serves them through the gate."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bills import services as bill_services
from bills.models import Bill
from policytracker.changes.models import ChangeEvent
from policytracker.changes.signals import change_recorded
from sources import services as source_services
from tests.bills.factories import (
    BillFactory,
    OrganizationFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def curator_client() -> APIClient:
    user = User.objects.create_user("changes-curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def events_after(seq: int) -> list[tuple[str, int, str]]:
    return [(e.record_type, e.record_id, e.event) for e in ChangeEvent.objects.filter(seq__gt=seq)]


def last_seq() -> int:
    return ChangeEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def feed(client, **params) -> dict:
    response = client.get("/api/v1/changes/", params)
    assert response.status_code == 200, response.content
    return response.json()


# -- writers -----------------------------------------------------------------------------------


def test_create_update_rename_and_delete_write_events():
    bill = bill_services.bill_create(
        values={"slug": "b1", "title": "A bill", "title_status": "verified", "short_title": "Bill"}
    )
    bill = bill_services.bill_update(bill=bill, values={"summary": "New"})
    bill = bill_services.bill_update(bill=bill, values={"slug": "b2"})
    start = ChangeEvent.objects.filter(record_type="bill", record_id=bill.pk)
    assert [(e.event, e.version, e.public) for e in start] == [
        ("created", 1, False),
        ("updated", 2, False),
        ("renamed", 3, False),
    ]
    assert start[1].changed == {"summary": "New"}
    assert (start[2].old_slug, start[2].slug) == ("b1", "b2")
    assert start[0].bill_ids == [bill.pk]
    pk = bill.pk
    bill_services.bill_delete(bill=bill)
    deleted = ChangeEvent.objects.filter(record_type="bill", record_id=pk).last()
    assert (deleted.event, deleted.version, deleted.public, deleted.slug) == (
        "deleted",
        0,
        False,
        "b2",
    )


def test_publish_and_unpublish_write_public_events_and_follow_dependents():
    source = SourceFactory(is_published=False)
    bill = BillFactory(is_published=False)
    # Published itself, hidden while its bill is a draft.
    SponsorshipFactory(bill=bill, organization=OrganizationFactory())
    mark = last_seq()
    bill_services.bill_publish(bill=bill)
    published = ChangeEvent.objects.filter(seq__gt=mark)
    assert {(e.record_type, e.event, e.public) for e in published} == {
        ("bill", "published", True),
        ("sponsorship", "published", True),
    }
    # A draft source's citation is hidden; publishing the source shows it inside the bill.
    citation = source_services.citation_add(record=bill, source=source, excerpt="It says so.")
    mark = last_seq()
    source_services.source_publish(source=source)
    assert set(events_after(mark)) == {
        ("source", source.pk, "published"),
        ("citation", citation.pk, "published"),
        ("bill", bill.pk, "updated"),
    }
    mark = last_seq()
    bill_services.bill_unpublish(bill=Bill.objects.get(pk=bill.pk))
    tombstones = ChangeEvent.objects.filter(seq__gt=mark)
    assert {(e.record_type, e.event, e.public) for e in tombstones} >= {
        ("bill", "unpublished", True),
        ("sponsorship", "unpublished", True),
        ("citation", "unpublished", True),
    }


def test_delete_leaves_tombstones_for_what_it_cascades():
    bill = BillFactory()
    citation = CitationFactory(record=bill)
    mark = last_seq()
    bill_services.bill_delete(bill=bill)
    assert set(events_after(mark)) == {
        ("bill", bill.pk, "deleted"),
        ("citation", citation.pk, "deleted"),
    }
    assert all(e.public for e in ChangeEvent.objects.filter(seq__gt=mark))


def test_citation_changes_log_the_cited_record():
    statement = StatementFactory()
    CitationFactory(record=statement)
    mark = last_seq()
    citation = source_services.citation_add(
        record=statement,
        source=SourceFactory(),
        excerpt="Contradicts it.",
        relation="contradicts",
        claimed_value="Something else",
    )
    assert events_after(mark) == [
        ("citation", citation.pk, "created"),
        ("statement", statement.pk, "updated"),
    ]
    mark = last_seq()
    source_services.citation_update(citation=citation, values={"excerpt": "Fixed."})
    assert ("statement", statement.pk, "updated") in events_after(mark)
    mark = last_seq()
    source_services.citation_remove(citation=citation)
    assert events_after(mark) == [
        ("citation", citation.pk, "deleted"),
        ("statement", statement.pk, "updated"),
    ]


def test_source_edit_and_person_rename_reach_the_records_showing_them():
    person = PersonFactory(slug="old-name")
    statement = StatementFactory(speaker_person=person)
    citation = CitationFactory(record=statement)
    mark = last_seq()
    source_services.source_update(source=citation.source, values={"title": "Corrected title"})
    assert ("statement", statement.pk, "updated") in events_after(mark)
    mark = last_seq()
    bill_services.person_update(person=person, values={"slug": "new-name", "name": "New Name"})
    after = events_after(mark)
    assert after[0] == ("person", person.pk, "renamed")
    assert ("statement", statement.pk, "updated") in after
    version = statement.version
    statement.refresh_from_db()
    assert statement.version > version


def test_status_change_logs_status_changed_and_the_action():
    bill = BillFactory()
    mark = last_seq()
    action = bill_services.bill_change_status(
        bill=bill, to_status="drafted", occurred_on=datetime.date(2016, 1, 5)
    )
    events = list(ChangeEvent.objects.filter(seq__gt=mark))
    assert [(e.record_type, e.record_id, e.event) for e in events][:2] == [
        ("billaction", action.pk, "created"),
        ("bill", bill.pk, "status_changed"),
    ]
    assert events[1].changed == {
        "status": "drafted",
        "status_changed_on": "2016-01-05",
        "status_changed_precision": "day",
    }
    assert events[0].bill_ids == [bill.pk]


def test_a_failed_write_leaves_no_event():
    bill = BillFactory()
    mark = last_seq()
    with pytest.raises(ValidationError):
        bill_services.bill_update(bill=bill, values={"slug": "not a slug"})
    assert events_after(mark) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_change_recorded_is_sent_after_commit():
    seen = []

    def listener(sender, seq, **kwargs):
        seen.append(seq)

    change_recorded.connect(listener)
    try:
        bill = BillFactory()
        bill_services.bill_update(bill=bill, values={"summary": "Changed"})
    finally:
        change_recorded.disconnect(listener)
    assert seen == [ChangeEvent.objects.get(record_id=bill.pk, event="updated").seq]


# -- the feed ----------------------------------------------------------------------------------


def test_anonymous_feed_never_shows_drafts_edits(api_client):
    draft = bill_services.bill_create(
        values={
            "slug": "secret-draft",
            "title": "Secret",
            "title_status": "verified",
            "short_title": "Bill",
        }
    )
    bill_services.bill_update(bill=draft, values={"summary": "Still secret"})
    page = feed(api_client)
    assert page["results"] == []
    assert "secret" not in str(page)
    curator = feed(curator_client())
    assert [item["event"] for item in curator["results"]] == ["created", "updated"]


def test_feed_serves_published_with_its_representation_and_tombstones_without_content(
    api_client,
):
    bill = BillFactory(is_published=False, slug="kz-law", summary="Hidden summary")
    mark = last_seq()
    bill_services.bill_publish(bill=bill)
    published = feed(api_client, after=mark)["results"]
    assert [(i["record_type"], i["event"]) for i in published] == [("bill", "published")]
    assert published[0]["data"]["slug"] == "kz-law"
    assert published[0]["data"]["summary"] == "Hidden summary"
    assert published[0]["url"].endswith("/api/v1/bills/kz-law/")
    mark = last_seq()
    bill_services.bill_unpublish(bill=Bill.objects.get(pk=bill.pk))
    [tombstone] = feed(api_client, after=mark)["results"]
    assert set(tombstone) == {"seq", "recorded_at", "record_type", "record_id", "slug", "event"}
    assert tombstone["event"] == "unpublished"
    # An earlier event of a record no longer public carries no content either.
    earlier = feed(api_client)["results"]
    assert all(item.get("data") is None for item in earlier)


def test_feed_pages_with_after_and_next(api_client):
    for n in range(5):
        BillFactory(slug=f"paged-{n}")
        bill_services.bill_update(bill=Bill.objects.get(slug=f"paged-{n}"), values={"summary": "x"})
    first = feed(api_client, limit=2)
    assert [item["seq"] for item in first["results"]] == sorted(
        item["seq"] for item in first["results"]
    )
    second = api_client.get(first["next"]).json()
    assert second["results"][0]["seq"] > first["results"][-1]["seq"]
    assert first["latest"] == last_seq()
    empty = api_client.get(f"/api/v1/changes/?after={last_seq()}").json()
    assert empty["results"] == [] and f"after={last_seq()}" in empty["next"]


def test_feed_filters_by_record_type_and_bill(api_client):
    one, other = BillFactory(slug="one"), BillFactory(slug="other")
    bill_services.bill_update(bill=one, values={"summary": "a"})
    bill_services.bill_update(bill=other, values={"summary": "b"})
    CitationFactory(record=one)
    source_services.citation_add(record=one, source=SourceFactory(), excerpt="More.")
    by_bill = feed(api_client, bill="one")["results"]
    assert by_bill and all(
        item["record_id"] == one.pk or item["record_type"] == "citation" for item in by_bill
    )
    citations = feed(api_client, record_type="citation")["results"]
    assert [item["record_type"] for item in citations] == ["citation"]
    bill_services.bill_update(bill=Bill.objects.get(pk=one.pk), values={"slug": "one-renamed"})
    assert feed(api_client, bill="one")["results"][-1]["event"] == "renamed"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"after": "-1"}, "after"),
        ({"after": "x"}, "after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"record_type": "nonsense"}, "record_type"),
        ({"bill": "no-such-bill"}, "bill"),
        # Empty is not "every bill" (most events have an empty old slug).
        ({"bill": ""}, "bill"),
        ({"bill": "a b"}, "bill"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_feed_refuses_bad_parameters_naming_the_field(api_client, params, field):
    response = api_client.get("/api/v1/changes/", params)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_feed_query_count_does_not_grow_with_events(api_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(12):
        bill = BillFactory(slug=f"many-{n}")
        CitationFactory(record=bill)
        bill_services.bill_update(bill=bill, values={"summary": f"s{n}"})
        source_services.citation_add(record=bill, source=SourceFactory(), excerpt="Also.")
    counts = {}
    for limit in (4, 200):
        with CaptureQueriesContext(connection) as context:
            page = feed(api_client, limit=limit)
        counts[limit] = len(context.captured_queries)
        assert len(page["results"]) == min(limit, 36)
    assert counts[4] == counts[200]
    # Events page and latest, then bills and citations with their selectors' prefetches.
    assert counts[200] <= 14, counts


# -- the admin writes through the same services -------------------------------------------------


def test_an_admin_edit_writes_events(client):
    from django.contrib.auth.models import Group, User

    from tests.admin_pages import change_url, posted_form

    user = User.objects.create_user("admin-curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    person = PersonFactory(slug="before-admin")
    statement = StatementFactory(speaker_person=person)
    CitationFactory(record=statement)
    mark = last_seq()
    data = posted_form(client.get(change_url(person)))
    data["slug"] = "after-admin"
    response = client.post(change_url(person), data)
    assert response.status_code == 302
    events = list(ChangeEvent.objects.filter(seq__gt=mark))
    renamed = [e for e in events if e.record_type == "person"]
    assert [(e.event, e.old_slug, e.slug) for e in renamed] == [
        ("renamed", "before-admin", "after-admin")
    ]
    assert ("statement", statement.pk, "updated") in events_after(mark)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_commit_in_seq_order():
    """A writer that starts while another holds uncommitted events waits for it, so a reader
    at `after=<seq>` never misses an event that commits later with a smaller seq."""
    import threading
    import time

    from django.db import connection, transaction

    first, second = BillFactory(slug="first"), BillFactory(slug="second")
    written, finished = threading.Event(), {}

    def slow_writer():
        with transaction.atomic():
            bill_services.bill_update(bill=first, values={"summary": "slow"})
            written.set()
            time.sleep(0.5)
            finished["slow"] = time.monotonic()
        connection.close()

    def quick_writer():
        written.wait()
        bill_services.bill_update(bill=second, values={"summary": "quick"})
        finished["quick"] = time.monotonic()
        connection.close()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=quick_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slow = ChangeEvent.objects.get(record_id=first.pk, event="updated")
    quick = ChangeEvent.objects.get(record_id=second.pk, event="updated")
    assert slow.seq < quick.seq
    assert finished["quick"] >= finished["slow"]
