import datetime
import time

import pytest
from django.contrib.auth.models import Group, User

from bills.models import StatementBill
from bills.services import bill_change_status
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
    TopicFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response):
    return [row["slug"] for row in results(response)]


def assert_problem(response, status, field):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert field in body["errors"]
    assert field in body["detail"]


class TestBills:
    def test_list_shows_status_sources_and_own_url(self, client):
        bill = BillFactory(slug="kz-2016-a")
        bill_change_status(bill=bill, to_status="announced", occurred_on=D(2016, 9, 1))
        CitationFactory(record=bill, excerpt="They comprise seven bills, he said.")
        (row,) = results(client.get("/api/v1/bills/"))
        assert row["slug"] == "kz-2016-a"
        assert row["status"] == "announced"
        assert row["status_explanation"].startswith("The initiator has said")
        assert row["url"] == "http://testserver/api/v1/bills/kz-2016-a/"
        assert row["sources"][0]["excerpt"] == "They comprise seven bills, he said."
        assert row["sources"][0]["source"]["url"].startswith("https://")
        assert {"id", "created_at", "updated_at"} <= set(row)
        assert "sponsors" not in row

    def test_detail_by_slug(self, client):
        BillFactory(slug="kz-2016-b", title="On counter-intelligence")
        response = client.get("/api/v1/bills/kz-2016-b/")
        assert response.status_code == 200
        assert response.json()["title"] == "On counter-intelligence"

    def test_drafts_are_invisible_to_the_public(self, client):
        BillFactory(slug="draft", is_published=False)
        BillFactory(slug="public")
        assert slugs(client.get("/api/v1/bills/")) == ["public"]
        response = client.get("/api/v1/bills/draft/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"

    def test_curators_see_drafts(self, client):
        BillFactory(slug="draft", is_published=False)
        curator = User.objects.create_user("curator")
        curator.groups.add(Group.objects.get(name="Curators"))
        client.force_login(curator)
        assert slugs(client.get("/api/v1/bills/")) == ["draft"]
        assert client.get("/api/v1/bills/draft/").status_code == 200

    def test_staff_without_the_drafts_permission_do_not_see_drafts(self, client):
        BillFactory(slug="draft", title="Registration of secrets", is_published=False)
        client.force_login(User.objects.create_user("staff", is_staff=True))
        assert slugs(client.get("/api/v1/bills/")) == []
        assert client.get("/api/v1/bills/draft/").status_code == 404
        assert client.get("/api/v1/search/?q=secrets").json()["results"] == []

    def test_unpublished_sources_are_not_cited_publicly(self, client):
        bill = BillFactory()
        CitationFactory(record=bill, source=SourceFactory(is_published=False))
        (row,) = results(client.get("/api/v1/bills/"))
        assert row["sources"] == []

    def test_include_embeds_sponsors_actions_statements(self, client):
        bill = BillFactory(slug="kz")
        bill_change_status(bill=bill, to_status="announced", occurred_on=D(2016, 9, 1))
        SponsorshipFactory(bill=bill, organization=OrganizationFactory(slug="knb"), role="drafter")
        statement = StatementFactory(slug="said")
        StatementBill.objects.create(statement=statement, bill=bill, stance="oppose")
        hidden = StatementFactory(slug="hidden", is_published=False)
        StatementBill.objects.create(statement=hidden, bill=bill, stance="support")
        row = client.get("/api/v1/bills/kz/?include=sponsors,actions,statements").json()
        assert [s["organization"]["slug"] for s in row["sponsors"]] == ["knb"]
        assert [a["resulting_status"] for a in row["actions"]] == ["announced"]
        assert [(s["slug"], s["stance"]) for s in row["statements"]] == [("said", "oppose")]

    def test_unknown_include_is_a_400_naming_the_field(self, client):
        assert_problem(client.get("/api/v1/bills/?include=votes"), 400, "include")
        assert_problem(client.get("/api/v1/bills/?include=actions&include=votes"), 400, "include")

    def test_include_repeated_is_the_same_as_comma_separated(self, client):
        """Generated clients send an array as `include=a&include=b` (the schema says so)."""
        bill = BillFactory(slug="kz")
        SponsorshipFactory(bill=bill, organization=OrganizationFactory(slug="knb"))
        bill_change_status(bill=bill, to_status="announced", occurred_on=D(2016, 9, 1))
        commas = client.get("/api/v1/bills/kz/?include=sponsors,actions").json()
        repeated = client.get("/api/v1/bills/kz/?include=sponsors&include=actions").json()
        mixed = results(client.get("/api/v1/bills/?include=sponsors&include=actions,sponsors"))
        assert commas == repeated == mixed[0]
        assert commas["sponsors"] and commas["actions"] and "statements" not in commas


class TestBillFilters:
    @pytest.fixture
    def bills(self):
        topic = TopicFactory(slug="information-security")
        mazhilis = OrganizationFactory(slug="mazhilis", classification="chamber")
        first = BillFactory(
            slug="first",
            originating_chamber=mazhilis,
            introduced_on=D(2016, 10, 26),
            introduced_precision="day",
        )
        first.topics.add(topic)
        bill_change_status(bill=first, to_status="announced", occurred_on=D(2016, 9, 1))
        second = BillFactory(slug="second")
        bill_change_status(bill=second, to_status="announced", occurred_on=D(2016, 9, 1))
        bill_change_status(bill=second, to_status="drafted", occurred_on=D(2016, 9, 2))
        person = PersonFactory(slug="kolkobayev")
        SponsorshipFactory(bill=second, person=person, organization=None, role="presenter")
        SponsorshipFactory(bill=first, organization=OrganizationFactory(slug="government"))
        return first, second

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("status=drafted", ["second"]),
            ("status=announced&status=drafted", ["first", "second"]),
            ("topic=information-security", ["first"]),
            ("chamber=mazhilis", ["first"]),
            ("sponsor=kolkobayev", ["second"]),
            ("sponsor=government", ["first"]),
            ("sponsor=kolkobayev&sponsor_role=initiator", []),
            ("sponsor_role=presenter", ["second"]),
            ("introduced_after=2016-10-01", ["first"]),
            ("introduced_before=2016-10-01", []),
            ("ordering=-slug", ["second", "first"]),
        ],
    )
    def test_filters(self, client, bills, query, expected):
        assert slugs(client.get(f"/api/v1/bills/?{query}")) == expected

    def test_updated_since(self, client, bills):
        first, second = bills
        from bills.models import Bill

        Bill.objects.filter(pk=first.pk).update(
            updated_at=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC)
        )
        assert slugs(client.get("/api/v1/bills/?updated_since=2020-01-01T00:00:00Z")) == ["second"]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("status=passed", "status"),
            ("topic=nonexistent", "topic"),
            ("chamber=nowhere", "chamber"),
            ("sponsor=nobody", "sponsor"),
            ("introduced_after=2016-13-45", "introduced_after"),
            ("updated_since=yesterday", "updated_since"),
            ("ordering=popularity", "ordering"),
            ("page_size=0", "page_size"),
            ("page_size=100000", "page_size"),
            ("page_size=abc", "page_size"),
            ("cursor=bogus", "cursor"),
            ("stauts=signed", "stauts"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, client, bills, query, field):
        assert_problem(client.get(f"/api/v1/bills/?{query}"), 400, field)


