from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from bills.models import (
    Bill,
    BillAction,
    Event,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Statement,
    StatementBill,
    StatementForm,
    TitleStatus,
)
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "article.txt"
CITED_MODELS = [Bill, BillAction, Sponsorship, Person, Organization, Membership, Event, Statement]


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("load_seed", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    models = [*CITED_MODELS, Source, Citation, PersonName]
    return {
        model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in models
    }


def test_loads_the_seven_bills(seeded):
    assert Bill.objects.count() == 7
    assert "bills=7" in seeded
    assert Bill.objects.filter(is_published=True).count() == 7


def test_second_run_changes_nothing(seeded):
    before = snapshot()
    out = StringIO()
    call_command("load_seed", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert snapshot() == before


def test_a_rerun_after_curators_renamed_records_updates_them_in_place(seeded):
    from bills import services

    bill = Bill.objects.order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    services.bill_update(bill=bill, values={"slug": "renamed-by-a-curator"})
    services.person_update(person=person, values={"slug": "renamed-person"})
    before = snapshot()
    out = StringIO()
    call_command("load_seed", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert snapshot() == before
    assert Bill.objects.count() == 7
    assert Bill.objects.get(pk=bill.pk).slug == "renamed-by-a-curator"
    assert Person.objects.get(pk=person.pk).slug == "renamed-person"


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda m: m.__name__)
def test_every_record_cites_a_source(seeded, model):
    content_type = ContentType.objects.get_for_model(model)
    cited = set(
        Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    uncited = list(model.objects.exclude(pk__in=cited).values_list("pk", flat=True))
    assert model.objects.exists()
    assert uncited == []


def test_current_status_equals_latest_action(seeded):
    for bill in Bill.objects.all():
        latest = bill.actions.order_by("-order").first()
        assert latest is not None, bill.slug
        assert bill.status == latest.resulting_status, bill.slug


def test_unverified_facts_are_not_loaded_as_facts(seeded):
    unknown = Bill.objects.filter(title_status=TitleStatus.UNKNOWN)
    assert unknown.count() == 2
    assert set(unknown.values_list("title", flat=True)) == {""}
    provisional = Bill.objects.filter(title_status=TitleStatus.PROVISIONAL)
    assert provisional.count() == 2
    # Law numbers the research only remembered (36-VI, 41-VI) must not appear.
    assert set(Bill.objects.exclude(law_number="").values_list("law_number", flat=True)) == {
        "28-VI",
        "35-VI",
        "40-VI",
    }


def test_conflicting_claims_are_kept_with_their_sources(seeded):
    first_reading = BillAction.objects.get(
        bill__slug="kz-2016-counter-extremism-terrorism", resulting_status="mazhilis_first_reading"
    )
    assert str(first_reading.occurred_on) == "2016-10-05"
    conflicts = Citation.objects.for_object(first_reading).conflicts()
    assert [c.claimed_value for c in conflicts] == ["2016-10-15"]
    bilisbekov = Person.objects.get(family_name="Bilisbekov")
    other = bilisbekov.other_names.get()
    assert other.name == "Nurgali Bilisbekov"
    assert Citation.objects.for_object(other).exists()


def test_reader_comment_is_not_a_statement(seeded):
    assert not Statement.objects.filter(text__icontains="bearded scum").exists()


@pytest.mark.skipif(not ARTICLE.exists(), reason="shared seed article not available")
def test_direct_quotes_and_article_excerpts_are_verbatim(seeded):
    article = ARTICLE.read_text(encoding="utf-8")
    for statement in Statement.objects.filter(form=StatementForm.DIRECT_QUOTE):
        assert statement.text in article, statement.slug
    source = Source.objects.get(url__contains="2016/10/06/feature-01")
    for citation in Citation.objects.filter(source=source, excerpt_kind="quote"):
        assert citation.excerpt in article, citation.pk


def test_speaker_on_the_seven_bills_supports_only_what_an_excerpt_shows(seeded):
    """The Speaker's paraphrase concerns the seven bills; only the amendments the Mazhilis was
    reviewing (the counter-extremism bill) are shown supported, by a cited excerpt."""
    statement = Statement.objects.get(slug="nigmatulin-2016-09-22-refine-legislation")
    links = {link.bill.slug: link for link in statement.bill_links.select_related("bill")}
    assert len(links) == 7
    supported = {slug for slug, link in links.items() if link.stance != "unclear"}
    assert supported == {"kz-2016-counter-extremism-terrorism"}
    excerpts = [c.excerpt for c in links["kz-2016-counter-extremism-terrorism"].citations.all()]
    assert any("relevance of amendments that the Mazhilis is reviewing" in e for e in excerpts)
    assert not links["kz-2016-seventh-bill"].citations.exists()
    assert statement.event.starts_on.isoformat() == "2016-09-22"


def test_every_seeded_stance_but_unclear_cites_an_excerpt(seeded):
    links = StatementBill.objects.prefetch_related("citations")
    assert links.exclude(stance="unclear").exists()
    for link in links:
        assert link.stance == "unclear" or link.citations.all(), link


@pytest.mark.skipif(not ARTICLE.exists(), reason="shared seed article not available")
def test_roundtable_statements_keep_the_articles_order(seeded):
    article = ARTICLE.read_text(encoding="utf-8")
    statements = Statement.objects.filter(event__slug="mazhilis-roundtable-2016-09-22")
    ordered = list(statements.order_by("sequence"))
    assert [s.sequence for s in ordered] == list(range(1, len(ordered) + 1))
    positions = [article.index(s.citations.first().excerpt.strip('"')[:40]) for s in ordered]
    assert positions == sorted(positions)


def test_nothing_unrecorded_is_invented(seeded):
    assert not Bill.objects.exclude(last_verified_on=None).exists()
    assert not Source.objects.exclude(accessed_on=None).exists()
    assert not Source.objects.exclude(archived_url="").exists()


def test_api_lists_the_seven_seeded_bills_with_status(seeded, client):
    rows = client.get("/api/v1/bills/").json()["results"]
    assert len(rows) == 7
    statuses = {row["slug"]: row["status"] for row in rows}
    assert statuses["kz-2016-counter-extremism-terrorism"] == "signed"
    assert statuses["kz-2016-fingerprint-genomic-registration"] == "in_force"
    assert all(row["status_explanation"] for row in rows)
    assert all(row["sources"] for row in rows)
