"""A write needs the permission of every model it writes, nested rows and published dependents
included, and is refused before anything is written; nested lists are bounded; a curator
without `is_staff` can run the whole curation flow."""

import time

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bills.models import Bill, BillAction, Sponsorship, Statement, StatementBill
from sources.api.inputs import MAX_NESTED_ITEMS
from sources.models import Citation
from tests.bills.factories import BillFactory, SponsorshipFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

DRAFTS = "bills.view_drafts"


def client_with(*permissions: str, name: str = "editor") -> APIClient:
    """A token-authenticated client whose user holds exactly `permissions` (no staff flag)."""
    user = User.objects.create_user(name, password="pw")
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def assert_refused(response, *missing: str) -> None:
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/problem+json"
    detail = response.json()["detail"]
    for permission in missing:
        assert permission in detail, detail


def bill_payload(slug: str = "kz-roads", citations: int = 0) -> dict:
    payload = {
        "slug": slug,
        "title": "On roads",
        "title_status": "verified",
        "short_title": "Roads bill",
    }
    if citations:
        source = SourceFactory()
        payload["sources"] = [
            {"source": source.pk, "excerpt": f"Excerpt {n}."} for n in range(citations)
        ]
    return payload


def statement_payload(**extra) -> dict:
    return {
        "slug": "we-support-it",
        "attribution": "A speaker",
        "text": "We support it.",
        "form": "direct_quote",
        "sources": [{"source": SourceFactory().pk, "excerpt": "We support it."}],
        **extra,
    }


