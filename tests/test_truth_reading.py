"""What a reader is told where the record is uncertain: a bill's unknown fate, a disputed name,
the order in which things were said, and whether a source was archived."""

import datetime

import pytest

from bills import services
from bills.fate import date_words, fate_note
from bills.models import PersonNameKind, Statement
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db
UNKNOWN = {"occurred_on": None, "occurred_precision": "unknown"}


# -- fate ----------------------------------------------------------------------------------------


def test_dates_are_written_only_as_precisely_as_known():
    day = datetime.date(2016, 11, 1)
    assert date_words(day, "day") == "1 November 2016"
    assert date_words(day, "month") == "November 2016"
    assert date_words(day, "year") == "2016"
    assert date_words(None, "unknown") is None


def test_a_bill_whose_later_fate_is_unrecorded_says_so(api_client):
    announced = BillFactory(slug="announced")
    services.bill_change_status(
        bill=announced, to_status="announced", occurred_on=datetime.date(2016, 9, 1)
    )
    adopted = BillFactory(slug="adopted", last_verified_on=datetime.date(2026, 11, 30))
    services.bill_change_status(bill=adopted, to_status="submitted", **UNKNOWN)
    services.bill_change_status(
        bill=adopted,
        to_status="mazhilis_first_reading",
        occurred_on=datetime.date(2016, 11, 1),
        occurred_precision="month",
        skips_unrecorded_steps=True,
    )
    in_force = BillFactory(slug="in-force")
    services.bill_change_status(bill=in_force, to_status="submitted", **UNKNOWN)
    services.bill_change_status(
        bill=in_force, to_status="in_force", skips_unrecorded_steps=True, **UNKNOWN
    )
    BillFactory(slug="nothing-recorded")

    rows = {row["slug"]: row for row in api_client.get("/api/v1/bills/").json()["results"]}

    assert rows["announced"]["fate"] == (
        "Fate unknown after the last recorded step: Announced (1 September 2016)."
    )
    assert rows["adopted"]["fate"] == (
        "Fate unknown after the last recorded step: Approved in first reading (Mazhilis) "
        "(November 2016). Sources last checked on 30 November 2026."
    )
    assert rows["adopted"]["last_verified_on"] == "2026-11-30"
    assert rows["in-force"]["fate"] is None
    assert rows["nothing-recorded"]["fate"].startswith("No step of this bill is recorded")
    assert rows["announced"]["last_verified_on"] is None
    detail = api_client.get("/api/v1/bills/announced/").json()
    assert detail["fate"] == rows["announced"]["fate"]
    bill = announced.__class__.objects.get(slug="announced")
    assert fate_note(bill) == rows["announced"]["fate"]


def test_a_step_of_unknown_date_is_said_so():
    bill = BillFactory()
    services.bill_change_status(bill=bill, to_status="drafted", **UNKNOWN)
    bill.refresh_from_db()
    assert fate_note(bill) == "Fate unknown after the last recorded step: Drafted (date unknown)."


# -- disputed names ------------------------------------------------------------------------------


def disputed_person(*, source_published: bool = True):
    person = PersonFactory(slug="bilisbekov", name="Nurlan Bilisbekov")
    other = services.person_name_create(
        values={"person": person, "name": "Nurgali Bilisbekov", "kind": PersonNameKind.CONFLICTING}
    )
    source = SourceFactory(is_published=source_published, title="Another paper")
    CitationFactory(record=other, source=source, excerpt="Nurgali Bilisbekov, deputy chairman")
    return person, source


def test_every_place_showing_a_disputed_name_flags_it(api_client):
    person, source = disputed_person()
    plain = PersonFactory(slug="plain")
    statement = StatementFactory(slug="said", speaker_person=person)
    CitationFactory(record=statement)
    bill = BillFactory(slug="the-bill")
    SponsorshipFactory(bill=bill, person=person, organization=None)
    MembershipFactory(person=person)
    expected = [
        {
            "name": "Nurgali Bilisbekov",
            "sources": [
                {
                    "id": source.pk,
                    "url": source.url,
                    "title": "Another paper",
                    "excerpt": "Nurgali Bilisbekov, deputy chairman",
                }
            ],
        }
    ]

    refs = [
        api_client.get("/api/v1/people/bilisbekov/").json(),
        api_client.get("/api/v1/statements/said/").json()["speaker_person"],
        api_client.get("/api/v1/sponsorships/").json()["results"][0]["person"],
        api_client.get("/api/v1/memberships/").json()["results"][0]["person"],
        api_client.get("/api/v1/bills/the-bill/?include=sponsors").json()["sponsors"][0]["person"],
        api_client.get("/api/v1/people/bilisbekov/?include=memberships").json()["memberships"][0][
            "person"
        ],
    ]

    for ref in refs:
        assert ref["name_disputed"] is True, ref
        assert ref["disputed_names"] == expected, ref
    listed = {p["slug"]: p for p in api_client.get("/api/v1/people/").json()["results"]}
    assert listed["bilisbekov"]["name_disputed"] is True
    assert (listed["plain"]["name_disputed"], listed["plain"]["disputed_names"]) == (False, [])
    assert plain.pk


