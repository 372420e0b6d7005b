import pytest
from django.db import IntegrityError, transaction

from sources.models import Citation, CitationRelation
from tests.bills.factories import BillFactory
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_source_url_is_unique():
    SourceFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://example.org/a")


def test_kind_must_be_in_vocabulary():
    with pytest.raises(IntegrityError, match="source_kind_valid"), transaction.atomic():
        SourceFactory(kind="rumour")


def test_citation_needs_an_excerpt():
    with pytest.raises(IntegrityError, match="citation_excerpt_not_empty"), transaction.atomic():
        CitationFactory(record=BillFactory(), excerpt="")


def test_contradicting_citation_must_state_the_claim():
    bill = BillFactory()
    with (
        pytest.raises(IntegrityError, match="citation_contradiction_states_claim"),
        transaction.atomic(),
    ):
        CitationFactory(record=bill, relation=CitationRelation.CONTRADICTS, claimed_value="")
    CitationFactory(record=bill, relation=CitationRelation.CONTRADICTS, claimed_value="15 Oct")
    assert Citation.objects.for_object(bill).conflicts().count() == 1


def test_citation_reaches_record_both_ways():
    bill = BillFactory()
    citation = CitationFactory(record=bill)
    assert citation.record == bill
    assert list(bill.citations.all()) == [citation]


def test_source_with_citations_cannot_be_deleted():
    citation = CitationFactory(record=BillFactory())
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        citation.source.delete()
