"""The curation workflow through the API: drafts, publishing, status changes, preconditions,
idempotent creates and the public history."""

import datetime
import json
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bills.models import Bill, BillAction, Statement
from bills.services import bill_change_status
from sources.models import Citation, Source
from tests.bills.factories import BillFactory, OrganizationFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def make_curator(name: str = "curator") -> APIClient:
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def curator():
    return make_curator()


@pytest.fixture
def public():
    return APIClient()


def assert_problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    if field:
        assert field in response.json()["errors"], response.json()


BILL = {
    "slug": "kz-2016-roads",
    "title": "On roads",
    "title_status": "verified",
    "short_title": "Roads bill",
}


class TestDraftsAndPublishing:
    def test_created_bill_is_a_draft_until_published(self, curator, public):
        response = curator.post("/api/v1/bills/", BILL, format="json")
        assert response.status_code == 201
        assert response["Location"].endswith("/api/v1/bills/kz-2016-roads/")
        assert public.get("/api/v1/bills/kz-2016-roads/").status_code == 404
        assert public.get("/api/v1/bills/").json()["results"] == []

        assert curator.post("/api/v1/bills/kz-2016-roads/publish/").status_code == 200
        assert public.get("/api/v1/bills/kz-2016-roads/").status_code == 200

        assert curator.post("/api/v1/bills/kz-2016-roads/unpublish/").status_code == 200
        assert public.get("/api/v1/bills/kz-2016-roads/").status_code == 404

    def test_statement_is_hidden_until_published(self, curator, public):
        source = SourceFactory()
        payload = {
            "slug": "s1",
            "attribution": "Speaker",
            "text": "We support it.",
            "form": "direct_quote",
            "sources": [{"source": source.pk, "excerpt": "We support it."}],
        }
        assert curator.post("/api/v1/statements/", payload, format="json").status_code == 201
        assert public.get("/api/v1/statements/s1/").status_code == 404
        curator.post("/api/v1/statements/s1/publish/")
        body = public.get("/api/v1/statements/s1/").json()
        assert body["sources"][0]["excerpt"] == "We support it."

    def test_status_cannot_be_written_directly(self, curator):
        response = curator.post("/api/v1/bills/", {**BILL, "status": "signed"}, format="json")
        assert_problem(response, 400, "status")
        assert not Bill.objects.exists()


class TestStatusChanges:
    @pytest.fixture
    def bill(self):
        bill = BillFactory(slug="kz", introduced_on=D(2016, 10, 26), introduced_precision="day")
        bill_change_status(bill=bill, to_status="announced", occurred_on=D(2016, 9, 1))
        return bill

    def test_valid_status_change_is_recorded_with_its_source(self, curator, bill):
        source = SourceFactory()
        response = curator.post(
            "/api/v1/bills/kz/actions/",
            {
                "to_status": "submitted",
                "occurred_on": "2016-10-26",
                "actor": OrganizationFactory(slug="government").slug,
                "sources": [{"source": source.pk, "excerpt": "Decree No. 623"}],
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["resulting_status"] == "submitted"
        bill.refresh_from_db()
        assert bill.status == "submitted"
        action = bill.actions.get(order=2)
        assert Citation.objects.for_object(action).get().excerpt == "Decree No. 623"

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"to_status": "signed", "occurred_on": "2016-12-22"}, "to_status"),
            ({"to_status": "submitted", "occurred_on": "2999-01-01"}, "occurred_on"),
            ({"to_status": "submitted", "occurred_on": "2016-10-01"}, "occurred_on"),
            ({"to_status": "submitted", "occurred_on": "26.10.2016"}, "occurred_on"),
            ({"to_status": "passed"}, "to_status"),
            ({"to_status": "submitted", "actor": "nobody"}, "actor"),
            (
                {"to_status": "submitted", "sources": [{"source": 999999, "excerpt": "x"}]},
                "sources",
            ),
        ],
    )
    def test_refused_changes_change_nothing(self, curator, bill, payload, field):
        before = Bill.objects.get(pk=bill.pk)
        response = curator.post("/api/v1/bills/kz/actions/", payload, format="json")
        assert_problem(response, 400, field)
        after = Bill.objects.get(pk=bill.pk)
        assert (after.status, after.updated_at) == (before.status, before.updated_at)
        assert BillAction.objects.filter(bill=bill).count() == 1

    def test_history_of_actions_is_listed(self, public, bill):
        rows = public.get("/api/v1/bills/kz/actions/").json()
        assert [row["resulting_status"] for row in rows] == ["announced"]


