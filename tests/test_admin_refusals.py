"""The admin's forms in plain words: a status change cites its source in the same transaction,
and every rule a curator can break through a form comes back naming the field, never as a
constraint's name."""

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import Group, User
from django.db.models import CheckConstraint, UniqueConstraint
from django.urls import reverse

from bills.models import BillAction, BillIdentifier, BillRelation, Membership, Statement
from bills.services import bill_change_status, bill_identifier_create
from sources.models import Citation
from tests.admin_pages import change_url, posted_form
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    StatementFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

CONSTRAINT = "Constraint “"


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def status_change_url(bill) -> str:
    return reverse("admin:bills_bill_record_status_change", args=[bill.pk])


def field_errors(response) -> dict:
    return {
        name: " ".join(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


# A status change cites its source -------------------------------------------------------------

STEP = {"to_status": "submitted", "occurred_on": "2016-10-26", "occurred_precision": "day"}


def test_status_change_records_the_action_with_its_source_and_excerpt(curator):
    bill, source = BillFactory(), SourceFactory()
    page = curator.get(status_change_url(bill)).content.decode()
    assert 'name="source"' in page and 'name="excerpt"' in page

    response = curator.post(
        status_change_url(bill),
        STEP | {"source": source.pk, "excerpt": "The bill was submitted.", "locator": "para. 2"},
    )

    assert response.status_code == 302
    action = BillAction.objects.get(bill=bill)
    [citation] = Citation.objects.for_object(action)
    assert (citation.source, citation.excerpt, citation.locator, citation.excerpt_kind) == (
        source,
        "The bill was submitted.",
        "para. 2",
        "quote",
    )


def test_an_excerpt_without_a_source_is_refused_next_to_the_source(curator):
    bill = BillFactory()
    response = curator.post(status_change_url(bill), STEP | {"excerpt": "Submitted."})
    assert response.status_code == 200
    assert "Choose the source this excerpt is from" in field_errors(response)["source"]
    assert not BillAction.objects.filter(bill=bill).exists()


def test_a_source_without_an_excerpt_records_nothing(curator):
    bill = BillFactory()
    response = curator.post(status_change_url(bill), STEP | {"source": SourceFactory().pk})
    assert response.status_code == 200
    assert "excerpt" in field_errors(response)  # refused by the citation service: rolled back
    assert not BillAction.objects.filter(bill=bill).exists()
    bill.refresh_from_db()
    assert (bill.status, bill.version) == (None, 1)


def test_a_refused_step_leaves_no_citation(curator):
    bill = BillFactory()
    bill_change_status(bill=bill, to_status="announced", occurred_on=None)
    response = curator.post(
        status_change_url(bill),
        {"to_status": "signed", "occurred_precision": "unknown"}
        | {"source": SourceFactory().pk, "excerpt": "Signed."},
    )
    assert "cannot move to 'signed'" in field_errors(response)["to_status"]
    assert not Citation.objects.exists()


# Constraint errors read as plain words naming the field ---------------------------------------


def test_every_constraint_a_form_can_break_has_plain_words():
    """A constraint left with Django's default message ("Constraint “…” is violated.") is one a
    form catches first: a choice, a required field, or uniqueness (Django's own words)."""
    unexplained = []
    curated = [model for model in site._registry if model._meta.app_label in {"bills", "sources"}]
    for model in curated:
        for constraint in model._meta.constraints:
            explained = (
                constraint.violation_error_message != constraint.default_violation_error_message
            )
            caught_by_forms = isinstance(constraint, UniqueConstraint) and constraint.fields
            caught_by_forms = caught_by_forms or constraint.name.endswith(
                ("_valid", "_not_empty", "_order_positive")
            )
            if not (explained or caught_by_forms):
                unexplained.append(constraint.name)
    assert unexplained == []
    assert any(isinstance(c, CheckConstraint) for c in BillRelation._meta.constraints)


def test_a_bill_related_to_itself_is_refused_in_words(curator):
    bill = BillFactory()
    data = posted_form(curator.get(url(BillRelation, "add")))
    data |= {"bill": bill.pk, "related_bill": bill.pk, "kind": "companion"}
    response = curator.post(url(BillRelation, "add"), data)
    assert response.status_code == 200
    assert "cannot be related to itself" in response.content.decode()
    assert CONSTRAINT not in response.content.decode()
    assert not BillRelation.objects.exists()


def test_a_duplicate_identifier_names_its_fields(curator):
    bill_identifier_create(values={"bill": BillFactory(), "scheme": "adilet", "identifier": "Z1"})
    data = posted_form(curator.get(url(BillIdentifier, "add")))
    data |= {"bill": BillFactory().pk, "scheme": "adilet", "identifier": "Z1"}
    response = curator.post(url(BillIdentifier, "add"), data)
    assert response.status_code == 200
    assert "with this Scheme and Identifier already exists" in response.content.decode()
    assert BillIdentifier.objects.count() == 1


def test_a_post_ending_before_it_starts_is_refused_in_words(curator):
    membership = MembershipFactory()
    data = posted_form(curator.get(change_url(membership)))
    data |= {"start_on": "2016-05-01", "start_precision": "day"}
    data |= {"end_on": "2016-01-01", "end_precision": "day"}
    response = curator.post(change_url(membership), data)
    assert response.status_code == 200
    assert "The end date is before the start date" in response.content.decode()
    assert CONSTRAINT not in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).end_on is None


def test_a_conflicting_citation_without_its_claim_names_the_field(curator):
    citation = CitationFactory(record=PersonFactory())
    data = posted_form(curator.get(change_url(citation))) | {"relation": "contradicts"}
    response = curator.post(change_url(citation), data)
    assert response.status_code == 200
    assert "must state what the source claims" in field_errors(response)["claimed_value"]


def test_a_sponsor_inline_row_with_two_sponsors_is_refused_in_words(curator):
    bill = BillFactory()
    data = posted_form(curator.get(change_url(bill)))
    prefix = "sponsorships"
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    row = {"person": PersonFactory().pk, "organization": OrganizationFactory().pk}
    row |= {"role": "initiator", "started_precision": "unknown", "ended_precision": "unknown"}
    data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    response = curator.post(change_url(bill), data)
    assert response.status_code == 200
    assert "a person or an organization (exactly one)" in response.content.decode()
    assert CONSTRAINT not in response.content.decode()
    assert not bill.sponsorships.exists()


def test_a_taken_place_in_the_order_spoken_is_refused_in_words(curator):
    event = EventFactory()
    first = StatementFactory(event=event, sequence=1)
    CitationFactory(record=first)
    second = StatementFactory(event=event, sequence=2)
    CitationFactory(record=second)
    data = posted_form(curator.get(change_url(second))) | {"sequence": "1"}

    response = curator.post(change_url(second), data)

    assert response.status_code == 200
    assert "already has this position in the order spoken" in response.content.decode()
    assert CONSTRAINT not in response.content.decode()
    second.refresh_from_db()
    assert second.sequence == 2


def test_a_refusal_about_a_part_the_form_does_not_show_names_that_part(curator):
    data = posted_form(curator.get(url(Statement, "add")))
    data |= {"slug": "no-source", "attribution": "A deputy", "text": "Said.", "form": "paraphrase"}
    data |= {"language": "en", "said_precision": "unknown"}

    response = curator.post(url(Statement, "add"), data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    assert (
        error == "Sources: A statement must cite at least one source (the excerpt that proves it)."
    )
