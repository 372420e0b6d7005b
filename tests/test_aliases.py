"""Stable addresses: a renamed record keeps its old slug as an alias. The old URL answers 301
(308 for writes) to the new one, sub-routes and query strings included; filters accept the old
slug; an alias of a record the caller may not see is a 404 like any unknown slug."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType

from bills.models import Bill, Person, Topic
from bills.services import bill_update, person_create, person_update, topic_update
from policytracker.aliases.models import SlugAlias
from policytracker.aliases.selectors import record_for_alias
from tests.admin_pages import change_url, posted_form
from tests.bills.factories import (
    BillFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
    TopicFactory,
)
from tests.bills.test_curation_api import make_curator

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return make_curator()


def aliases_of(record) -> list[str]:
    content_type = ContentType.objects.get_for_model(record)
    rows = SlugAlias.objects.filter(content_type=content_type, record_id=record.pk)
    return sorted(rows.values_list("slug", flat=True))


def rename_via_api(client, path: str, new_slug: str):
    current = client.get(path)
    assert current.status_code == 200, current.content
    response = client.patch(path, {"slug": new_slug}, format="json", HTTP_IF_MATCH=current["ETag"])
    assert response.status_code == 200, response.content
    return response


class TestRenameThroughTheApi:
    def test_old_url_redirects_permanently_with_the_query_string(self, curator, api_client):
        BillFactory(slug="kz-roads")
        rename_via_api(curator, "/api/v1/bills/kz-roads/", "kz-2016-roads")
        assert aliases_of(Bill.objects.get(slug="kz-2016-roads")) == ["kz-roads"]

        response = api_client.get("/api/v1/bills/kz-roads/?include=sponsors,actions")
        assert response.status_code == 301
        assert response["Location"] == (
            "http://testserver/api/v1/bills/kz-2016-roads/?include=sponsors,actions"
        )
        followed = api_client.get(response["Location"])
        assert followed.status_code == 200
        assert followed.json()["slug"] == "kz-2016-roads"

    def test_sub_routes_redirect_too(self, curator, api_client):
        BillFactory(slug="old-bill")
        rename_via_api(curator, "/api/v1/bills/old-bill/", "new-bill")
        for route in ("history/", "actions/"):
            response = api_client.get(f"/api/v1/bills/old-bill/{route}")
            assert response.status_code == 301, route
            assert response["Location"] == f"http://testserver/api/v1/bills/new-bill/{route}"

    @pytest.mark.parametrize(
        ("factory", "route"),
        [(PersonFactory, "people"), (StatementFactory, "statements"), (TopicFactory, "topics")],
    )
    def test_every_slug_addressed_kind_redirects(self, curator, api_client, factory, route):
        record = factory()
        services = {
            "people": lambda: person_update(person=record, values={"slug": "renamed"}),
            "topics": lambda: topic_update(topic=record, values={"slug": "renamed"}),
        }
        if route in services:
            services[route]()
        else:
            rename_via_api(curator, f"/api/v1/{route}/{record.slug}/", "renamed")
        response = api_client.get(f"/api/v1/{route}/{record.slug}/")
        assert response.status_code == 301
        assert response["Location"] == f"http://testserver/api/v1/{route}/renamed/"

    def test_writes_by_old_slug_answer_308_and_change_nothing(self, curator):
        BillFactory(slug="first-name", short_title="Roads")
        rename_via_api(curator, "/api/v1/bills/first-name/", "second-name")
        response = curator.patch(
            "/api/v1/bills/first-name/", {"short_title": "Other"}, format="json"
        )
        assert response.status_code == 308
        assert response["Location"] == "http://testserver/api/v1/bills/second-name/"
        assert Bill.objects.get(slug="second-name").short_title == "Roads"
        assert curator.post("/api/v1/bills/first-name/unpublish/").status_code == 308

    def test_unknown_slug_is_still_404(self, api_client):
        assert api_client.get("/api/v1/bills/never-existed/").status_code == 404


class TestTheGate:
    def test_alias_of_a_draft_is_404_for_the_public_and_301_for_curators(self, curator, api_client):
        bill = BillFactory(slug="draft-old", is_published=False)
        bill_update(bill=bill, values={"slug": "draft-new"})
        response = api_client.get("/api/v1/bills/draft-old/")
        assert response.status_code == 404
        assert "draft-new" not in response.content.decode()
        assert "Location" not in response
        assert curator.get("/api/v1/bills/draft-old/").status_code == 301

    def test_filter_by_alias_of_a_draft_is_refused_like_an_unknown_slug(self, api_client):
        person = PersonFactory(slug="hidden-old", is_published=False)
        person_update(person=person, values={"slug": "hidden-new"})
        response = api_client.get("/api/v1/statements/?speaker=hidden-old")
        assert response.status_code == 400
        assert "speaker" in response.json()["errors"]


class TestFilters:
    def test_slug_filters_accept_an_old_slug(self, api_client):
        person = PersonFactory(slug="nazarbayev-n")
        statement = StatementFactory(speaker_person=person)
        bill = BillFactory(slug="bill-old")
        SponsorshipFactory(bill=bill, organization=None, person=person)
        topic = TopicFactory(slug="topic-old")
        bill.topics.add(topic)
        person_update(person=person, values={"slug": "nursultan-nazarbayev"})
        bill_update(bill=bill, values={"slug": "bill-new"})
        topic_update(topic=topic, values={"slug": "topic-new"})

        for old, new in (("nazarbayev-n", "nursultan-nazarbayev"),):
            for value in (old, new):
                rows = api_client.get(f"/api/v1/statements/?speaker={value}").json()["results"]
                assert [row["slug"] for row in rows] == [statement.slug]
                rows = api_client.get(f"/api/v1/bills/?sponsor={value}").json()["results"]
                assert [row["slug"] for row in rows] == ["bill-new"]
        for value in ("topic-old", "topic-new"):
            rows = api_client.get(f"/api/v1/bills/?topic={value}").json()["results"]
            assert [row["slug"] for row in rows] == ["bill-new"]
        for value in ("bill-old", "bill-new"):
            response = api_client.get(f"/api/v1/sponsorships/?bill={value}")
            assert response.status_code == 200
            assert len(response.json()["results"]) == 1

    def test_a_current_slug_wins_over_an_alias(self, api_client):
        first = PersonFactory(slug="a-person")
        person_update(person=first, values={"slug": "first-person"})
        # A new record may take the old slug: it answers for it from then on.
        second = person_create(values={"slug": "a-person", "name": "Second", "is_published": True})
        assert api_client.get("/api/v1/people/a-person/").json()["name"] == "Second"
        assert record_for_alias(Person, "a-person") is None
        StatementFactory(speaker_person=second, slug="said-by-second")
        StatementFactory(speaker_person=first, slug="said-by-first")
        rows = api_client.get("/api/v1/statements/?speaker=a-person").json()["results"]
        assert [row["slug"] for row in rows] == ["said-by-second"]
        rows = api_client.get("/api/v1/bills/?sponsor=a-person").json()["results"]
        assert rows == []


class TestAliasRules:
    def test_renaming_back_takes_the_alias_over(self):
        topic = TopicFactory(slug="one")
        topic_update(topic=topic, values={"slug": "two"})
        topic_update(topic=topic, values={"slug": "three"})
        assert aliases_of(topic) == ["one", "two"]
        topic_update(topic=Topic.objects.get(pk=topic.pk), values={"slug": "one"})
        assert aliases_of(topic) == ["three", "two"]

    def test_another_record_taking_an_alias_drops_it(self):
        first = PersonFactory(slug="shared")
        person_update(person=first, values={"slug": "first"})
        second = PersonFactory(slug="second")
        person_update(person=second, values={"slug": "shared"})
        assert aliases_of(first) == []
        assert aliases_of(second) == ["second"]

    def test_an_alias_moves_to_the_record_that_held_the_slug_last(self):
        first = PersonFactory(slug="first")
        person_update(person=first, values={"slug": "first-renamed"})
        second = PersonFactory(slug="second")
        person_update(person=second, values={"slug": "first"})
        person_update(person=Person.objects.get(pk=second.pk), values={"slug": "second-again"})
        assert aliases_of(second) == ["first", "second"]
        assert aliases_of(first) == []

    def test_no_alias_when_other_fields_change(self):
        person = PersonFactory(slug="steady")
        person_update(person=person, values={"name": "Another Name"})
        assert aliases_of(person) == []

    def test_history_rows_record_alias_writes(self):
        topic = TopicFactory(slug="hist-a")
        topic_update(topic=topic, values={"slug": "hist-b"})
        alias = SlugAlias.objects.get(slug="hist-a")
        assert alias.history.count() == 1


class TestRenameThroughTheAdmin:
    def test_admin_rename_keeps_the_old_address(self, client, api_client):
        user = User.objects.create_user("editor", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name="Curators"))
        client.force_login(user)
        person = PersonFactory(slug="admin-old")
        form = posted_form(client.get(change_url(person)))
        form["slug"] = "admin-new"
        response = client.post(change_url(person), form)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Person.objects.get(pk=person.pk).slug == "admin-new"
        response = api_client.get("/api/v1/people/admin-old/")
        assert response.status_code == 301
        assert response["Location"] == "http://testserver/api/v1/people/admin-new/"