class TestValidation:
    @pytest.mark.parametrize("sources", [{}, {"sources": []}])
    def test_statement_without_a_source_is_refused(self, curator, sources):
        payload = {"slug": "s", "attribution": "A", "text": "Hello", "form": "direct_quote"}
        response = curator.post("/api/v1/statements/", {**payload, **sources}, format="json")
        assert_problem(response, 400, "sources")
        assert "must cite at least one source" in response.json()["errors"]["sources"][0]
        assert not Statement.objects.exists()

    @pytest.mark.parametrize("field", ["attribution", "text"])
    @pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
    def test_blank_required_text_is_refused(self, curator, field, blank):
        # The schema says so too: minLength 1 and a pattern needing a non-space character.
        payload = {"slug": "s", "attribution": "A", "text": "Hello", "form": "direct_quote"}
        response = curator.post("/api/v1/statements/", {**payload, field: blank}, format="json")
        assert_problem(response, 400, field)

    def test_malformed_url_is_refused(self, curator):
        payload = {"document_url": "not a url", "title": "T", "kind": "news_article"}
        assert_problem(
            curator.post("/api/v1/sources/", payload, format="json"), 400, "document_url"
        )
        assert not Source.objects.exists()

    def test_duplicate_identifier_is_a_conflict(self, curator):
        BillFactory(slug="kz-2016-roads", title="Original")
        response = curator.post("/api/v1/bills/", BILL, format="json")
        assert_problem(response, 409, "slug")
        assert Bill.objects.get().title == "Original"

    def test_duplicate_law_number_is_a_conflict(self, curator):
        BillFactory(slug="kz-2016-signed", law_number="49-VI")
        response = curator.post("/api/v1/bills/", {**BILL, "law_number": "49-VI"}, format="json")
        assert_problem(response, 409, "law_number")
        assert list(Bill.objects.values_list("slug", flat=True)) == ["kz-2016-signed"]

    def test_unknown_field_is_refused(self, curator):
        response = curator.post("/api/v1/bills/", {**BILL, "colour": "red"}, format="json")
        assert_problem(response, 400, "colour")

    def test_last_source_of_a_statement_cannot_be_removed(self, curator):
        statement = StatementFactory()
        citation = CitationFactory(record=statement)
        etag = curator.get(f"/api/v1/citations/{citation.pk}/")["ETag"]
        response = curator.delete(f"/api/v1/citations/{citation.pk}/", HTTP_IF_MATCH=etag)
        assert_problem(response, 400, "sources")
        assert "must keep at least one source" in response.json()["errors"]["sources"][0]
        assert Citation.objects.filter(pk=citation.pk).exists()

    def test_source_still_cited_cannot_be_deleted(self, curator):
        citation = CitationFactory(record=BillFactory())
        url = f"/api/v1/sources/{citation.source_id}/"
        response = curator.delete(url, HTTP_IF_MATCH=curator.get(url)["ETag"])
        assert_problem(response, 409)
        assert Source.objects.filter(pk=citation.source_id).exists()


class TestPreconditions:
    def test_update_needs_if_match(self, curator):
        BillFactory(slug="kz", summary="Old")
        response = curator.patch("/api/v1/bills/kz/", {"summary": "New"}, format="json")
        assert_problem(response, 428)
        assert Bill.objects.get().summary == "Old"

    def test_stale_if_match_is_refused(self, curator):
        BillFactory(slug="kz", summary="Old")
        etag = curator.get("/api/v1/bills/kz/")["ETag"]
        first = curator.patch(
            "/api/v1/bills/kz/", {"summary": "First"}, format="json", HTTP_IF_MATCH=etag
        )
        assert first.status_code == 200
        assert first["ETag"] != etag
        second = curator.patch(
            "/api/v1/bills/kz/", {"summary": "Second"}, format="json", HTTP_IF_MATCH=etag
        )
        assert_problem(second, 412)
        assert Bill.objects.get().summary == "First"
        third = curator.patch(
            "/api/v1/bills/kz/", {"summary": "Third"}, format="json", HTTP_IF_MATCH=first["ETag"]
        )
        assert third.status_code == 200


# Real transactions, so the two requests race for the row lock; serialized_rollback restores
# the migration-created Curators group after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_editors_cannot_overwrite_each_other():
    BillFactory(slug="kz", summary="Original")
    editors = [make_curator("alice"), make_curator("bob")]
    etag = editors[0].get("/api/v1/bills/kz/")["ETag"]
    assert editors[1].get("/api/v1/bills/kz/")["ETag"] == etag
    barrier, results = threading.Barrier(2), {}

    def edit(index):
        barrier.wait()
        response = editors[index].patch(
            "/api/v1/bills/kz/", {"summary": f"Edit {index}"}, format="json", HTTP_IF_MATCH=etag
        )
        results[index] = response.status_code
        connection.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == [200, 412]
    winner = next(index for index, status in results.items() if status == 200)
    assert Bill.objects.get().summary == f"Edit {winner}"


