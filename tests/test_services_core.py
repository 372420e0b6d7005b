"""The shared write mechanics and rules, called as the API and the admin call them: versions,
citation rules, publishing with dependents, and the visibility rule's two encodings."""

import itertools

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from bills import services
from bills.models import Bill, Sponsorship, Statement
from policytracker import visibility
from policytracker.errors import DraftDependents, RecordGone, StaleVersion
from policytracker.services import record_publish
from sources import services as source_services
from sources.models import Citation
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


class TestVersions:
    def test_a_change_moves_the_version_and_no_change_does_not(self):
        bill = BillFactory(summary="Old")
        assert bill.version == 1
        bill = services.bill_update(bill=bill, values={"summary": "New"}, expected_version=1)
        assert bill.version == 2
        bill = services.bill_update(bill=bill, values={"summary": "New"}, expected_version=2)
        assert bill.version == 2

    def test_a_stale_version_is_refused_and_changes_nothing(self):
        bill = BillFactory(summary="Old")
        services.bill_update(bill=bill, values={"summary": "First"})
        with pytest.raises(StaleVersion) as refused:
            services.bill_update(bill=bill, values={"summary": "Second"}, expected_version=1)
        assert refused.value.current == 2
        assert Bill.objects.get().summary == "First"

    def test_a_deleted_record_is_gone(self):
        bill = BillFactory()
        Bill.objects.filter(pk=bill.pk).delete()
        with pytest.raises(RecordGone):
            services.bill_update(bill=bill, values={"summary": "x"})

    def test_topics_and_citations_are_changes_of_the_record(self):
        bill = BillFactory()
        from tests.bills.factories import TopicFactory

        bill = services.bill_update(bill=bill, values={}, topics=[TopicFactory()])
        assert bill.version == 2
        source_services.citation_add(record=bill, source=SourceFactory(), excerpt="Cited.")
        bill.refresh_from_db()
        assert bill.version == 3

    def test_status_is_not_a_writable_value(self):
        with pytest.raises(ValidationError) as refused:
            services.bill_update(bill=BillFactory(), values={"status": "signed"})
        assert "status" in refused.value.error_dict


class TestCitationRules:
    def test_a_statement_is_created_with_a_source(self):
        with pytest.raises(ValidationError) as refused:
            services.statement_create(
                values={"slug": "s", "attribution": "A", "text": "T", "form": "paraphrase"},
                citations=[],
            )
        assert "sources" in refused.value.error_dict
        assert not Statement.objects.exists()

    def test_removing_every_citation_of_a_statement_at_once_is_refused_whole(self):
        statement = StatementFactory()
        citations = [CitationFactory(record=statement) for _ in range(2)]
        with pytest.raises(ValidationError):
            source_services.citations_remove(citations=citations)
        assert Citation.objects.count() == 2
        source_services.citations_remove(citations=citations[:1])
        assert Citation.objects.count() == 1

    def test_a_citation_of_a_bill_may_go(self):
        citation = CitationFactory(record=BillFactory())
        source_services.citation_remove(citation=citation)
        assert not Citation.objects.exists()

    def test_target_must_be_citable_existing_and_the_field_real(self):
        user_type = ContentType.objects.get_for_model(User)
        bill_type = ContentType.objects.get_for_model(Bill)
        user = User.objects.create_user("someone")
        cases = [
            ({"content_type": user_type, "object_id": user.pk}, "content_type"),
            ({"content_type": bill_type, "object_id": 999_999}, "object_id"),
            (
                {"content_type": bill_type, "object_id": BillFactory().pk, "field_name": "nope"},
                "field_name",
            ),
            (
                {"content_type": bill_type, "object_id": BillFactory().pk, "field_name": "version"},
                "field_name",
            ),
        ]
        for arguments, field in cases:
            with pytest.raises(ValidationError) as refused:
                source_services.citation_target(**arguments)
            assert field in refused.value.error_dict, arguments


class TestPublishingWithDependents:
    def test_a_statement_depends_on_its_speaker_event_post_bills_and_sources(self):
        person = PersonFactory(is_published=False)
        event = EventFactory(is_published=False)
        membership = MembershipFactory(is_published=False)
        bill = BillFactory(is_published=False)
        source = SourceFactory(is_published=False)
        statement = StatementFactory(
            speaker_person=person, event=event, speaker_membership=membership, is_published=False
        )
        services.statement_set_stance(
            statement=statement,
            bill=bill,
            stance="oppose",
            citations=[{"source": source, "excerpt": "We oppose it."}],
        )
        CitationFactory(record=statement, source=source)
        dependents = visibility.draft_dependents(statement)
        assert set(dependents) == {person, event, membership, bill, source}

    def test_refusal_changes_nothing_and_with_dependents_publishes_all(self):
        bill = BillFactory(is_published=False)
        sponsor = OrganizationFactory(is_published=False)
        SponsorshipFactory(bill=bill, organization=sponsor, is_published=False)
        with pytest.raises(DraftDependents) as refused:
            record_publish(record=bill)
        assert len(refused.value.dependents) == 2
        assert not Bill.objects.get().is_published
        changed = record_publish(record=bill, with_dependents=True)
        assert len(changed) == 3
        assert Sponsorship.objects.get().is_published
        sponsor.refresh_from_db()
        assert sponsor.is_published and sponsor.version == 2


FLAGS = list(itertools.product([True, False], repeat=3))


@pytest.mark.parametrize(("bill_public", "sponsor_public", "sponsorship_public"), FLAGS)
def test_the_gate_in_sql_and_in_python_agree(bill_public, sponsor_public, sponsorship_public):
    sponsorship = SponsorshipFactory(
        bill=BillFactory(is_published=bill_public),
        organization=OrganizationFactory(is_published=sponsor_public),
        is_published=sponsorship_public,
    )
    citation = CitationFactory(record=sponsorship)
    expected = bill_public and sponsor_public and sponsorship_public
    assert visibility.is_public(sponsorship) is expected
    assert Sponsorship.objects.public().filter(pk=sponsorship.pk).exists() is expected
    assert visibility.is_public(citation) is expected
    assert Citation.objects.public().filter(pk=citation.pk).exists() is expected


def test_seeing_drafts_is_a_permission_not_staff():
    staff = User.objects.create_user("staff", is_staff=True)
    curator = User.objects.create_user("curator")
    from django.contrib.auth.models import Group

    curator.groups.add(Group.objects.get(name="Curators"))
    BillFactory(is_published=False)
    assert not Bill.objects.visible_to(staff).exists()
    assert Bill.objects.visible_to(User.objects.get(pk=curator.pk)).exists()


# Real transactions, so the two removals race for the statement's row lock; serialized_rollback
# restores the migration-created Curators group after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_removals_cannot_take_a_statements_last_two_citations():
    import threading

    from django.db import connection

    statement = StatementFactory()
    citations = [CitationFactory(record=statement) for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def remove(citation):
        barrier.wait()
        try:
            source_services.citation_remove(citation=citation)
            outcomes.append("removed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=remove, args=(c,)) for c in citations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "removed"]
    assert Citation.objects.count() == 1