def test_a_contradicting_citation_on_a_name_field_flags_the_name(api_client):
    person = PersonFactory(slug="disputed-given-name")
    CitationFactory(
        record=person,
        field_name="given_name",
        relation="contradicts",
        claimed_value="Nurgali",
        excerpt="Names him Nurgali.",
    )
    shown = api_client.get("/api/v1/people/disputed-given-name/").json()
    assert (shown["name_disputed"], shown["disputed_names"]) == (True, [])


def test_a_draft_source_of_a_disputed_name_is_not_shown_to_the_public(api_client, curator_client):
    disputed_person(source_published=False)
    public = api_client.get("/api/v1/people/bilisbekov/").json()
    curator = curator_client.get("/api/v1/people/bilisbekov/").json()
    assert public["disputed_names"] == [{"name": "Nurgali Bilisbekov", "sources": []}]
    assert curator["disputed_names"][0]["sources"][0]["title"] == "Another paper"


# -- order spoken --------------------------------------------------------------------------------


def test_statements_at_an_event_keep_the_order_spoken(api_client):
    event = EventFactory(slug="roundtable")
    day = datetime.date(2016, 9, 22)
    for slug, sequence in (("c-third", 3), ("a-second", 2), ("b-first", 1)):
        StatementFactory(
            slug=slug, event=event, sequence=sequence, said_on=day, said_precision="day"
        )
    StatementFactory(slug="undated", said_on=None)
    StatementFactory(slug="earlier", said_on=datetime.date(2016, 9, 1), said_precision="day")

    by_event = api_client.get("/api/v1/statements/?event=roundtable").json()["results"]
    by_date = api_client.get("/api/v1/statements/?ordering=said_on").json()["results"]
    backwards = api_client.get("/api/v1/statements/?ordering=-said_on").json()["results"]

    assert [s["slug"] for s in by_event] == ["b-first", "a-second", "c-third"]
    assert [s["sequence"] for s in by_event] == [1, 2, 3]
    assert [s["slug"] for s in by_date] == ["earlier", "b-first", "a-second", "c-third", "undated"]
    assert [s["slug"] for s in backwards] == [s["slug"] for s in reversed(by_date)]


def test_ordering_by_date_pages_through_unknown_dates(api_client):
    for n in range(3):
        StatementFactory(slug=f"undated-{n}", said_on=None)
    StatementFactory(slug="dated", said_on=datetime.date(2016, 9, 22), said_precision="day")
    seen, url = [], "/api/v1/statements/?ordering=said_on&page_size=1"
    while url:
        page = api_client.get(url)
        assert page.status_code == 200, page.content
        seen += [s["slug"] for s in page.json()["results"]]
        url = page.json()["next"]
    assert seen == ["dated", "undated-0", "undated-1", "undated-2"]


def test_a_position_needs_an_event_and_is_unique_in_it(curator_client):
    event = EventFactory(slug="sitting")
    taken = StatementFactory(event=event, sequence=1)
    CitationFactory(record=taken)
    other = StatementFactory(slug="other")
    CitationFactory(record=other)
    path = "/api/v1/statements/other/"

    without_event = curator_client.patch(
        path, {"sequence": 2}, format="json", HTTP_IF_MATCH=curator_client.get(path)["ETag"]
    )
    assert without_event.status_code == 400
    assert "sequence" in without_event.json()["errors"]

    twice = curator_client.patch(
        path,
        {"event": "sitting", "sequence": 1},
        format="json",
        HTTP_IF_MATCH=curator_client.get(path)["ETag"],
    )
    assert twice.status_code in (400, 409), twice.content
    assert "already has this position" in twice.content.decode()
    assert Statement.objects.get(slug="other").sequence is None


def test_deleting_an_event_keeps_its_statements_without_a_position():
    event = EventFactory()
    statement = StatementFactory(event=event, sequence=1)
    services.event_delete(event=event)
    statement.refresh_from_db()
    assert (statement.event, statement.sequence) == (None, None)


# -- sources -------------------------------------------------------------------------------------


def test_sources_say_whether_they_were_archived(api_client):
    archived = SourceFactory(
        archived_url="https://web.archive.org/web/2016/https://example.org/a",
        accessed_on=datetime.date(2026, 12, 1),
    )
    plain = SourceFactory()
    bill = BillFactory(slug="cited")
    CitationFactory(record=bill, source=archived)
    CitationFactory(record=bill, source=plain)

    cited = api_client.get("/api/v1/bills/cited/").json()["sources"]
    listed = {s["id"]: s for s in api_client.get("/api/v1/sources/").json()["results"]}

    by_id = {c["source"]["id"]: c["source"] for c in cited}
    assert by_id[archived.pk]["archived"] is True
    assert by_id[archived.pk]["accessed_on"] == "2026-12-01"
    assert (by_id[plain.pk]["archived"], by_id[plain.pk]["archived_url"]) == (False, "")
    assert by_id[plain.pk]["accessed_on"] is None
    assert listed[plain.pk]["archived"] is False and listed[archived.pk]["archived"] is True
