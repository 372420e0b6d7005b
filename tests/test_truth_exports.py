"""Bulk data carries what a reader is told: each stance's excerpts, a bill's fate, a disputed
name, the order spoken, whether a source was archived."""

import csv
import datetime
import io

import pytest

from bills import services
from bills.models import PersonNameKind
from tests.bills.factories import BillFactory, EventFactory, PersonFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def table(client, path: str) -> list[dict]:
    response = client.get(f"/api/v1/{path}/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_tables_carry_the_truth_fields(api_client):
    person = PersonFactory(slug="bilisbekov")
    other = services.person_name_create(
        values={"person": person, "name": "Nurgali Bilisbekov", "kind": PersonNameKind.CONFLICTING}
    )
    CitationFactory(record=other)
    event = EventFactory()
    statement = StatementFactory(slug="said", speaker_person=person, event=event, sequence=2)
    CitationFactory(record=statement)
    bill = BillFactory(slug="roads")
    services.bill_change_status(
        bill=bill, to_status="announced", occurred_on=datetime.date(2016, 9, 1)
    )
    source = SourceFactory(url="https://news.example.org/backing")
    services.statement_set_stance(
        statement=statement,
        bill=bill,
        stance="support",
        citations=[{"source": source, "excerpt": "We back the roads bill."}],
    )

    (said,) = table(api_client, "statements")
    (roads,) = table(api_client, "bills")
    people = {row["slug"]: row for row in table(api_client, "people")}
    sources = table(api_client, "sources")

    assert (said["stance"], said["stance_excerpts"]) == ("support", "We back the roads bill.")
    assert said["stance_source_urls"] == "https://news.example.org/backing"
    assert (said["sequence"], said["speaker_name_disputed"]) == ("2", "true")
    assert (
        roads["fate"] == "Fate unknown after the last recorded step: Announced (1 September 2016)."
    )
    assert roads["last_verified_on"] == ""
    assert people["bilisbekov"]["name_disputed"] == "true"
    assert people["bilisbekov"]["disputed_names"] == "Nurgali Bilisbekov"
    assert {row["archived"] for row in sources} == {"false"}