class TestSearch:
    @pytest.fixture
    def records(self):
        BillFactory(slug="genome", title="On dactyloscopic and genomic registration", summary="")
        BillFactory(
            slug="russian",
            title="On counter-intelligence",
            title_ru="О контрразведывательной деятельности",
            summary="",
        )
        BillFactory(slug="other", title="On roads", summary="Mentions registration once.")
        StatementFactory(
            slug="cameras",
            attribution="KNB Deputy Chairman Nurlan Bilisbekov",
            text="The country plans to install 51,000 surveillance cameras soon.",
        )

    def test_bill_search_ranks_title_matches_first(self, client, records):
        assert slugs(client.get("/api/v1/bills/?q=registration")) == ["genome", "other"]

    def test_bill_search_matches_russian_word_forms(self, client, records):
        assert slugs(client.get("/api/v1/bills/?q=контрразведывательная")) == ["russian"]

    def test_statement_search_matches_text_and_speaker(self, client, records):
        assert slugs(client.get("/api/v1/statements/?q=surveillance camera")) == ["cameras"]
        assert slugs(client.get("/api/v1/statements/?q=Bilisbekov")) == ["cameras"]

    def test_search_across_bills_and_statements(self, client, records):
        body = client.get("/api/v1/search/?q=registration OR cameras").json()
        kinds = {(hit["type"], hit["slug"]) for hit in body["results"]}
        assert kinds == {("bill", "genome"), ("bill", "other"), ("statement", "cameras")}
        ranks = [hit["rank"] for hit in body["results"]]
        assert ranks == sorted(ranks, reverse=True)
        assert body["results"][0]["url"].startswith("http://testserver/api/v1/")

    def test_search_needs_a_query(self, client):
        assert_problem(client.get("/api/v1/search/"), 400, "q")
        assert_problem(client.get("/api/v1/search/?q=x&limit=1000"), 400, "limit")

    def test_search_hides_drafts(self, client, records):
        BillFactory(slug="secret", title="Registration of secrets", is_published=False)
        assert "secret" not in slugs(client.get("/api/v1/bills/?q=registration"))
        hits = client.get("/api/v1/search/?q=registration").json()["results"]
        assert "secret" not in {hit["slug"] for hit in hits}

    def test_search_is_paginated_by_rank_without_repeats(self, client):
        for number in range(7):
            BillFactory(slug=f"b{number}", title="Terrorism " * (number + 1), summary="")
        seen, url = [], "/api/v1/bills/?q=terrorism&page_size=3"
        while url:
            body = client.get(url).json()
            seen += [row["slug"] for row in body["results"]]
            url = body["next"]
        assert sorted(seen) == [f"b{n}" for n in range(7)]
        assert len(seen) == 7


