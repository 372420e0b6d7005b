"""The write rules as the API enforces them: versions (ETag / If-Match), citation targets,
readable refusals, and publishing records that depend on drafts."""

import pytest
from django.contrib.contenttypes.models import ContentType

from bills.models import Bill, Membership, Sponsorship, Statement
from sources.models import Citation, Source
from tests.bills.factories import (
    BillFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
)
from tests.bills.test_curation_api import BILL, assert_problem, make_curator
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return make_curator()


def etag_of(client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, response.content
    return response["ETag"]


class TestVersions:
    def test_etag_carries_the_version(self, curator):
        bill = BillFactory(slug="kz")
        assert etag_of(curator, "/api/v1/bills/kz/").startswith(f'"{bill.version}-')

    @pytest.mark.parametrize("query", ["?include=actions", "?include=sponsors,statements", ""])
    def test_get_with_any_include_then_patch_succeeds(self, curator, query):
        BillFactory(slug="kz", summary="Old")
        etag = etag_of(curator, f"/api/v1/bills/kz/{query}")
        response = curator.patch(
            "/api/v1/bills/kz/", {"summary": "New"}, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200, response.content
        assert Bill.objects.get().summary == "New"

    def test_get_through_another_host_then_patch_succeeds(self, curator):
        BillFactory(slug="kz", summary="Old")
        etag = etag_of(curator, "/api/v1/bills/kz/", HTTP_HOST="localhost")
        assert etag != etag_of(curator, "/api/v1/bills/kz/")  # other links, same version
        response = curator.patch(
            "/api/v1/bills/kz/", {"summary": "New"}, format="json", HTTP_IF_MATCH=etag
        )
        assert response.status_code == 200, response.content

    def test_each_change_moves_the_version_and_stale_tokens_fail(self, curator):
        bill = BillFactory(slug="kz", summary="Old")
        etag = etag_of(curator, "/api/v1/bills/kz/")
        first = curator.patch(
            "/api/v1/bills/kz/", {"summary": "A"}, format="json", HTTP_IF_MATCH=etag
        )
        assert first["ETag"].startswith(f'"{bill.version + 1}-')
        stale = curator.patch(
            "/api/v1/bills/kz/", {"summary": "B"}, format="json", HTTP_IF_MATCH=etag
        )
        assert_problem(stale, 412)
        assert "version" in stale.json()["detail"]
        assert Bill.objects.get().summary == "A"

    def test_a_new_citation_is_a_new_version_of_the_record(self, curator):
        BillFactory(slug="kz")
        etag = etag_of(curator, "/api/v1/bills/kz/")
        created = curator.post(
            "/api/v1/citations/",
            {
                "record_type": "bill",
                "record_id": Bill.objects.get().pk,
                "source": SourceFactory().pk,
                "excerpt": "The bill on roads.",
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        response = curator.patch(
            "/api/v1/bills/kz/", {"summary": "New"}, format="json", HTTP_IF_MATCH=etag
        )
        assert_problem(response, 412)

    @pytest.mark.parametrize("header", ['"abc"', "garbage", '"-1"', "*, garbage"])
    def test_malformed_if_match_is_a_failed_precondition(self, curator, header):
        BillFactory(slug="kz")
        response = curator.patch(
            "/api/v1/bills/kz/", {"summary": "New"}, format="json", HTTP_IF_MATCH=header
        )
        assert_problem(response, 412)

    @pytest.mark.parametrize("header", [",", " , ,"])
    def test_if_match_listing_no_etag_is_a_failed_precondition(self, curator, header):
        # A list of no ETags matches no version (it was a 500: an index into an empty list).
        BillFactory(slug="kz", is_published=False)
        patch = curator.patch(
            "/api/v1/bills/kz/", {"summary": "New"}, format="json", HTTP_IF_MATCH=header
        )
        assert_problem(patch, 412)
        assert_problem(curator.post("/api/v1/bills/kz/publish/", HTTP_IF_MATCH=header), 412)
        assert not Bill.objects.get().is_published

    def test_overlong_if_match_is_refused_naming_it(self, curator):
        BillFactory(slug="kz")
        header = ", ".join(['"1-0123456789abcdef"'] * 60)
        response = curator.patch(
            "/api/v1/bills/kz/", {"summary": "New"}, format="json", HTTP_IF_MATCH=header
        )
        assert_problem(response, 400, "If-Match")

    def test_if_match_star_takes_any_version(self, curator):
        BillFactory(slug="kz")
        response = curator.patch(
            "/api/v1/bills/kz/", {"summary": "New"}, format="json", HTTP_IF_MATCH="*"
        )
        assert response.status_code == 200

    def test_unchanged_detail_answers_304(self, curator):
        BillFactory(slug="kz")
        etag = etag_of(curator, "/api/v1/bills/kz/?include=actions")
        again = curator.get("/api/v1/bills/kz/?include=actions", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304

    def test_delete_checks_the_version(self, curator):
        OrganizationFactory(slug="org")
        etag = etag_of(curator, "/api/v1/organizations/org/")
        curator.patch(
            "/api/v1/organizations/org/", {"name": "Renamed"}, format="json", HTTP_IF_MATCH=etag
        )
        assert_problem(curator.delete("/api/v1/organizations/org/", HTTP_IF_MATCH=etag), 412)
        fresh = etag_of(curator, "/api/v1/organizations/org/")
        assert curator.delete("/api/v1/organizations/org/", HTTP_IF_MATCH=fresh).status_code == 204


class TestCitationRules:
    def payload(self, **overrides) -> dict:
        return {"source": SourceFactory().pk, "excerpt": "As reported.", **overrides}

    def test_a_non_citable_record_type_is_refused(self, curator):
        response = curator.post(
            "/api/v1/citations/", self.payload(record_type="user", record_id=1), format="json"
        )
        assert_problem(response, 400, "record_type")
        assert not Citation.objects.exists()

    def test_a_record_that_does_not_exist_is_refused(self, curator):
        response = curator.post(
            "/api/v1/citations/",
            self.payload(record_type="bill", record_id=999_999),
            format="json",
        )
        assert_problem(response, 400, "record_id")
        assert "No bill with id 999999" in response.json()["errors"]["record_id"][0]

    def test_the_field_must_be_a_field_of_the_record(self, curator):
        bill = BillFactory()
        response = curator.post(
            "/api/v1/citations/",
            self.payload(record_type="bill", record_id=bill.pk, field="colour"),
            format="json",
        )
        assert_problem(response, 400, "field")
        ok = curator.post(
            "/api/v1/citations/",
            self.payload(record_type="bill", record_id=bill.pk, field="introduced_on"),
            format="json",
        )
        assert ok.status_code == 201, ok.content

    def test_nested_sources_check_the_field_too(self, curator):
        response = curator.post(
            "/api/v1/people/",
            {
                "slug": "p",
                "name": "P",
                "sources": [{"source": SourceFactory().pk, "excerpt": "x", "field": "shoe_size"}],
            },
            format="json",
        )
        assert_problem(response, 400, "sources")

    def test_moving_a_statements_last_citation_away_is_refused(self, curator):
        statement = StatementFactory()
        citation = CitationFactory(record=statement)
        other = BillFactory()
        url = f"/api/v1/citations/{citation.pk}/"
        response = curator.patch(
            url,
            {"record_type": "bill", "record_id": other.pk},
            format="json",
            HTTP_IF_MATCH=etag_of(curator, url),
        )
        assert_problem(response, 400, "sources")
        citation.refresh_from_db()
        assert citation.object_id == statement.pk
        assert citation.content_type == ContentType.objects.get_for_model(Statement)


class TestReadableRefusals:
    """Database constraint names never reach a caller: each refusal names a field in words."""

    def test_verified_title_needs_a_title(self, curator):
        response = curator.post("/api/v1/bills/", {**BILL, "title": ""}, format="json")
        assert_problem(response, 400, "title")
        assert "Constraint" not in response.content.decode()

    def test_membership_cannot_end_before_it_starts(self, curator):
        response = curator.post(
            "/api/v1/memberships/",
            {
                "person": PersonFactory().slug,
                "organization": OrganizationFactory().slug,
                "role": "Deputy",
                "start_on": "2016-05-01",
                "end_on": "2016-01-01",
            },
            format="json",
        )
        assert_problem(response, 400, "end_on")
        assert "Constraint" not in response.content.decode()
        assert not Membership.objects.exists()

    def test_statement_with_two_speakers_is_refused(self, curator):
        response = curator.post(
            "/api/v1/statements/",
            {
                "slug": "s",
                "attribution": "Both",
                "text": "Said.",
                "form": "direct_quote",
                "speaker_person": PersonFactory().slug,
                "speaker_organization": OrganizationFactory().slug,
                "sources": [{"source": SourceFactory().pk, "excerpt": "Said."}],
            },
            format="json",
        )
        assert_problem(response, 400, "speaker_organization")


class TestPublishingWithDrafts:
    def test_publishing_a_bill_with_draft_dependents_is_refused_with_the_list(self, curator):
        bill = BillFactory(slug="kz", is_published=False)
        sponsorship = SponsorshipFactory(bill=bill, is_published=False)
        draft_source = SourceFactory(is_published=False)
        CitationFactory(record=bill, source=draft_source)
        response = curator.post("/api/v1/bills/kz/publish/")
        assert_problem(response, 409)
        listed = {(ref["type"], ref["id"]) for ref in response.json()["dependents"]}
        assert listed == {("sponsorship", sponsorship.pk), ("source", draft_source.pk)}
        assert "with_dependents" in response.json()["detail"]
        assert not Bill.objects.get().is_published

    def test_with_dependents_publishes_them_together(self, curator):
        bill = BillFactory(slug="kz", is_published=False)
        person = PersonFactory(is_published=False)
        SponsorshipFactory(bill=bill, person=person, organization=None, is_published=False)
        CitationFactory(record=bill, source=SourceFactory(is_published=False))
        response = curator.post("/api/v1/bills/kz/publish/?with_dependents=1")
        assert response.status_code == 200, response.content
        assert Bill.objects.get().is_published
        assert Sponsorship.objects.get().is_published
        assert Source.objects.get().is_published
        person.refresh_from_db()
        assert person.is_published

    def test_a_statement_with_a_draft_speaker_is_refused(self, curator):
        speaker = PersonFactory(slug="speaker", is_published=False)
        statement = StatementFactory(slug="s", speaker_person=speaker, is_published=False)
        CitationFactory(record=statement)
        response = curator.post("/api/v1/statements/s/publish/")
        assert_problem(response, 409)
        assert response.json()["dependents"][0]["slug"] == "speaker"

    def test_with_dependents_takes_only_a_boolean(self, curator):
        BillFactory(slug="kz", is_published=False)
        response = curator.post("/api/v1/bills/kz/publish/?with_dependents=maybe")
        assert_problem(response, 400, "with_dependents")

    def test_publish_honours_if_match(self, curator):
        BillFactory(slug="kz", is_published=False)
        etag = etag_of(curator, "/api/v1/bills/kz/")
        curator.patch("/api/v1/bills/kz/", {"summary": "x"}, format="json", HTTP_IF_MATCH=etag)
        assert_problem(curator.post("/api/v1/bills/kz/publish/", HTTP_IF_MATCH=etag), 412)
        assert not Bill.objects.get().is_published
        fresh = etag_of(curator, "/api/v1/bills/kz/")
        assert curator.post("/api/v1/bills/kz/publish/", HTTP_IF_MATCH=fresh).status_code == 200

    def test_a_published_membership_of_a_draft_person_stays_hidden(self, curator):
        membership = MembershipFactory(person=PersonFactory(is_published=False))
        assert membership.is_published
        assert curator.get(f"/api/v1/memberships/{membership.pk}/").status_code == 200
        from rest_framework.test import APIClient

        assert APIClient().get(f"/api/v1/memberships/{membership.pk}/").status_code == 404