class TestIdempotency:
    def test_replayed_key_returns_the_first_result_and_creates_once(self, curator):
        first = curator.post("/api/v1/bills/", BILL, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        again = curator.post("/api/v1/bills/", BILL, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json()
        assert again["Idempotent-Replayed"] == "true"
        assert again["Location"] == first["Location"]
        assert Bill.objects.count() == 1

    def test_same_key_for_a_different_request_is_refused(self, curator):
        curator.post("/api/v1/bills/", BILL, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
        other = {**BILL, "slug": "other"}
        response = curator.post("/api/v1/bills/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
        assert_problem(response, 422)
        assert Bill.objects.count() == 1

    def test_failed_request_can_be_retried_with_the_same_key(self, curator):
        bad = curator.post(
            "/api/v1/bills/",
            {**BILL, "title_status": "?"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-3",
        )
        assert bad.status_code == 400
        good = curator.post(
            "/api/v1/bills/",
            {**BILL, "title_status": "?"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-3",
        )
        assert good.status_code == 400  # same request, same (unstored) outcome, nothing created
        assert not Bill.objects.exists()

    def test_status_change_with_a_key_is_recorded_once(self, curator):
        BillFactory(slug="kz")
        for _ in range(2):
            response = curator.post(
                "/api/v1/bills/kz/actions/",
                {"to_status": "announced"},
                format="json",
                HTTP_IDEMPOTENCY_KEY="a-1",
            )
            assert response.status_code == 201
        assert BillAction.objects.count() == 1


class TestHistory:
    def test_history_shows_each_change_without_curator_data(self, curator, public):
        curator.post("/api/v1/bills/", BILL, format="json")
        curator.post("/api/v1/bills/kz-2016-roads/publish/")
        etag = curator.get("/api/v1/bills/kz-2016-roads/")["ETag"]
        curator.patch(
            "/api/v1/bills/kz-2016-roads/",
            {"summary": "Now with a summary."},
            format="json",
            HTTP_IF_MATCH=etag,
        )
        entries = public.get("/api/v1/bills/kz-2016-roads/history/").json()
        # Public history starts at publication: the draft's creation is not shown.
        assert [entry["type"] for entry in entries] == ["changed", "published"]
        assert entries[0]["changes"] == [
            {"field": "summary", "old": "", "new": "Now with a summary."}
        ]
        curator_view = curator.get("/api/v1/bills/kz-2016-roads/history/").json()
        assert [entry["type"] for entry in curator_view] == ["changed", "published", "created"]
        text = str(entries)
        assert "curator" not in text and "history_user" not in text

    def test_history_of_a_draft_is_not_public(self, public):
        BillFactory(slug="draft", is_published=False)
        assert public.get("/api/v1/bills/draft/history/").status_code == 404

    def test_statement_history(self, curator, public):
        statement = StatementFactory(slug="s")
        statement.text = "Corrected quote."
        statement.save()
        entries = public.get("/api/v1/statements/s/history/").json()
        assert entries[0]["changes"][0]["field"] == "text"

    def test_history_does_not_name_hidden_records(self, curator, public):
        from bills.models import BillPackage
        from bills.services import bill_update

        shown = BillPackage.objects.create(slug="shown", name="Shown", is_published=True)
        hidden = BillPackage.objects.create(slug="hidden", name="Hidden")
        bill = BillFactory(slug="kz", package=shown)
        bill_update(bill=bill, values={"package": hidden})
        entries = public.get("/api/v1/bills/kz/history/").json()
        assert entries[0]["changes"] == [{"field": "package", "old": shown.pk, "new": None}]
        curator_entries = curator.get("/api/v1/bills/kz/history/").json()
        assert curator_entries[0]["changes"][0]["new"] == hidden.pk

    def test_edits_made_while_a_draft_are_not_published(self, curator, public):
        curator.post("/api/v1/bills/", {**BILL, "summary": "zqx draft wording"}, format="json")
        etag = curator.get("/api/v1/bills/kz-2016-roads/")["ETag"]
        curator.patch(
            "/api/v1/bills/kz-2016-roads/",
            {"summary": "Reviewed wording."},
            format="json",
            HTTP_IF_MATCH=etag,
        )
        curator.post("/api/v1/bills/kz-2016-roads/publish/")
        body = public.get("/api/v1/bills/kz-2016-roads/history/").content.decode()
        assert "zqx" not in body
        assert [entry["type"] for entry in json.loads(body)] == ["published"]
        curator.post("/api/v1/bills/kz-2016-roads/unpublish/")
        assert public.get("/api/v1/bills/kz-2016-roads/history/").status_code == 404