class TestStatements:
    @pytest.fixture
    def statements(self):
        ministry = OrganizationFactory(slug="ministry")
        speaker = PersonFactory(slug="yermekbayev")
        membership = MembershipFactory(person=speaker, organization=ministry, role="Minister")
        roundtable = EventFactory(slug="roundtable")
        bill, other = BillFactory(slug="bill"), BillFactory(slug="other")
        topic = TopicFactory(slug="prevention")
        one = StatementFactory(
            slug="one",
            speaker_person=speaker,
            speaker_membership=membership,
            event=roundtable,
            said_on=D(2016, 9, 22),
            said_precision="day",
        )
        one.topics.add(topic)
        StatementBill.objects.create(statement=one, bill=bill, stance="support")
        StatementBill.objects.create(statement=one, bill=other, stance="oppose")
        two = StatementFactory(
            slug="two",
            speaker_person=None,
            attribution="KNB delegates",
            speaker_organization=OrganizationFactory(slug="knb"),
            form="paraphrase",
        )
        StatementBill.objects.create(statement=two, bill=bill, stance="oppose")
        return one, two

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("speaker=yermekbayev", ["one"]),
            ("organization=ministry", ["one"]),
            ("organization=knb", ["two"]),
            ("bill=bill", ["one", "two"]),
            ("bill=bill&stance=oppose", ["two"]),
            ("bill=other&stance=oppose", ["one"]),
            ("stance=support", ["one"]),
            ("topic=prevention", ["one"]),
            ("event=roundtable", ["one"]),
            ("form=paraphrase", ["two"]),
            ("said_after=2016-09-01&said_before=2016-09-30", ["one"]),
        ],
    )
    def test_filters(self, client, statements, query, expected):
        assert slugs(client.get(f"/api/v1/statements/?{query}")) == expected

    def test_statement_shows_speaker_role_at_the_time_and_stances(self, client, statements):
        row = client.get("/api/v1/statements/one/").json()
        assert row["speaker_person"]["slug"] == "yermekbayev"
        assert row["speaker_organization_at_time"]["slug"] == "ministry"
        assert {(b["bill"]["slug"], b["stance"]) for b in row["bills"]} == {
            ("bill", "support"),
            ("other", "oppose"),
        }

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("stance=love", "stance"),
            ("speaker=ghost", "speaker"),
            ("said_after=22-09", "said_after"),
        ],
    )
    def test_bad_filter_values(self, client, statements, query, field):
        assert_problem(client.get(f"/api/v1/statements/?{query}"), 400, field)


