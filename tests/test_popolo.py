"""The Popolo export: every public record of the seed, read through the API as an anonymous
caller, converts to an object its Popolo 1.0.1 schema accepts, with consistent references."""

import copy
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from bills.api.lean import clear_compiled_documents
from bills.models import PersonNameKind
from policytracker.exports import popolo
from tests.bills.factories import PersonFactory, StatementFactory
from tests.popolo import PopoloInvalid, validate

# API collection → (Popolo collection, Popolo kind, converter)
COLLECTIONS = {
    "people": ("persons", "person", popolo.person),
    "organizations": ("organizations", "organization", popolo.organization),
    "memberships": ("memberships", "membership", popolo.membership),
    "events": ("events", "event", popolo.event),
    "statements": ("speeches", "speech", popolo.speech),
}
KIND_OF_COLLECTION = {collection: kind for collection, kind, _ in COLLECTIONS.values()}
KIND_OF_COLLECTION["posts"] = "post"


def api_records(client, path: str) -> list[dict]:
    """The detail representation of every record of a list, following its `next` links."""
    records, page = [], f"/api/v1/{path}/?page_size=200"
    while page:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.json()
        for item in body["results"]:
            response = client.get(item["url"])
            assert response.status_code == 200, item["url"]
            records.append(response.json())
        page = body["next"]
    return records


def export(client) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """(the API records by API collection, the Popolo collections) as the snapshot holds them."""
    records = {path: api_records(client, path) for path in COLLECTIONS}
    exported = {
        collection: [convert(record) for record in records[path]]
        for path, (collection, _, convert) in COLLECTIONS.items()
    }
    exported["posts"] = popolo.posts(records["memberships"])
    return records, {collection: exported[collection] for collection in popolo.POPOLO_KINDS}


@pytest.fixture(scope="module")
def _seed_export_once(django_db_setup, django_db_blocker):
    # Loading the seed and reading ~70 records takes seconds: once for the module, in a
    # transaction rolled back afterwards, so only the exported dicts outlive it.
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()  # ids another module's database state left cached
        clear_compiled_documents()  # and the documents compiled with them
        with override_settings(RESPONSE_CACHE_ENABLED=False), transaction.atomic():
            call_command("load_seed", stdout=StringIO())
            exported = export(APIClient())
            transaction.set_rollback(True)
        ContentType.objects.clear_cache()
    cache.clear()
    return exported


@pytest.fixture
def seed_export(_seed_export_once):
    return copy.deepcopy(_seed_export_once)


def by_slug(objects: list[dict], slug: str) -> dict:
    (found,) = [
        obj
        for obj in objects
        if {"scheme": "policytracker", "identifier": slug} in obj["identifiers"]
    ]
    return found


def test_every_public_seed_record_is_valid_popolo(seed_export):
    records, exported = seed_export
    assert list(exported) == [
        "persons",
        "organizations",
        "memberships",
        "posts",
        "events",
        "speeches",
    ]
    for collection, objects in exported.items():
        assert objects, collection
        for obj in objects:
            validate(KIND_OF_COLLECTION[collection], obj)
    assert len(exported["speeches"]) == len(records["statements"])


def test_ids_are_unique_and_every_reference_resolves_to_its_kind(seed_export):
    _, exported = seed_export
    ids = {collection: {obj["id"] for obj in objects} for collection, objects in exported.items()}
    for collection, objects in exported.items():
        assert len(ids[collection]) == len(objects), collection
    references = {
        "person_id": "persons",
        "creator_id": "persons",
        "organization_id": "organizations",
        "parent_id": "organizations",
        "on_behalf_of_id": "organizations",
        "speaker_organization_id": "organizations",
        "speaker_organization_at_time_id": "organizations",
        "post_id": "posts",
        "event_id": "events",
    }
    resolved = 0
    for objects in exported.values():
        for obj, (key, target) in ((o, r) for o in objects for r in references.items()):
            if obj.get(key) is not None:
                assert obj[key] in ids[target], (obj["id"], key, obj[key])
                resolved += 1
    assert resolved > 50


def test_memberships_holding_the_same_post_share_it(seed_export):
    _, exported = seed_export
    knb_deputies = [m for m in exported["memberships"] if m["role"] == "KNB Deputy Chairman"]
    assert len(knb_deputies) == 2
    assert {m["post_id"] for m in knb_deputies} == {knb_deputies[0]["post_id"]}
    post = next(p for p in exported["posts"] if p["id"] == knb_deputies[0]["post_id"])
    assert (
        post["id"] == f"post/{knb_deputies[0]['organization_id'].split('/')[1]}/knb-deputy-chairman"
    )
    assert post["label"] == "KNB Deputy Chairman, National Security Committee"
    chairman = popolo.post_for(
        {"organization": {"id": 2, "name": "Mazhilis"}, "role": "Chairman of the Mazhilis"}
    )
    assert chairman["label"] == "Chairman of the Mazhilis"
    assert popolo.post_for({"organization": None, "role": "Chairman"}) is None
    assert popolo.post_id({"organization": {"id": 2, "name": "Mazhilis"}, "role": ""}) is None


