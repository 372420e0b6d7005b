"""A mirror seeded from a bulk snapshot, then following `/api/v1/changes/?after=<its cursor>`,
equals a fresh crawl; and the snapshot is one consistent state, whatever commits meanwhile."""

import datetime
import json
import threading

import pytest
from django.db import connection

from bills import services as bill_services
from bills.models import Bill
from policytracker.exports import snapshot as snapshot_module
from policytracker.exports.snapshot import snapshot_write
from sources import services as source_services
from tests.bills.factories import BillFactory, PersonFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory
from tests.test_changes_mirror import crawl, curator_client, etag, follow

BASE = "http://testserver"


@pytest.fixture
def exports_root(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    return settings.EXPORTS_ROOT


def load(written) -> dict[tuple[str, int], dict]:
    """A mirror's state from a snapshot's JSON Lines, by (record type, id)."""
    state = {}
    for entity in written.manifest["entities"]:
        if not entity["record_type"]:
            continue  # the status vocabulary is not a record
        for line in (written.path / entity["jsonl"]).read_text().splitlines():
            record = json.loads(line)
            state[(entity["record_type"], record["id"])] = record
    return state


@pytest.mark.django_db
def test_mirror_seeded_from_a_snapshot_and_the_feed_equals_a_fresh_crawl(exports_root, api_client):
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
    bill_services.bill_record_action(
        bill=draft_bill,
        to_status="drafted",
        occurred_on=datetime.date(2016, 2, 1),
        citations=[{"source": draft_source, "excerpt": "Step one."}],
    )

    written = snapshot_write(base_url=BASE)
    mirror = load(written)
    assert mirror == crawl(api_client)  # the snapshot is the live state at its cursor
    assert ("bill", draft_bill.pk) not in mirror

    curator = curator_client()
    assert curator.post("/api/v1/bills/draft-bill/publish/?with_dependents=1").status_code == 200
    bill_services.bill_change_status(
        bill=Bill.objects.get(pk=draft_bill.pk),
        to_status="submitted",
        occurred_on=datetime.date(2016, 3, 1),
        skips_unrecorded_steps=True,
    )
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
    source_url = f"/api/v1/sources/{old_source.pk}/"
    response = curator.patch(
        source_url, {"title": "Corrected"}, format="json", HTTP_IF_MATCH=etag(curator, source_url)
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

    follow(api_client, mirror, written.manifest["change_cursor"])
    fresh = crawl(api_client)
    assert sorted(mirror) == sorted(fresh)
    assert mirror == fresh


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_committed_while_writing_is_after_the_cursor_not_in_the_files(
    exports_root, api_client, monkeypatch
):
    BillFactory(slug="present")
    read = snapshot_module.public_lines
    committed = {}

    def commit_a_source_meanwhile():
        source = source_services.source_register(
            values={"url": "https://example.org/late", "title": "Registered meanwhile"}
        )
        source_services.source_publish(source=source)
        committed["source"] = source.pk
        connection.close()

    def public_lines(entity, request, **options):
        if entity.name == "bills" and not committed:
            writer = threading.Thread(target=commit_a_source_meanwhile)
            writer.start()
            writer.join()  # committed before the sources are read, after the cursor was taken
        yield from read(entity, request, **options)

    monkeypatch.setattr(snapshot_module, "public_lines", public_lines)
    written = snapshot_write(base_url=BASE)
    mirror = load(written)
    assert ("source", committed["source"]) not in mirror
    assert ("bill", Bill.objects.get(slug="present").pk) in mirror
    feed = api_client.get(f"/api/v1/changes/?after={written.manifest['change_cursor']}").json()
    assert {(e["record_type"], e["record_id"]) for e in feed["results"]} == {
        ("source", committed["source"])
    }
    follow(api_client, mirror, written.manifest["change_cursor"])
    assert mirror == crawl(api_client)