class TestOtherEndpoints:
    def test_actions_filter_by_bill_classification_and_date(self, client):
        bill = BillFactory(slug="kz")
        bill_change_status(bill=bill, to_status="announced", occurred_on=D(2016, 9, 1))
        bill_change_status(bill=bill, to_status="submitted", occurred_on=D(2016, 10, 26))
        base = "/api/v1/bill-actions/"
        assert len(results(client.get(f"{base}?bill=kz"))) == 2
        rows = results(client.get(f"{base}?classification=introduction"))
        assert [r["resulting_status"] for r in rows] == ["submitted"]
        rows = results(client.get(f"{base}?occurred_after=2016-10-01&occurred_before=2016-10-31"))
        assert [r["occurred_on"] for r in rows] == ["2016-10-26"]
        assert_problem(client.get(f"{base}?classification=coup"), 400, "classification")

    def test_people_by_organization_and_role(self, client):
        knb = OrganizationFactory(slug="knb")
        MembershipFactory(
            person=PersonFactory(slug="bilisbekov"), organization=knb, role="Deputy Chairman"
        )
        MembershipFactory(person=PersonFactory(slug="other"), role="Minister")
        rows = results(client.get("/api/v1/people/?organization=knb"))
        assert [r["slug"] for r in rows] == ["bilisbekov"]
        rows = results(client.get("/api/v1/people/?role=minister&include=memberships"))
        assert [r["slug"] for r in rows] == ["other"]
        assert rows[0]["memberships"][0]["role"] == "Minister"

    def test_statuses_vocabulary_explains_each_status(self, client):
        rows = client.get("/api/v1/statuses/").json()
        codes = [row["code"] for row in rows]
        assert codes[0] == "announced" and "in_force" in codes
        signed = client.get("/api/v1/statuses/signed/").json()
        assert signed["allowed_next"] == ["in_force"]
        assert client.get("/api/v1/statuses/passed/").status_code == 404

    @pytest.mark.parametrize(
        "path",
        [
            "bills",
            "bill-actions",
            "sponsorships",
            "people",
            "organizations",
            "memberships",
            "events",
            "statements",
            "topics",
            "statuses",
            "sources",
            "search",
        ],
    )
    def test_api_root_lists_every_endpoint(self, client, path):
        assert client.get("/api/v1/").json()[path] == f"http://testserver/api/v1/{path}/"

    def test_writes_are_refused_for_anonymous(self, client):
        response = client.post("/api/v1/bills/", {"slug": "x"})
        assert response.status_code in {401, 403, 405}
        assert response["Content-Type"] == "application/problem+json"


class TestConditionalRequests:
    def test_etag_and_last_modified_give_304(self, client):
        BillFactory(slug="kz")
        time.sleep(1.1)  # past the second of the change (policytracker.api.last_modified_of)
        for url in ["/api/v1/bills/", "/api/v1/bills/kz/"]:
            first = client.get(url)
            assert first["ETag"] and first["Last-Modified"]
            assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
            since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
            assert since.status_code == 304

    def test_changed_record_gets_a_new_etag(self, client):
        bill = BillFactory(slug="kz")
        first = client.get("/api/v1/bills/kz/")
        bill.title = "Changed"
        bill.save()
        again = client.get("/api/v1/bills/kz/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 200
        assert again["ETag"] != first["ETag"]


class TestErrors:
    def test_unknown_url_is_a_problem_404(self, client):
        response = client.get("/api/v1/no-such-thing/")
        assert response.status_code == 404
        assert response.json()["title"] == "Not found"

    def test_wrong_method_is_a_problem_405(self, client):
        client.force_login(User.objects.create_superuser("admin", password="pw"))
        response = client.put("/api/v1/bills/", {}, content_type="application/json")
        assert response.status_code == 405
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Method not allowed"

    def test_anonymous_write_is_a_problem_401(self, client):
        response = client.delete("/api/v1/statuses/")
        assert response.status_code == 401
        assert response.json()["status"] == 401

    def test_unacceptable_media_type_is_a_problem_406(self, client):
        response = client.get("/api/v1/bills/", HTTP_ACCEPT="application/xml")
        assert response.status_code == 406
        assert response.json()["status"] == 406


def test_unexpected_error_is_a_problem_500(client, monkeypatch, settings):
    from bills import selectors

    def explode(**kwargs):
        raise RuntimeError("boom")

    from bills.api import lean

    monkeypatch.setattr(selectors, "bill_list", explode)
    monkeypatch.setattr(lean, "bill_rows", explode)  # the list's lean read path
    response = client.get("/api/v1/bills/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "An unexpected error occurred."
