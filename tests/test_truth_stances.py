"""A statement's stance toward a bill is a claim of its own: anything but 'unclear' cites the
excerpt that shows it, through the API as through the services, and readers see that excerpt."""

import pytest

from bills import services
from bills.models import Statement, StatementBill
from policytracker.changes.models import ChangeEvent
from sources import services as source_services
from sources.models import Citation
from tests.bills.factories import BillFactory, PersonFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def new_statement(bills: list, **extra) -> dict:
    return {
        "slug": "we-back-it",
        "speaker_person": PersonFactory().slug,
        "attribution": "A minister",
        "text": "We back the bill.",
        "form": "direct_quote",
        "sources": [{"source": SourceFactory().pk, "excerpt": "We back the bill."}],
        "bills": bills,
        **extra,
    }


def patch(client, path: str, payload: dict):
    etag = client.get(path)["ETag"]
    return client.patch(path, payload, format="json", HTTP_IF_MATCH=etag)


def cited_stance(stance: str = "support", *, excerpt: str = "We back it."):
    statement = StatementFactory()
    CitationFactory(record=statement)
    bill = BillFactory()
    services.statement_set_stance(
        statement=statement,
        bill=bill,
        stance=stance,
        citations=[{"source": SourceFactory(), "excerpt": excerpt, "field_name": "stance"}],
    )
    return statement, bill, statement.bill_links.get()


def test_a_stance_without_an_excerpt_is_refused_naming_bills(curator_client):
    bill = BillFactory(slug="roads")
    payload = new_statement([{"bill": "roads", "stance": "support"}])

    response = curator_client.post("/api/v1/statements/", payload, format="json")

    assert response.status_code == 400, response.content
    assert "needs a source" in response.json()["errors"]["bills"][0]
    assert "'roads'" in response.json()["errors"]["bills"][0]
    assert not Statement.objects.exists() and not StatementBill.objects.filter(bill=bill).exists()


def test_an_unclear_stance_needs_no_excerpt_and_a_cited_one_shows_it(curator_client, api_client):
    BillFactory(slug="roads")
    BillFactory(slug="rails")
    source = SourceFactory()
    cited = [{"source": source.pk, "excerpt": "We back the roads bill.", "field": "stance"}]
    payload = new_statement(
        [
            {"bill": "roads", "stance": "support", "sources": cited},
            {"bill": "rails", "stance": "unclear"},
        ]
    )

    created = curator_client.post("/api/v1/statements/", payload, format="json")

    assert created.status_code == 201, created.content
    services.statement_publish(statement=Statement.objects.get(), with_dependents=True)
    stances = {
        s["bill"]["slug"]: s
        for s in api_client.get("/api/v1/statements/we-back-it/").json()["bills"]
    }
    assert stances["rails"]["stance"] == "unclear" and stances["rails"]["sources"] == []
    (shown,) = stances["roads"]["sources"]
    assert (shown["excerpt"], shown["field"], shown["source"]["id"]) == (
        "We back the roads bill.",
        "stance",
        source.pk,
    )
    on_bill = api_client.get("/api/v1/bills/roads/?include=statements").json()["statements"]
    assert [s["stance_sources"][0]["excerpt"] for s in on_bill] == ["We back the roads bill."]


def test_changing_a_stance_keeps_its_sources_unless_new_ones_are_given(curator_client):
    statement, bill, link = cited_stance()
    path = f"/api/v1/statements/{statement.slug}/"

    kept = patch(curator_client, path, {"bills": [{"bill": bill.slug, "stance": "mixed"}]})
    assert kept.status_code == 200, kept.content
    assert [c.excerpt for c in StatementBill.objects.get(pk=link.pk).citations.all()] == [
        "We back it."
    ]

    emptied = patch(
        curator_client, path, {"bills": [{"bill": bill.slug, "stance": "mixed", "sources": []}]}
    )
    assert emptied.status_code == 400
    assert "bills" in emptied.json()["errors"]
    assert StatementBill.objects.get(pk=link.pk).citations.count() == 1

    unclear = patch(
        curator_client, path, {"bills": [{"bill": bill.slug, "stance": "unclear", "sources": []}]}
    )
    assert unclear.status_code == 200, unclear.content
    assert not StatementBill.objects.get(pk=link.pk).citations.exists()


def test_the_last_excerpt_of_a_stance_stays_while_the_stance_needs_it(curator_client):
    statement, bill, link = cited_stance()
    citation = link.citations.get()

    path = f"/api/v1/citations/{citation.pk}/"
    refused = curator_client.delete(path, HTTP_IF_MATCH=curator_client.get(path)["ETag"])

    assert refused.status_code == 400, refused.content
    assert "A stance other than 'unclear' must keep" in refused.json()["errors"]["sources"][0]
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_a_stance_citation_change_moves_the_statement_the_bill_and_the_feed(api_client):
    statement, bill, link = cited_stance()
    before = (
        Statement.objects.get(pk=statement.pk).version,
        bill.__class__.objects.get(pk=bill.pk).version,
    )
    seq = ChangeEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    source_services.citation_add(record=link, source=SourceFactory(), excerpt="Again: we back it.")

    after = (
        Statement.objects.get(pk=statement.pk).version,
        bill.__class__.objects.get(pk=bill.pk).version,
    )
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1
    logged = set(
        ChangeEvent.objects.filter(seq__gt=seq).values_list("record_type", "record_id", "event")
    )
    assert ("statement", statement.pk, "updated") in logged
    assert ("bill", bill.pk, "updated") in logged
    feed = api_client.get(f"/api/v1/changes/?after={seq}").json()["results"]
    assert {(item["record_type"], item["record_id"]) for item in feed} >= {
        ("statement", statement.pk),
        ("bill", bill.pk),
    }


def test_a_stance_excerpt_from_a_draft_source_is_not_public(api_client, curator_client):
    statement, bill, link = cited_stance()
    draft = SourceFactory(is_published=False, title="Unreviewed leak")
    source_services.citation_add(record=link, source=draft, excerpt="Secret support.")

    public = api_client.get(f"/api/v1/statements/{statement.slug}/")
    curator = curator_client.get(f"/api/v1/statements/{statement.slug}/")

    assert "Secret support." not in public.content.decode()
    assert "Unreviewed leak" not in public.content.decode()
    assert "Secret support." in curator.content.decode()
    compact = api_client.get("/api/v1/statements/?citations=compact").json()
    assert str(draft.pk) not in compact["sources"]
    cited = {
        c["source"]["id"] for s in compact["results"] for b in s["bills"] for c in b["sources"]
    }
    assert cited and cited <= {int(pk) for pk in compact["sources"]}