def etag_of(client: APIClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response["ETag"]


class TestNestedCitations:
    def test_bill_with_sources_needs_add_citation(self):
        client = client_with("bills.add_bill")
        response = client.post("/api/v1/bills/", bill_payload(citations=2), format="json")
        assert_refused(response, "sources.add_citation")
        assert not Bill.objects.exists()
        assert not Citation.objects.exists()

    def test_bill_with_sources_is_created_with_both_permissions(self):
        client = client_with("bills.add_bill", "sources.add_citation", DRAFTS)
        response = client.post("/api/v1/bills/", bill_payload(citations=2), format="json")
        assert response.status_code == 201, response.content
        assert Bill.objects.get().citations.count() == 2

    def test_bill_without_sources_needs_only_add_bill(self):
        client = client_with("bills.add_bill", DRAFTS)
        assert client.post("/api/v1/bills/", bill_payload(), format="json").status_code == 201

    def test_update_adding_sources_needs_add_citation(self):
        bill = BillFactory()
        version = bill.version
        path = f"/api/v1/bills/{bill.slug}/"
        client = client_with("bills.change_bill")
        payload = {"summary": "New.", "sources": [{"source": SourceFactory().pk, "excerpt": "X"}]}
        response = client.patch(path, payload, format="json", HTTP_IF_MATCH=etag_of(client, path))
        assert_refused(response, "sources.add_citation")
        bill.refresh_from_db()
        assert bill.summary != "New." and bill.version == version
        assert not Citation.objects.exists()

    def test_other_curated_records_check_their_nested_sources(self):
        client = client_with("bills.add_person")
        payload = {
            "slug": "new-person",
            "name": "New Person",
            "sources": [{"source": SourceFactory().pk, "excerpt": "Named."}],
        }
        response = client.post("/api/v1/people/", payload, format="json")
        assert_refused(response, "sources.add_citation")
        assert not Citation.objects.exists()


class TestStances:
    def test_statement_with_stances_needs_add_statementbill(self):
        bill = BillFactory()
        client = client_with("bills.add_statement", "sources.add_citation")
        payload = statement_payload(bills=[{"bill": bill.slug, "stance": "support"}])
        response = client.post("/api/v1/statements/", payload, format="json")
        assert_refused(response, "bills.add_statementbill")
        assert not Statement.objects.exists() and not StatementBill.objects.exists()

    def test_statement_with_stances_is_created_with_the_permission(self):
        bill = BillFactory()
        client = client_with(
            "bills.add_statement", "sources.add_citation", "bills.add_statementbill", DRAFTS
        )
        payload = statement_payload(bills=[{"bill": bill.slug, "stance": "unclear"}])
        response = client.post("/api/v1/statements/", payload, format="json")
        assert response.status_code == 201, response.content
        assert StatementBill.objects.get().bill == bill

    def test_a_stances_sources_need_the_citation_permissions(self):
        bill = BillFactory()
        cited = {
            "bill": bill.slug,
            "stance": "support",
            "sources": [{"source": SourceFactory().pk, "excerpt": "We support it."}],
        }
        granted = ("bills.add_statement", "sources.add_citation", "bills.add_statementbill")
        client = client_with(*granted, DRAFTS)
        response = client.post("/api/v1/statements/", statement_payload(bills=[cited]), "json")
        assert_refused(response, "sources.change_citation", "sources.delete_citation")
        assert not Statement.objects.exists()

        client = client_with(
            *granted, "sources.change_citation", "sources.delete_citation", DRAFTS, name="full"
        )
        response = client.post("/api/v1/statements/", statement_payload(bills=[cited]), "json")
        assert response.status_code == 201, response.content
        assert [c.excerpt for c in StatementBill.objects.get().citations.all()] == [
            "We support it."
        ]

    def test_replacing_stances_needs_add_change_and_delete(self):
        statement = StatementFactory()
        CitationFactory(record=statement)
        bill = BillFactory()
        path = f"/api/v1/statements/{statement.slug}/"
        payload = {"bills": [{"bill": bill.slug, "stance": "unclear"}]}

        client = client_with("bills.change_statement", "bills.add_statementbill")
        response = client.patch(path, payload, format="json", HTTP_IF_MATCH=etag_of(client, path))
        assert_refused(response, "bills.change_statementbill", "bills.delete_statementbill")
        assert not StatementBill.objects.exists()

        client = client_with(
            "bills.change_statement",
            "bills.add_statementbill",
            "bills.change_statementbill",
            "bills.delete_statementbill",
            name="full",
        )
        response = client.patch(path, payload, format="json", HTTP_IF_MATCH=etag_of(client, path))
        assert response.status_code == 200, response.content
        assert StatementBill.objects.get().stance == "unclear"


class TestStatusChange:
    def test_status_change_with_sources_needs_add_citation(self):
        bill = BillFactory()
        client = client_with("bills.change_bill")
        payload = {
            "to_status": "announced",
            "sources": [{"source": SourceFactory().pk, "excerpt": "Announced."}],
        }
        response = client.post(f"/api/v1/bills/{bill.slug}/actions/", payload, format="json")
        assert_refused(response, "sources.add_citation")
        bill.refresh_from_db()
        assert bill.status is None
        assert not BillAction.objects.exists() and not Citation.objects.exists()

    def test_status_change_is_a_change_of_the_bill(self):
        # No BillAction permission: the transition service alone writes status history.
        bill = BillFactory()
        client = client_with("bills.change_bill", "sources.add_citation")
        payload = {
            "to_status": "announced",
            "sources": [{"source": SourceFactory().pk, "excerpt": "Announced."}],
        }
        response = client.post(f"/api/v1/bills/{bill.slug}/actions/", payload, format="json")
        assert response.status_code == 201, response.content
        assert BillAction.objects.get().citations.count() == 1


class TestPublishWithDependents:
    @pytest.fixture
    def draft_bill(self):
        bill = BillFactory(is_published=False)
        SponsorshipFactory(bill=bill, is_published=False)
        return bill

    def test_needs_change_permission_of_every_dependent(self, draft_bill):
        client = client_with("bills.change_bill", DRAFTS)
        response = client.post(f"/api/v1/bills/{draft_bill.slug}/publish/?with_dependents=1")
        assert_refused(response, "bills.change_sponsorship")
        draft_bill.refresh_from_db()
        assert not draft_bill.is_published
        assert not Sponsorship.objects.filter(is_published=True).exists()

    def test_publishes_them_with_the_permissions(self, draft_bill):
        client = client_with("bills.change_bill", "bills.change_sponsorship", DRAFTS)
        response = client.post(f"/api/v1/bills/{draft_bill.slug}/publish/?with_dependents=1")
        assert response.status_code == 200, response.content
        assert Sponsorship.objects.get().is_published

    def test_without_dependents_flag_it_is_still_a_conflict(self, draft_bill):
        client = client_with("bills.change_bill", DRAFTS)
        response = client.post(f"/api/v1/bills/{draft_bill.slug}/publish/")
        assert response.status_code == 409, response.content


class TestNestedBounds:
    def test_100_citations_are_accepted_and_101_refused(self):
        client = client_with("bills.add_bill", "sources.add_citation", DRAFTS)
        counts = {}
        for citations in (1, MAX_NESTED_ITEMS):
            payload = bill_payload(slug=f"bill-{citations}", citations=citations)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.post("/api/v1/bills/", payload, format="json")
                elapsed = time.perf_counter() - started
            assert response.status_code == 201, response.content
            counts[citations] = len(queries)
            print(f"{citations} nested citations: {elapsed:.2f} s, {len(queries)} queries")
        # Each citation costs a fixed number of queries (validation, insert, history row).
        per_citation = (counts[MAX_NESTED_ITEMS] - counts[1]) / (MAX_NESTED_ITEMS - 1)
        assert per_citation <= 25

        payload = bill_payload(slug="too-many", citations=MAX_NESTED_ITEMS + 1)
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/v1/bills/", payload, format="json")
        assert response.status_code == 400
        assert "sources" in response.json()["errors"]
        assert len(queries) < 20  # refused before the items are looked at
        assert not Bill.objects.filter(slug="too-many").exists()

    def test_101_stances_are_refused(self):
        client = client_with(
            "bills.add_statement", "sources.add_citation", "bills.add_statementbill"
        )
        stances = [{"bill": f"bill-{n}"} for n in range(MAX_NESTED_ITEMS + 1)]
        payload = statement_payload(bills=stances)
        response = client.post("/api/v1/statements/", payload, format="json")
        assert response.status_code == 400
        assert "bills" in response.json()["errors"]
        assert not Statement.objects.exists()

    def test_status_change_sources_are_bounded(self):
        bill = BillFactory()
        client = client_with("bills.change_bill", "sources.add_citation")
        source = SourceFactory()
        payload = {
            "to_status": "announced",
            "sources": [{"source": source.pk, "excerpt": "X"}] * (MAX_NESTED_ITEMS + 1),
        }
        response = client.post(f"/api/v1/bills/{bill.slug}/actions/", payload, format="json")
        assert response.status_code == 400
        assert "sources" in response.json()["errors"]
        assert not BillAction.objects.exists()


def test_curator_without_staff_flag_curates_through_the_api():
    """The Curators group alone (no `is_staff`) is enough: every answer is a clean 2xx/4xx."""
    user = User.objects.create_user("curator", password="pw", is_staff=False)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    path = "/api/v1/bills/kz-roads/"

    created = client.post("/api/v1/bills/", bill_payload(citations=1), format="json")
    assert created.status_code == 201, created.content

    etag = etag_of(client, path)
    updated = client.patch(path, {"summary": "Roads."}, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200, updated.content
    stale = client.patch(path, {"summary": "Again."}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"

    action = client.post(
        f"{path}actions/",
        {"to_status": "announced", "sources": [{"source": SourceFactory().pk, "excerpt": "A."}]},
        format="json",
    )
    assert action.status_code == 201, action.content

    published = client.post(f"{path}publish/?with_dependents=1")
    assert published.status_code == 200, published.content
    assert APIClient().get(path).status_code == 200
    unpublished = client.post(f"{path}unpublish/")
    assert unpublished.status_code == 200, unpublished.content
    assert APIClient().get(path).status_code == 404
    assert client.get(path).status_code == 200  # drafts: by permission, not is_staff

    bill = Bill.objects.get(slug="kz-roads")
    assert (bill.summary, bill.status, bill.is_published) == ("Roads.", "announced", False)