def test_every_contradicting_citation_keeps_its_claimed_value(seed_export):
    records, exported = seed_export
    api_contradictions = [
        citation
        for path in COLLECTIONS
        for record in records[path]
        for citation in record["sources"]
        if citation["relation"] == "contradicts"
    ]
    popolo_contradictions = [
        link
        for objects in exported.values()
        for obj in objects
        for link in obj.get("sources", [])
        if link["relation"] == "contradicts"
    ]
    assert api_contradictions
    assert len(popolo_contradictions) == len(api_contradictions)

    bilisbekov = by_slug(exported["persons"], "nurlan-bilisbekov")
    (link,) = [link for link in bilisbekov["sources"] if link["relation"] == "contradicts"]
    assert link["field"] == "given_name"
    assert link["claimed_value"] == "Nurgali"
    assert link["url"] == "https://m.astr.ru/news/world/65339"
    assert link["note"] == 'astr.ru, date unknown: contradicts given_name, claiming "Nurgali"'
    (other,) = bilisbekov["other_names"]
    assert other["name"] == "Nurgali Bilisbekov"
    assert other["note"].startswith("Conflicting name reported by a source: ")


def test_a_month_precision_date_is_written_as_year_and_month(seed_export):
    _, exported = seed_export
    tokayev = by_slug(exported["persons"], "kassym-jomart-tokayev")
    (link,) = [link for link in tokayev["sources"] if "parlam.kz" in link["url"]]
    assert link["published_on"] == "2016-09"
    assert link["note"].endswith(", 2016-09: supports the record")


def test_unknown_dates_are_null_and_speeches_have_no_time_of_day(seed_export):
    records, exported = seed_export
    membership = exported["memberships"][0]
    assert (membership["start_date"], membership["end_date"]) == (None, None)
    undated = [s for s in records["statements"] if s["said_precision"] == "unknown"]
    assert undated
    speeches = {speech["id"]: speech for speech in exported["speeches"]}
    assert all(speeches[f"speech/{s['id']}"]["said_on"] is None for s in undated)
    assert {speech["date"] for speech in exported["speeches"]} == {None}
    bilisbekov = by_slug(exported["speeches"], "bilisbekov-2016-09-22-aktobe-surveillance")
    assert bilisbekov["said_on"] == "2016-09-22"
    assert bilisbekov["type"] == "speech"


def test_statements_keep_their_stances_and_speaking_organizations(seed_export):
    _, exported = seed_export
    stance = by_slug(exported["speeches"], "kolkobayev-2016-10-05-bill-origin")
    (link,) = stance["bills"]
    assert link["bill"] == "http://testserver/api/v1/bills/kz-2016-counter-extremism-terrorism/"
    assert link["stance"] == "support"
    # The stance is a claim of its own, with the source that shows it.
    assert [source["url"] for source in link["sources"]] == [
        "https://en.inform.kz/news/aktobe-almaty-terrorist-attacks-proved-it-is-high-time-to-amend-legislation_a2956258/"
    ]
    assert stance["position"] == 1
    knb = by_slug(exported["speeches"], "knb-2016-09-22-online-recruitment")
    assert knb["creator_id"] is None
    assert knb["speaker_organization_id"] == by_slug(exported["organizations"], "knb")["id"]


@pytest.mark.parametrize(
    ("value", "precision", "written"),
    [
        ("2016-11-22", "day", "2016-11-22"),
        ("2016-11-01", "month", "2016-11"),
        ("2016-01-01", "year", "2016"),
        ("2016-01-01", "unknown", None),
        (None, "unknown", None),
    ],
)
def test_dates_are_written_to_their_precision(value, precision, written):
    record = {"id": 1, "start_on": value, "start_precision": precision}
    assert popolo.membership(record)["start_date"] == written
    validate("membership", popolo.membership(record))


@pytest.mark.parametrize(
    ("kind", "obj", "error"),
    [
        ("speech", {"id": "speech/1", "date": "2016-09-22"}, "is not a 'date-time'"),
        ("membership", {"id": "membership/1", "start_date": "22.09.2016"}, "does not match"),
        ("person", {"id": "person/1", "sources": [{"note": "no url"}]}, "'url' is a required"),
        ("event", {"id": "event/1", "sources": [{"url": "not a uri"}]}, "is not a 'uri'"),
        ("post", {"id": "post/1/x", "organization_id": 2}, "is not of type 'string', 'null'"),
    ],
)
def test_a_schema_violation_is_caught(kind, obj, error):
    with pytest.raises(PopoloInvalid, match=error):
        validate(kind, obj)


def test_a_speech_dated_to_the_second_passes_the_date_time_format():
    validate("speech", {"id": "speech/1", "date": "2016-09-22T10:30:00+06:00"})


def test_every_name_kind_has_its_note():
    assert dict(PersonNameKind.choices) == popolo.NAME_KIND_NOTES


def test_a_draft_person_is_not_exported_and_references_to_it_are_null(db, api_client):
    published, draft = PersonFactory(), PersonFactory(is_published=False)
    statement = StatementFactory(speaker_person=draft)
    slugs = {
        obj["identifiers"][0]["identifier"]
        for obj in map(popolo.person, api_records(api_client, "people"))
    }
    assert published.slug in slugs
    assert draft.slug not in slugs
    (speech,) = map(popolo.speech, api_records(api_client, "statements"))
    assert speech["id"] == f"speech/{statement.pk}"
    assert speech["creator_id"] is None
