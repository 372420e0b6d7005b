"""Merging two records of one person: everything moves to the record that stays, the merged one
is deleted and its address redirects; through the API and the admin, the same service."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bills.models import Membership, Person, PersonName, Sponsorship, Statement
from bills.services import person_update
from bills.services.people import person_merge
from sources.models import Citation
from tests.bills.factories import (
    MembershipFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
)
from tests.bills.test_curation_api import assert_problem, make_curator
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return make_curator()


def duplicates():
    """Two records of one man, each with statements, a post, a sponsorship and a citation."""
    winner = PersonFactory(slug="kassym-jomart-tokayev", name="Kassym-Jomart Tokayev")
    loser = PersonFactory(slug="k-tokayev", name="K. Tokayev")
    PersonName.objects.create(person=loser, name="Токаев", kind="native")
    said = [StatementFactory(speaker_person=loser) for _ in range(2)]
    StatementFactory(speaker_person=winner)
    post = MembershipFactory(person=loser, role="President")
    twin_post = MembershipFactory(person=winner, organization=post.organization, role="Senator")
    same_post = MembershipFactory(person=loser, organization=post.organization, role="Senator")
    said[1].speaker_membership = same_post
    said[1].save()
    sponsorship = SponsorshipFactory(person=loser, organization=None)
    source = SourceFactory()
    CitationFactory(record=loser, source=source, excerpt="K. Tokayev said")
    return winner, loser, said, post, twin_post, sponsorship


class TestTheService:
    def test_everything_moves_and_the_old_slug_redirects(self, api_client):
        winner, loser, said, post, twin_post, sponsorship = duplicates()
        merged = person_merge(loser=loser, winner=winner)
        assert merged.pk == winner.pk
        assert not Person.objects.filter(pk=loser.pk).exists()
        assert set(Statement.objects.filter(speaker_person=winner)) >= set(said)
        # The duplicate post was folded into the winner's same post.
        assert Statement.objects.get(pk=said[1].pk).speaker_membership_id == twin_post.pk
        assert set(Membership.objects.filter(person=winner).values_list("pk", flat=True)) == {
            post.pk,
            twin_post.pk,
        }
        assert Sponsorship.objects.get(pk=sponsorship.pk).person_id == winner.pk
        names = set(PersonName.objects.filter(person=winner).values_list("name", flat=True))
        assert names == {"Токаев", "K. Tokayev"}
        assert Citation.objects.for_object(winner).filter(excerpt="K. Tokayev said").exists()
        assert merged.version > winner.version
        # Audit: the deletion and every move are history rows.
        assert Person.history.filter(id=loser.pk, history_type="-").exists()
        assert Statement.history.filter(id=said[0].pk, speaker_person_id=winner.pk).exists()

        response = api_client.get("/api/v1/people/k-tokayev/?include=memberships")
        assert response.status_code == 301
        assert response["Location"] == (
            "http://testserver/api/v1/people/kassym-jomart-tokayev/?include=memberships"
        )
        rows = api_client.get("/api/v1/statements/?speaker=k-tokayev").json()["results"]
        assert len(rows) == 3

    def test_the_losers_own_aliases_follow(self, api_client):
        winner = PersonFactory(slug="winner")
        loser = PersonFactory(slug="loser-first")
        person_update(person=loser, values={"slug": "loser-second"})
        person_merge(loser=Person.objects.get(pk=loser.pk), winner=winner)
        for old in ("loser-first", "loser-second"):
            response = api_client.get(f"/api/v1/people/{old}/")
            assert response.status_code == 301
            assert response["Location"] == "http://testserver/api/v1/people/winner/"


class TestThroughTheApi:
    def test_merge_with_if_match(self, curator, api_client):
        winner, loser, said, *_ = duplicates()
        etag = curator.get("/api/v1/people/k-tokayev/")["ETag"]
        response = curator.post(
            "/api/v1/people/k-tokayev/merge/",
            {"into": "kassym-jomart-tokayev"},
            format="json",
            HTTP_IF_MATCH=etag,
        )
        assert response.status_code == 200, response.content
        assert response.json()["slug"] == "kassym-jomart-tokayev"
        assert not Person.objects.filter(slug="k-tokayev").exists()
        assert Statement.objects.get(pk=said[0].pk).speaker_person_id == winner.pk
        assert api_client.get("/api/v1/people/k-tokayev/").status_code == 301
        # The merged record's address keeps answering for writes too, with the method kept.
        response = curator.post("/api/v1/people/k-tokayev/merge/", {"into": "x"}, format="json")
        assert response.status_code == 308

    def test_stale_if_match_is_412_and_nothing_moves(self, curator):
        winner, loser, said, *_ = duplicates()
        response = curator.post(
            "/api/v1/people/k-tokayev/merge/",
            {"into": "kassym-jomart-tokayev"},
            format="json",
            HTTP_IF_MATCH='"999-x"',
        )
        assert response.status_code == 412
        assert Person.objects.filter(pk=loser.pk).exists()
        assert Statement.objects.get(pk=said[0].pk).speaker_person_id == loser.pk

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"into": "k-tokayev"}, "into"),
            ({"into": "no-such-person"}, "into"),
            ({}, "into"),
            ({"into": "kassym-jomart-tokayev", "extra": 1}, "extra"),
        ],
    )
    def test_bad_merges_are_refused_naming_the_field(self, curator, body, field):
        duplicates()
        response = curator.post("/api/v1/people/k-tokayev/merge/", body, format="json")
        assert_problem(response, 400, field)
        assert Person.objects.filter(slug="k-tokayev").exists()

    def test_a_public_person_is_not_merged_into_a_draft(self, curator):
        PersonFactory(slug="draft-twin", is_published=False)
        PersonFactory(slug="public-one")
        response = curator.post(
            "/api/v1/people/public-one/merge/", {"into": "draft-twin"}, format="json"
        )
        assert_problem(response, 400, "into")
        assert Person.objects.filter(slug="public-one").exists()

    def test_the_public_and_the_unprivileged_may_not_merge(self, api_client):
        PersonFactory(slug="one")
        PersonFactory(slug="two")
        assert api_client.post("/api/v1/people/one/merge/", {"into": "two"}).status_code == 401
        user = User.objects.create_user("editor", password="pw")
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["change_person", "delete_person"])
        )
        editor = APIClient()
        editor.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        response = editor.post("/api/v1/people/one/merge/", {"into": "two"}, format="json")
        assert response.status_code == 403
        assert "change_statement" in response.json()["detail"]
        assert Person.objects.count() == 2


class TestThroughTheAdmin:
    @pytest.fixture
    def admin_client(self, client):
        user = User.objects.create_user("admin-curator", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name="Curators"))
        client.force_login(user)
        return client

    def test_merge_page_moves_everything(self, admin_client, api_client):
        winner, loser, said, *_ = duplicates()
        url = reverse("admin:bills_person_merge", args=[loser.pk])
        change = reverse("admin:bills_person_change", args=[loser.pk])
        assert url in admin_client.get(change).content.decode()
        assert admin_client.get(url).status_code == 200
        response = admin_client.post(url, {"winner": winner.pk, "loaded_version": loser.version})
        assert response.status_code == 302, response.content.decode()[:3000]
        assert response["Location"] == reverse("admin:bills_person_change", args=[winner.pk])
        assert not Person.objects.filter(pk=loser.pk).exists()
        assert Statement.objects.get(pk=said[0].pk).speaker_person_id == winner.pk
        assert api_client.get("/api/v1/people/k-tokayev/").status_code == 301
        history = Person.history.filter(id=loser.pk, history_type="-").get()
        assert history.history_user.username == "admin-curator"

    def test_changelist_action_leads_to_the_merge_page(self, admin_client):
        loser = PersonFactory()
        response = admin_client.post(
            reverse("admin:bills_person_changelist"),
            {"action": "merge_into_another", "_selected_action": [loser.pk]},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:bills_person_merge", args=[loser.pk])

    def test_refusal_is_shown_on_the_form(self, admin_client):
        PersonFactory(slug="draft-twin", is_published=False)
        public = PersonFactory(slug="public-one")
        url = reverse("admin:bills_person_merge", args=[public.pk])
        draft = Person.objects.get(slug="draft-twin")
        response = admin_client.post(url, {"winner": draft.pk, "loaded_version": public.version})
        assert response.status_code == 200
        assert "publish" in str(response.context["adminform"].form.errors["winner"])
        assert Person.objects.filter(pk=public.pk).exists()
