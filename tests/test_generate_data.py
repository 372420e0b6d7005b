"""`manage.py generate_data`: the benchmark's data set is consistent, servable and seeded."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bills.models import Bill, BillAction, Person, Sponsorship, Statement, StatementBill
from bills.procedure import procedure_for
from sources.models import Citation, CitationRelation, Source

BILLS, STATEMENTS = 20, 100
LIST_ENDPOINTS = [
    "/api/v1/bills/?include=sponsors,actions,statements",
    "/api/v1/bill-actions/",
    "/api/v1/sponsorships/",
    "/api/v1/statements/",
    "/api/v1/statements/?q=security",
    "/api/v1/people/?include=memberships",
    "/api/v1/organizations/",
    "/api/v1/memberships/",
    "/api/v1/events/",
    "/api/v1/topics/",
    "/api/v1/sources/",
    "/api/v1/citations/",
]


def generate(seed: int = 1) -> str:
    out = StringIO()
    call_command(
        "generate_data", bills=BILLS, statements=STATEMENTS, seed=seed, clear=True, stdout=out
    )
    return out.getvalue()


def snapshot() -> list:
    return [
        list(Bill.objects.order_by("pk").values_list("pk", "slug", "title", "status", "summary")),
        list(BillAction.objects.order_by("pk").values_list("bill_id", "order", "occurred_on")),
        list(Sponsorship.objects.order_by("pk").values_list("bill_id", "person_id", "role")),
        list(Statement.objects.order_by("pk").values_list("slug", "text", "created_at")),
        list(StatementBill.objects.order_by("pk").values_list("statement_id", "bill_id", "stance")),
        list(Citation.objects.order_by("pk").values_list("object_id", "source_id", "relation")),
    ]


@pytest.mark.django_db
def test_generate_data_counts_and_report():
    output = generate()
    assert Bill.objects.count() == BILLS
    assert Statement.objects.count() == STATEMENTS
    assert BillAction.objects.count() == 5 * BILLS
    assert Sponsorship.objects.count() == 2 * BILLS
    # Each bill cites 2, each sponsorship, action and statement 1, each stance but 'unclear' 1.
    cited_stances = StatementBill.objects.exclude(stance="unclear").count()
    assert cited_stances
    assert (
        Citation.objects.count() == 2 * BILLS + 2 * BILLS + 5 * BILLS + STATEMENTS + cited_stances
    )
    assert Source.objects.exists() and Person.objects.exists()
    assert f"bills={BILLS}" in output and "elapsed=" in output


@pytest.mark.django_db
def test_generated_records_are_published_and_consistent():
    generate()
    procedure = procedure_for("kz-2013")
    for bill in Bill.objects.prefetch_related("actions", "sponsorships"):
        actions = sorted(bill.actions.all(), key=lambda action: action.order)
        assert [action.order for action in actions] == [1, 2, 3, 4, 5]
        assert len(bill.sponsorships.all()) == 2
        previous = None
        for action in actions:
            assert action.resulting_status in procedure.allowed_next(previous)
            previous = action.resulting_status
        assert bill.status == actions[-1].resulting_status
        assert bill.status_changed_on == actions[-1].occurred_on
        assert bill.status_changed_precision == actions[-1].occurred_precision
        assert bill.is_published and bill.version == 1
    assert not Statement.objects.filter(is_published=False).exists()
    assert not Statement.objects.filter(bill_links__isnull=True).exists()
    assert not Citation.objects.filter(relation=CitationRelation.CONTRADICTS, claimed_value="")
    for model in (Bill, BillAction, Sponsorship, Statement):
        assert Citation.objects.filter(content_type__model=model._meta.model_name).exists()


@pytest.mark.django_db
def test_generated_data_is_served_by_every_list_endpoint(api_client):
    generate()
    for path in LIST_ENDPOINTS:
        url = f"{path}{'&' if '?' in path else '?'}page_size=200"
        while url:
            response = api_client.get(url)
            assert response.status_code == 200, (url, response.content[:500])
            url = response.json()["next"]
    for bill in Bill.objects.all()[:5]:
        assert api_client.get(f"/api/v1/bills/{bill.slug}/").status_code == 200
    statements = api_client.get("/api/v1/statements/?q=security&page_size=200").json()
    assert statements["results"]


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    generate(seed=7)
    first = snapshot()
    generate(seed=7)
    assert snapshot() == first
    generate(seed=8)
    assert snapshot() != first


@pytest.mark.django_db
def test_refuses_to_load_over_existing_records():
    generate()
    with pytest.raises(CommandError, match="--clear"):
        call_command("generate_data", bills=2, statements=2, stdout=StringIO())
